// `show ID`: everything one backup's manifest says, and where its files are.
#pragma once

#include "repo/repository.hpp"

#include "base/json.hpp"

#include <string>

namespace soniabk {

struct ShowOptions {
    fs::path repo;
    std::string id;  // a backup id, its file name, or a unique prefix of either
};

struct ShowResult {
    BackupEntry backup;

    Json to_json() const;
};

ShowResult show_backup(const ShowOptions& options);

}  // namespace soniabk
