// Which format a database backup is stored in (BackupFormat, repo/repository_config.hpp) when none is named.
#pragma once

#include "repo/repository.hpp"

#include <optional>
#include <string_view>

namespace soniabk {

// The data object of a page-store backup is its page map, `db/<stem>-YYYYMMDD-HHMMSS.pagemap`.
inline constexpr std::string_view page_map_extension = ".pagemap";

// The format of a `backup db` that names none: the one its repository's config records (`init --format`,
// `files` for an adopted one); without a config, the page store unless the repository holds plain-file
// database backups, so an existing repository keeps its format.
BackupFormat default_backup_format(const Repository& repository);

struct BackupDbOptions;
struct BackupResult;
class Encoding;
// `backup db` into the page store, under the caller's lock, named `stem` and after `created_at`.
BackupResult backup_into_pages(const BackupDbOptions& options, const Repository& repository, const Encoding& encoding,
                               const std::string& stem, TimePoint created_at);

}  // namespace soniabk
