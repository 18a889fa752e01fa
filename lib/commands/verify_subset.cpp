#include "commands/verify_subset.hpp"

#include "base/error.hpp"
#include "io/hash.hpp"
#include "pages/check_pack.hpp"

#include <fmt/format.h>

#include <charconv>

namespace soniabk {

std::string DataSubset::text() const { return fmt::format("{}/{}", n, m); }

namespace {

std::optional<std::uint32_t> number(std::string_view text) {
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0) return std::nullopt;
    return value;
}

}  // namespace

DataSubset parse_data_subset(std::string_view text, TimePoint now) {
    const auto slash = text.find('/');
    const std::string_view first = slash == std::string_view::npos ? text : text.substr(0, slash);
    const std::uint32_t m = slash == std::string_view::npos ? 0 : number(text.substr(slash + 1)).value_or(0);
    const std::uint32_t n = first == "auto" ? 1 : number(first).value_or(0);
    if (m == 0 || n == 0 || n > m) {
        throw usage_error(fmt::format("--read-data-subset '{}' is not N/M with 1 <= N <= M, or auto/M", text));
    }
    if (first != "auto") return {n, m};
    const auto day = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
    return {static_cast<std::uint32_t>(day % m) + 1, m};
}

bool in_subset(const DataSubset& subset, std::string_view key) {
    Sha256 sha;
    sha.update(key.data(), key.size());
    const std::string hex = sha.hex_digest();
    std::uint32_t head = 0;
    std::from_chars(hex.data(), hex.data() + 8, head, 16);
    return head % subset.m == subset.n - 1;
}

Json SubsetReport::to_json() const {
    return {{"n", subset.n},           {"m", subset.m},           {"backups_read", backups_read},
            {"packs_read", packs_read}, {"packs_total", packs_total}, {"bytes_read", bytes_read}};
}

void check_pack_subset(const Repository& repo, const KeyOptions& keys, SubsetReport& report,
                       std::vector<CheckOutcome>& checks) {
    const storage::Storage& store = repo.storage();
    std::optional<pages::PageStoreKeys> page_keys;
    if (store.stat("pages/key.json") && (keys.has_key_file() || keys.has_passphrase())) {
        try {
            page_keys = pages::page_keys_for_reading(store, keys);
        } catch (const Error& e) {
            checks.push_back({"page_store_key", false, e.what()});
        }
    }
    for (const storage::ObjectInfo& o : store.list(pages::index_prefix)) {
        if (!o.key.ends_with(".idx")) continue;
        ++report.packs_total;
        const std::string name = o.key.substr(pages::index_prefix.size(), o.key.size() - pages::index_prefix.size() - 4);
        if (!in_subset(report.subset, pages::pack_key(name))) continue;
        ++report.packs_read;
        try {
            const pages::PackCheck check = pages::check_pack(store, name, page_keys ? &*page_keys : nullptr);
            report.bytes_read += check.bytes_read;
        } catch (const Error& e) {
            checks.push_back({fmt::format("pack {}", name), false, e.what()});
        }
    }
}

}  // namespace soniabk

namespace soniabk {

VerifyResult verify_data_subset(const VerifyOptions& options, const Repository& repo,
                                const std::vector<BackupEntry>& entries) {
    SubsetReport report;
    report.subset = parse_data_subset(options.read_data_subset, options.clock->now());
    VerifyResult result;
    // 1. Every backup's structure (a page-store backup: its map chain and the index; reads little), and the
    //    file backups of the subset in full (--deep: their bytes decoded and the content checked).
    for (const BackupEntry& e : entries) {
        if (!options.kind.empty() && e.kind != options.kind) continue;
        if (!e.is_complete()) continue;
        const bool paged = e.manifest->pages.has_value();
        if (!paged && !in_subset(report.subset, e.data_key)) continue;
        if (!paged) ++report.backups_read;
        result.backups.push_back(verify_backup(e, paged ? VerifyDepth::stored : VerifyDepth::deep, options.keys, no_progress(), *options.trace));
        result.ok = result.ok && result.backups.back().ok;
    }
    // 2. The subset's packs, read whole.
    check_pack_subset(repo, options.keys, report, result.checks);
    for (const CheckOutcome& c : result.checks) result.ok = result.ok && c.ok;
    result.subset = report.to_json();
    return result;
}

}  // namespace soniabk
