// The key options backup, verify, restore, drill and decrypt share: --key-file (or SONIABK_KEY_FILE) and the passphrase.
#pragma once

#include "cli.hpp"
#include "codec/encode.hpp"
#include "codec/keys.hpp"

#include <filesystem>

namespace soniabk::cli {

// Adds --key-file F to `command`, stored in `target`.
CLI::Option* add_key_file_option(CLI::App& command, std::filesystem::path& target);

// The key file from the flag or SONIABK_KEY_FILE, and the passphrase from SONIABK_PASSPHRASE or, on a
// terminal, a no-echo prompt on stderr (asked once per run). Neither is ever taken from the command line,
// where every user of the machine could read it.
KeyOptions key_options(const std::filesystem::path& key_file_flag);

// The flags of a command that stores backups: --compress zstd[:LEVEL], --encrypt, --key-file.
struct CodecFlags {
    std::string compress;
    bool encrypt = false;
    std::filesystem::path key_file;
};

void add_codec_options(CLI::App& command, CodecFlags& flags);

// CodecOptions from the flags; an explicit --key-file without --encrypt is refused, since it would leave
// the backup readable by anyone who expected it encrypted.
CodecOptions codec_options(const CodecFlags& flags);

}  // namespace soniabk::cli
