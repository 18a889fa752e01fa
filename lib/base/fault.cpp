#include "base/fault.hpp"

#include "base/environment.hpp"
#include "base/interrupt.hpp"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace soniabk::fault {

namespace {

struct Item {
    std::string name;    // a point, a condition, an I/O kind, or "io" for any I/O call
    std::string action;  // "kill" by default
    unsigned long long nth = 0;  // 0: every time; else only the nth I/O call
};

struct State {
    std::mutex mutex;
    bool loaded = false;
    std::vector<Item> items;
    std::map<std::string, unsigned long long, std::less<>> counts;
    unsigned long long total = 0;
};

State& state() {
    static State s;
    return s;
}

std::vector<Item> parse(std::string_view spec) {
    std::vector<Item> items;
    while (!spec.empty()) {
        const auto comma = spec.find(',');
        std::string_view text = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        Item item;
        const auto colon = text.find(':');
        item.action = colon == std::string_view::npos ? "kill" : std::string(text.substr(colon + 1));
        text = text.substr(0, colon);
        if (const auto hash = text.find('#'); hash != std::string_view::npos) {
            const std::string_view digits = text.substr(hash + 1);
            std::from_chars(digits.data(), digits.data() + digits.size(), item.nth);
            text = text.substr(0, hash);
        }
        if (text.starts_with("io.")) text.remove_prefix(3);
        item.name = std::string(text);
        if (!item.name.empty()) items.push_back(std::move(item));
    }
    return items;
}

// The parsed list, read from the environment once: fault lists do not change while a process runs.
const std::vector<Item>& items_locked(State& s) {
    if (!s.loaded) {
        s.items = parse(environment("SONIABK_FAULT"));
        s.loaded = true;
    }
    return s.items;
}

const Item* find_named(const std::vector<Item>& items, std::string_view name) {
    for (const Item& item : items) {
        if (item.name == name && item.nth == 0) return &item;
    }
    return nullptr;
}

// An item without a kind fails the call the way that call usually fails: a write with a full disk.
IoFault fault_named(std::string_view op, std::string_view action) {
    if (action == "kill") return op == "write" ? IoFault::no_space : IoFault::io_error;
    if (action == "enospc") return IoFault::no_space;
    if (action == "eacces") return IoFault::access_denied;
    if (action == "short") return IoFault::short_write;
    return IoFault::io_error;
}

void log_fired(std::string_view op, unsigned long long call, std::string_view action) {
    const std::string log = environment("SONIABK_FAULT_LOG");
    if (log.empty()) return;
    if (std::FILE* f = std::fopen(log.c_str(), "a")) {
        fmt::print(f, "io#{} {} {}\n", call, op, action);
        std::fclose(f);
    }
}

}  // namespace

void point(std::string_view name) {
    interrupt::check();  // every step boundary is also where an interrupted writer stops
    State& s = state();
    std::string action;
    {
        std::lock_guard lock(s.mutex);
        const Item* item = find_named(items_locked(s), name);
        if (item == nullptr) return;
        action = item->action;
    }
    if (action == "pause") {  // a writer caught mid-work, for tests that send it real signals
        for (int tick = 0; tick < 6000; ++tick) {
            interrupt::check();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return;
    }
#ifdef SIGKILL
    if (action == "kill") std::raise(SIGKILL);
#else
    // No SIGKILL (Windows): end at once, no destructor run, with the exit code a killed process shows (128 + 9).
    if (action == "kill") std::_Exit(137);
#endif
    std::_Exit(99);
}

bool should_fail(std::string_view name) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    return find_named(items_locked(s), name) != nullptr;
}

IoFault io_call(std::string_view op) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    const auto& items = items_locked(s);
    if (items.empty()) return IoFault::none;
    const unsigned long long call = ++s.total;
    auto count = s.counts.find(op);
    if (count == s.counts.end()) count = s.counts.emplace(std::string(op), 0).first;
    const unsigned long long nth_of_kind = ++count->second;
    for (const Item& item : items) {
        const bool any_io = item.name == "io" && item.nth == call;
        const bool this_kind = item.name == op && (item.nth == 0 || item.nth == nth_of_kind);
        if (!any_io && !this_kind) continue;
        log_fired(op, call, item.action);
        return fault_named(op, item.action);
    }
    return IoFault::none;
}

void set_for_testing(std::string_view spec) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.items = parse(spec);
    s.loaded = true;
    s.counts.clear();
    s.total = 0;
}

}  // namespace soniabk::fault
