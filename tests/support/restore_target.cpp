#include "restore_target.hpp"

#include "commands/backup.hpp"
#include "repo_init.hpp"
#include "sample_db.hpp"

namespace soniabk::test {

RestoreTarget::RestoreTarget() {
    create_sample_db(dir / "memory.db", {.memories = 20});
    init_repo(repo);
    BackupDbOptions options;
    options.repo = repo;
    options.db = dir / "memory.db";
    options.format = BackupFormat::files;
    backup_database(options);
    std::filesystem::create_directories(live.parent_path());
    create_sample_db(live, {.memories = 5});
}

ProcessResult RestoreTarget::run(std::vector<std::string> args) const {
    std::vector<std::string> all{"--json", "--repo", repo.string(), "--db", live.string()};
    all.insert(all.end(), args.begin(), args.end());
    return run_soniabk(all);
}

}  // namespace soniabk::test
