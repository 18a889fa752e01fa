// soniabk decrypt and export: write a stored backup without its encryption (and compression), for hand use.
#include "commands.hpp"
#include "commands/decrypt.hpp"
#include "key_options.hpp"
#include "output.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_decrypt(const DecryptResult& result) {
    fmt::print("wrote {} ({}{})\n", result.out.string(), human_bytes(result.size_bytes),
               result.compressed ? ", still zstd-compressed" : "");
    fmt::print("  from      {}{}\n", result.source.string(),
               result.backup_id.empty() ? "" : fmt::format(" ({})", result.backup_id));
    if (result.chunks > 0) fmt::print("  chunks    {} authenticated\n", result.chunks);
    if (!result.content_check.empty()) fmt::print("  content   {} matches the manifest\n", result.content_check);
    fmt::print("  sha256    {}\n", result.sha256);
}

}  // namespace

void register_decrypt(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<DecryptOptions>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* decrypt = app.add_subcommand("decrypt", "Write a backup without its encryption, for hand runbooks");
    decrypt->add_option("BACKUP", options->backup, "Backup id (or unique prefix), or the stored file's path")->required();
    decrypt->add_option("--out", options->out, "File to write; never overwritten")->required()->type_name("FILE");
    decrypt->add_flag("--decompress", options->decompress, "Also undo zstd compression: write the database itself");
    add_key_file_option(*decrypt, *key_file);
    table.add(decrypt, [=](const GlobalOptions& global) {
        DecryptOptions run = *options;
        run.repo = global.repo;
        run.keys = key_options(*key_file);
        const DecryptResult result = decrypt_backup(run);
        return Outcome{result.to_json(), [result] { print_decrypt(result); }};
    });
}

void register_export(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<DecryptOptions>();
    auto key_file = std::make_shared<std::filesystem::path>();
    CLI::App* command = app.add_subcommand("export", "Write any backup as a plain database file, for hand use");
    command->add_option("BACKUP", options->backup, "Backup id (or unique prefix)")->required();
    command->add_option("--out", options->out, "File to write; never overwritten")->required()->type_name("FILE");
    add_key_file_option(*command, *key_file);
    table.add(command, [=](const GlobalOptions& global) {
        DecryptOptions run = *options;
        run.repo = global.repo;
        run.keys = key_options(*key_file);
        const DecryptResult result = export_backup(run);
        return Outcome{result.to_json(), [result] { print_decrypt(result); }};
    });
}

}  // namespace soniabk::cli
