#include "repo/read_backup.hpp"

#include "base/error.hpp"
#include "codec/crypto.hpp"
#include "io/stream.hpp"
#include "repo/page_backups.hpp"

#include <fmt/format.h>

#include <array>

namespace soniabk {

StoredLayout layout_of(const Manifest& manifest) {
    StoredLayout layout;
    layout.compressed = manifest.compression.has_value();
    layout.encrypted = manifest.encryption.has_value();
    layout.stored = FileDigest{manifest.sha256, manifest.size_bytes};
    layout.content = manifest.content;
    return layout;
}

std::string require_decodable(const BackupEntry& entry, const KeyOptions& keys) {
    const Manifest& m = *entry.manifest;
    if (!m.is_encoded()) return "";
    if (m.pages) {
        page_keys_of(entry, keys);
        return m.encryption ? "rebuild from the page store (key matches)" : "rebuild from the page store";
    }
    if (m.encryption) {
        const auto reader = entry.storage->open(entry.data_key, {0, encryption_header_bytes});
        std::array<unsigned char, encryption_header_bytes> bytes{};
        const EncryptionHeader header =
            parse_encryption_header(bytes.data(), read_fully(*reader, bytes.data(), bytes.size()), entry.data_path);
        require_matching_key(derive_file_keys(master_key_for(header, keys, entry.data_path), header), header,
                             entry.data_path);
    }
    return m.compression && m.encryption ? "decrypt (key matches) and decompress"
           : m.encryption               ? "decrypt (key matches)"
                                        : "decompress";
}

DecodeReport decode_backup(const BackupEntry& entry, const DecodeOptions& options, ByteSink& out) {
    if (!entry.is_complete() || !entry.manifest) {
        throw runtime_error(ErrorCode::incomplete, fmt::format("{}: {}", entry.data_path.string(), entry.problem), entry.data_path);
    }
    if (is_page_backup(entry)) return rebuild_page_backup(entry, options.keys, out);
    const auto reader = entry.storage->open(entry.data_key);
    return decode_stored(*reader, reader->size(), entry.data_path, layout_of(*entry.manifest), options, out);
}

DecodeReport decode_backup_to_file(const BackupEntry& entry, const DecodeOptions& options, const fs::path& dest,
                                   Progress& progress) {
    const bool known = entry.manifest && entry.manifest->content;
    progress.begin(is_page_backup(entry) ? "rebuild" : "decode", known ? entry.manifest->content->size_bytes : 0);
    const DecodeReport report = write_new_file(dest, [&](ByteSink& sink) {
        CountingSink counted(&sink, &progress);
        return decode_backup(entry, options, counted);
    });
    progress.end();
    return report;
}

}  // namespace soniabk
