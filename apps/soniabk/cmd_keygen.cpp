// soniabk keygen: write a new random encryption key file, owner-only.
#include "commands.hpp"
#include "codec/keys.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

void register_keygen(CLI::App& app, CommandTable& table) {
    auto path = std::make_shared<std::filesystem::path>();
    CLI::App* keygen = app.add_subcommand("keygen", "Write a new random 256-bit encryption key to FILE (owner-only)");
    keygen->add_option("FILE", *path, "Where to write the key; never overwritten")->required();
    table.add(keygen, [=](const GlobalOptions&) {
        const KeygenResult result = generate_key_file(*path);
        return Outcome{result.to_json(), [result] {
                           fmt::print("wrote a new key to {}\n", result.path.string());
                           fmt::print("keep a copy away from the backups: without it they cannot be read\n");
                       }};
    });
}

}  // namespace soniabk::cli
