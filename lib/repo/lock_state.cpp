#include "repo/lock_state.hpp"

#include "base/error.hpp"
#include "platform/processes.hpp"
#include "repo/repository.hpp"
#include "storage/s3_objects.hpp"

#include <fmt/format.h>

#include <charconv>

namespace soniabk {

namespace {

std::string first_line(std::string_view text) { return std::string(text.substr(0, text.find('\n'))); }

}  // namespace

std::string lock_holder_line(std::string_view activity) {
    return fmt::format("soniabk pid {} on {} by {} ({})", platform::current_process_id(), platform::host_name(),
                       platform::user_name(), activity);
}

LockHolder parse_lock_holder(std::string_view line) {
    LockHolder holder{std::string(line), std::nullopt, {}, {}, {}};
    constexpr std::string_view lead = "soniabk pid ";
    if (!line.starts_with(lead)) return holder;
    std::string_view rest = line.substr(lead.size());
    int pid = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (ec != std::errc()) return holder;
    holder.pid = pid;
    rest = rest.substr(static_cast<std::size_t>(end - rest.data()));
    if (rest.starts_with(" on ")) {
        rest.remove_prefix(4);
        holder.host = std::string(rest.substr(0, rest.find(' ')));
        rest.remove_prefix(holder.host.size());
    }
    const std::size_t open = rest.rfind(" (");
    if (rest.starts_with(" by ")) holder.user = std::string(rest.substr(4, open == std::string_view::npos ? rest.npos : open - 4));
    if (open != std::string_view::npos && rest.ends_with(')')) {
        holder.activity = std::string(rest.substr(open + 2, rest.size() - open - 3));
    }
    return holder;
}

void judge_staleness(LockState& state, TimePoint now) {
    const LockHolder& h = state.holder;
    if (state.expires && *state.expires <= now) {
        state.stale = true;
        state.stale_reason = fmt::format("expired at {}", format_iso8601(*state.expires));
    } else if (h.pid && !h.host.empty() && h.host == platform::host_name() && !platform::process_exists(*h.pid)) {
        state.stale = true;
        state.stale_reason = fmt::format("pid {} no longer runs on {}", *h.pid, h.host);
    }
}

std::optional<LockState> held_lock(const Repository& repo, TimePoint now) {
    storage::Storage& store = repo.storage();
    std::string body;
    try {
        body = store.read_all(lock_key);
    } catch (const Error& e) {
        if (e.code_id() == ErrorCode::not_found) return std::nullopt;
        throw;
    }
    LockState state{store.location(lock_key), parse_lock_holder(first_line(body)), std::nullopt, false, {}};
    if (store.has(storage::Capability::local_paths)) {
        // Taking the lock for an instant, with the same text, is the only way to ask whether anyone holds it.
        try {
            if (store.try_lock(lock_key, body)) return std::nullopt;
        } catch (const Error&) {
            return std::nullopt;  // a repository this user cannot write to: its lock cannot be asked about
        }
    } else {
        state.expires = storage::s3_lock_expiry(body);
    }
    judge_staleness(state, now);
    return state;
}

Json LockState::to_json() const {
    return {{"path", path.string()},
            {"holder", holder.text},
            {"host", holder.host.empty() ? Json(nullptr) : Json(holder.host)},
            {"user", holder.user.empty() ? Json(nullptr) : Json(holder.user)},
            {"pid", holder.pid ? Json(*holder.pid) : Json(nullptr)},
            {"activity", holder.activity.empty() ? Json(nullptr) : Json(holder.activity)},
            {"expires", expires ? Json(format_iso8601(*expires)) : Json(nullptr)},
            {"stale", stale},
            {"stale_reason", stale ? Json(stale_reason) : Json(nullptr)}};
}

}  // namespace soniabk
