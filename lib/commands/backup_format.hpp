// Which format a database backup is stored in: a plain file per backup, or pages in the page store.
#pragma once

#include "repo/repository.hpp"

#include <optional>
#include <string_view>

namespace soniabk {

enum class BackupFormat {
    files,  // one self-contained (optionally compressed / encrypted) database file per backup
    pages,  // the page store: each page stored once, a page map per backup
};

// The data object of a page-store backup is its page map, `db/<stem>-YYYYMMDD-HHMMSS.pagemap`.
inline constexpr std::string_view page_map_extension = ".pagemap";

std::optional<BackupFormat> parse_backup_format(std::string_view text);
std::string_view to_string(BackupFormat format);

// The format of a `backup db` that names none: the page store for a repository holding no plain-file
// database backups (new ones), plain files where it does, so an existing repository keeps its format.
BackupFormat default_backup_format(const Repository& repository);

struct BackupDbOptions;
struct BackupResult;
class Encoding;
// `backup db` into the page store, under the caller's lock, named `stem` and after `created_at`.
BackupResult backup_into_pages(const BackupDbOptions& options, const Repository& repository, const Encoding& encoding,
                               const std::string& stem, TimePoint created_at);

}  // namespace soniabk
