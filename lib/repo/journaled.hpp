// Running a repository-changing command so that it leaves one journal line, whether it succeeds or fails.
#pragma once

#include "base/clock.hpp"
#include "base/error.hpp"
#include "repo/journal.hpp"

#include <chrono>
#include <string>
#include <utility>

namespace soniabk {

// Runs `work()`, then appends `{command, at, ok, duration_seconds, detail}`: `detail(result)` on success,
// the error's code and message on failure (which is rethrown).
template <class Work, class Detail>
auto run_journaled(storage::Storage& journal, std::string command, const Clock& clock, Work&& work,
                   Detail&& detail) {
    JournalRecord record{std::move(command), clock.now()};
    const auto started = std::chrono::steady_clock::now();
    auto finish = [&](bool ok, Json d) {
        record.ok = ok;
        record.detail = std::move(d);
        record.duration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        append_journal(journal, record);
    };
    try {
        auto result = work();
        finish(true, detail(result));
        return result;
    } catch (const Error& e) {
        finish(false, {{"error", {{"code", e.code()}, {"message", e.what()}}}});
        throw;
    }
}

}  // namespace soniabk
