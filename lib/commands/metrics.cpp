#include "commands/metrics.hpp"

#include "io/atomic_file.hpp"
#include "base/error.hpp"
#include "platform/errors.hpp"

#include <fmt/format.h>

#include <chrono>
#include <optional>

namespace soniabk {

namespace {

// Label values escape backslash, double quote and newline, as the exposition format requires.
std::string escape_label(const std::string& value) {
    std::string out;
    for (const char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        out += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return out;
}

double unix_seconds(TimePoint t) { return to_seconds(t.time_since_epoch()); }

class Exposition {
public:
    void family(const char* name, const char* help) {
        name_ = name;
        text_ += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
    }
    void sample(double value) { text_ += fmt::format("{} {}\n", name_, value); }
    void sample(const std::string& kind, double value) {
        text_ += fmt::format("{}{{kind=\"{}\"}} {}\n", name_, escape_label(kind), value);
    }
    void optional_sample(const std::optional<double>& value) {
        if (value) sample(*value);
    }
    void sample_for_target(const std::string& target, double value) { sample_for("target", target, value); }
    void sample_for(const char* label, const std::string& value_of_label, double value) {
        text_ += fmt::format("{}{{{}=\"{}\"}} {}\n", name_, label, escape_label(value_of_label), value);
    }
    std::string take() { return std::move(text_); }

private:
    std::string name_;
    std::string text_;
};

}  // namespace

std::string prometheus_text(const StatusResult& s) {
    Exposition out;
    auto per_kind = [&](const char* name, const char* help, auto value) {
        out.family(name, help);
        for (const auto& k : s.kinds) out.sample(k.kind, value(k));
    };
    per_kind("soniabk_last_backup_timestamp_seconds", "Creation time of the newest complete backup (0: none).",
             [](const KindStatus& k) { return k.newest_id ? unix_seconds(k.newest_at) : 0.0; });
    per_kind("soniabk_backup_bytes", "Total size of the complete backups.",
             [](const KindStatus& k) { return static_cast<double>(k.total_bytes); });
    per_kind("soniabk_backups", "Number of complete backups.",
             [](const KindStatus& k) { return static_cast<double>(k.backups); });
    per_kind("soniabk_incomplete_backups", "Number of incomplete backups or backups with an invalid manifest.",
             [](const KindStatus& k) { return static_cast<double>(k.incomplete); });
    per_kind("soniabk_rpo_violated", "1 when the newest complete backup is older than the RPO or missing.",
             [](const KindStatus& k) { return k.rpo_violated ? 1.0 : 0.0; });
    out.family("soniabk_rpo_seconds", "The recovery point objective status checked against.");
    out.sample(to_seconds(s.rpo));
    const auto& verify = s.last_verify;
    out.family("soniabk_last_verify_success", "1 when the last verify passed, 0 when it failed (absent: never ran).");
    out.optional_sample(verify ? std::optional(verify->ok ? 1.0 : 0.0) : std::nullopt);
    out.family("soniabk_last_verify_timestamp_seconds", "When the last verify ran.");
    out.optional_sample(verify ? std::optional(unix_seconds(verify->at)) : std::nullopt);
    const auto& drill = s.last_drill;
    out.family("soniabk_last_drill_success", "1 when the last recovery drill passed, 0 when it failed (absent: never ran).");
    out.optional_sample(drill ? std::optional(drill->ok ? 1.0 : 0.0) : std::nullopt);
    out.family("soniabk_last_drill_timestamp_seconds", "When the last recovery drill ran.");
    out.optional_sample(drill ? std::optional(unix_seconds(drill->at)) : std::nullopt);
    out.family("soniabk_last_drill_rto_seconds", "Recovery time the last drill measured.");
    out.optional_sample(drill ? drill->rto_seconds : std::nullopt);
    out.family("soniabk_offsite_last_copy_timestamp_seconds", "When the last copy to the target succeeded (0: never).");
    for (const auto& o : s.offsite) out.sample_for_target(o.target, o.last_copy_at ? unix_seconds(*o.last_copy_at) : 0.0);
    out.family("soniabk_offsite_lag_seconds", "Age of the newest backup copied to the target (absent: none copied).");
    for (const auto& o : s.offsite) {
        if (o.newest_id) out.sample_for_target(o.target, to_seconds(o.lag));
    }
    out.family("soniabk_replication_lag_seconds", "How long committed transactions may have waited to ship to the repository.");
    for (const auto& r : s.replication) out.sample_for("database", r.database, to_seconds(r.lag));
    out.family("soniabk_replication_last_commit_timestamp_seconds", "Commit time of the last transaction shipped.");
    for (const auto& r : s.replication) {
        if (r.last_commit) out.sample_for("database", r.database, unix_seconds(*r.last_commit));
    }
    out.family("soniabk_wal_bytes", "Size of the replicated database's WAL at replicate's last heartbeat.");
    for (const auto& r : s.replication) out.sample_for("database", r.database, static_cast<double>(r.wal_bytes));
    out.family("soniabk_free_bytes", "Bytes free on the repository's volume (absent: object storage).");
    if (s.space.free_bytes) out.sample(static_cast<double>(*s.space.free_bytes));
    out.family("soniabk_next_backup_required_bytes", "Bytes the next backup is expected to need, margin included.");
    out.sample(static_cast<double>(s.space.required_bytes));
    out.family("soniabk_space_short", "1 when the repository's volume has less free space than the next backup needs.");
    out.sample(s.space.short_of_space ? 1.0 : 0.0);
    out.family("soniabk_status_ok", "1 when status found no problem (the exit status was 0).");
    out.sample(s.ok ? 1.0 : 0.0);
    return out.take();
}

void write_prometheus_textfile(const std::filesystem::path& path, const std::string& text) {
    AtomicFile file(path);
    file.out().write(text.data(), text.size());
    // Metrics are not secret, and node_exporter runs as its own user: 0644 before the file appears.
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::permissions(file.out().path(),
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read, ec);
    if (ec) throw io_error("chmod", file.out().path(), platform::errno_of(ec));
    file.commit();
}

}  // namespace soniabk
