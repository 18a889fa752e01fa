// soniabk unlock [--force]: remove a repository lock whose holder is gone (--force: whatever its state).
#include "commands.hpp"
#include "commands/unlock.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_unlock(const UnlockResult& result) {
    if (!result.lock) {
        fmt::print("{}: not locked, nothing to remove\n", result.repo.string());
        return;
    }
    const LockState& lock = *result.lock;
    fmt::print("removed the lock held by {} ({})\n", lock.holder.text, lock.stale ? lock.stale_reason : "forced");
}

}  // namespace

void register_unlock(CLI::App& app, CommandTable& table) {
    auto force = std::make_shared<bool>(false);
    CLI::App* unlock = app.add_subcommand("unlock", "Remove a repository lock whose holder is gone");
    unlock->add_flag("--force", *force, "Also remove a lock whose holder still looks alive");
    table.add(unlock, [=](const GlobalOptions& global) {
        UnlockOptions run;
        run.repo = global.require_repo();
        run.scope = *force ? UnlockScope::any_lock : UnlockScope::stale_only;
        const UnlockResult result = unlock_repository(run);
        return Outcome{result.to_json(), [result] { print_unlock(result); }};
    });
}

}  // namespace soniabk::cli
