// soniabk backup db: take a verified hot backup of the memory store.
#include "commands/backup.hpp"
#include "commands.hpp"
#include "base/error.hpp"
#include "key_options.hpp"
#include "output.hpp"

#include <fmt/format.h>

namespace soniabk::cli {

namespace {

std::string encoding_text(const Manifest& m) {
    std::string text = m.compression ? fmt::format("zstd level {}", m.compression->level) : "";
    if (m.encryption) {
        text += fmt::format("{}{} with a {}", text.empty() ? "" : " + ", m.encryption->algorithm,
                            m.encryption->key_source == "passphrase" ? "passphrase" : "key file");
    }
    return text;
}

void print_backup(const BackupResult& result) {
    const Manifest& m = result.manifest;
    fmt::print("backup {} ({}, {})\n", m.backup_id, m.label, format_iso8601(m.created_at));
    fmt::print("  path      {}\n", result.path.string());
    fmt::print("  size      {}  sha256 {}\n", human_bytes(m.size_bytes), m.sha256);
    if (m.content) fmt::print("  encoding  {} (database {})\n", encoding_text(m), human_bytes(m.content->size_bytes));
    if (m.database && m.database->memories) {
        fmt::print("  memories  {} ({} archived)\n", m.database->memories->total, m.database->memories->archived);
    }
    if (m.pages) {
        fmt::print("  pages     {} of {} new, {} stored ({}, map {})\n", m.pages->pages_new, m.pages->page_count,
                   human_bytes(m.pages->stored_bytes_added), count_of(m.pages->packs_added, "pack"),
                   m.pages->parent_backup_id.empty() ? std::string("full") : "delta to " + m.pages->parent_backup_id);
    }
    if (m.check) fmt::print("  check     {}: {}\n", m.check->mode, m.check->result);
    fmt::print("  took      {:.2f}s ({})\n", m.duration_seconds, m.method);
    if (result.copy) {
        fmt::print("  copied to {} ({}, {})\n", result.copy->to.string(), count_of(result.copy->copied.size(), "backup"),
                   human_bytes(result.copy->bytes_copied));
    }
}

void register_backup_db(CLI::App& backup, CommandTable& table) {
    auto options = std::make_shared<BackupDbOptions>();
    auto method = std::make_shared<std::string>("backup");
    auto check = std::make_shared<std::string>("quick");
    auto format = std::make_shared<std::string>();
    auto codec = std::make_shared<CodecFlags>();
    CLI::App* db = backup.add_subcommand("db", "Hot, consistent snapshot of the memory database");
    db->add_option("--label", options->label, "Label: 'daily' backups follow retention; others are kept")
        ->capture_default_str();
    db->add_option("--method", *method, "backup (online backup API), copy (file + WAL), vacuum (VACUUM INTO)")
        ->check(CLI::IsMember({"backup", "copy", "vacuum"}))
        ->capture_default_str();
    db->add_option("--check", *check, "Check the snapshot before storing it")
        ->check(CLI::IsMember({"quick", "full", "none"}))
        ->capture_default_str();
    db->add_option("--format", *format,
                   "pages (page store: each page once) or files (one database file per backup); default: "
                   "pages in a repository without plain-file backups, else files")
        ->check(CLI::IsMember({"pages", "files"}));
    add_duration_option(*db, "--busy-timeout", options->busy_timeout, "How long to wait for a locked database");
    add_duration_option(*db, "--lock-wait", options->lock_wait, "How long to wait for another writer's repository lock");
    add_codec_options(*db, *codec);
    table.add(db, [=, &backup](const GlobalOptions& global) {
        BackupDbOptions run = *options;
        run.repo = global.require_repo();
        run.db = global.require_db();
        run.method = *parse_snapshot_method(*method);
        run.check = *parse_check_mode(*check);
        if (!format->empty()) run.format = parse_backup_format(*format);
        run.codec = codec_options(*codec);
        run.progress = &global.progress();
        run.trace = &global.trace();
        run.copy_to = configured_copy_target(*backup.get_parent());
        const BackupResult result = backup_database(run);
        return Outcome{result.to_json(), [result, repo = run.repo] {
                           if (result.repository_adopted) print_adopted(repo);
                           print_backup(result);
                       }};
    });
}

}  // namespace

void register_backup(CLI::App& app, CommandTable& table) {
    CLI::App* backup = app.add_subcommand("backup", "Take a backup (see 'backup db', 'backup state', 'backup all')");
    backup->require_subcommand(1);
    register_backup_db(*backup, table);
    register_backup_state(*backup, table);
    register_backup_all(*backup, table);
}

}  // namespace soniabk::cli
