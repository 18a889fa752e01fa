#include "key_options.hpp"

#include "codec/compress.hpp"
#include "base/error.hpp"
#include "platform/terminal.hpp"
#include "base/environment.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

namespace soniabk::cli {

namespace {

SecretBytes prompt(const char* question) {
    std::cerr << question << std::flush;
    std::vector<unsigned char> line;
    const bool answered = platform::read_line_without_echo(0, line);
    SecretBytes secret(line.data(), line.size());
    if (!line.empty()) OPENSSL_cleanse(line.data(), line.size());
    if (!answered) throw usage_error("no passphrase given (end of input)");
    return secret;
}

SecretBytes copy_of(const SecretBytes& secret) { return SecretBytes(secret.data(), secret.size()); }

PassphraseSource terminal_passphrase() {
    auto remembered = std::make_shared<std::optional<SecretBytes>>();
    return [remembered](bool confirm) {
        if (*remembered) return copy_of(**remembered);
        SecretBytes first = prompt("soniabk: passphrase for the encrypted backups: ");
        if (confirm) {
            const SecretBytes again = prompt("soniabk: the same passphrase again: ");
            if (again.size() != first.size() || CRYPTO_memcmp(again.data(), first.data(), first.size()) != 0) {
                throw usage_error("the two passphrases differ");
            }
        }
        remembered->emplace(copy_of(first));
        return first;
    };
}

}  // namespace

CLI::Option* add_key_file_option(CLI::App& command, std::filesystem::path& target) {
    return command.add_option("--key-file", target, "Encryption key file from 'soniabk keygen' (env SONIABK_KEY_FILE)")
        ->type_name("FILE");
}

KeyOptions key_options(const std::filesystem::path& key_file_flag) {
    KeyOptions keys;
    keys.key_file = key_file_flag;
    if (keys.key_file.empty()) keys.key_file = environment("SONIABK_KEY_FILE");
    // Set but empty is still a passphrase given, never a prompt: the one variable read with getenv itself.
    if (std::getenv("SONIABK_PASSPHRASE") != nullptr) {
        keys.passphrase = [](bool) {
            const char* value = std::getenv("SONIABK_PASSPHRASE");
            return SecretBytes(value, value ? std::strlen(value) : 0);
        };
    } else if (platform::is_terminal(0)) {
        keys.passphrase = terminal_passphrase();
    }
    return keys;
}

void add_codec_options(CLI::App& command, CodecFlags& flags) {
    command.add_option("--compress", flags.compress, "Compress the stored file: zstd or zstd:LEVEL (1-19, default 3)")
        ->type_name("zstd[:LEVEL]");
    command.add_flag("--encrypt", flags.encrypt,
                     "Encrypt (AES-256-GCM) with --key-file / SONIABK_KEY_FILE, or SONIABK_PASSPHRASE / a prompt");
    add_key_file_option(command, flags.key_file);
}

CodecOptions codec_options(const CodecFlags& flags) {
    CodecOptions codec;
    if (!flags.compress.empty()) codec.zstd_level = parse_compress_spec(flags.compress);
    if (!flags.key_file.empty() && !flags.encrypt) throw usage_error("--key-file needs --encrypt");
    codec.encrypt = flags.encrypt;
    if (codec.encrypt) codec.keys = key_options(flags.key_file);
    return codec;
}

}  // namespace soniabk::cli
