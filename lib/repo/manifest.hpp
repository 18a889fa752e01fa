// The sidecar manifest that describes one stored backup and makes it complete (docs/FORMAT.md).
#pragma once

#include "base/clock.hpp"
#include "codec/encode.hpp"
#include "sqlite/snapshot.hpp"
#include "storage/storage.hpp"

#include "base/json.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace soniabk {

namespace fs = std::filesystem;

// The newest manifest format this soniabk reads. Plain backups are still written as 1, so older soniabk
// versions read them; compressed or encrypted ones as 2, so older versions refuse them instead of
// mistaking them for plain databases.
inline constexpr int manifest_format_version = 3;
inline constexpr int manifest_encoded_format_version = 2;
// Page-store backups, whose data object is a page map, not a database stream.
inline constexpr int manifest_pages_format_version = 3;
inline constexpr std::string_view manifest_suffix = ".manifest.json";

// What a gateway state snapshot holds, and which gateway backup it was taken from.
struct StateInfo {
    std::uint64_t sessions_count = 0;
    std::uint64_t confirmations_count = 0;
    std::uint64_t dlq_count = 0;
    std::uint64_t breakers_count = 0;
    std::string gateway_backup_id;  // the snapshot's own backup_id
    std::string gateway_timestamp;  // the snapshot's own timestamp
    std::string gateway_path;       // the file the gateway wrote; empty for an import
};

// A page-store backup (docs/FORMAT.md): what its page map holds and what the backup added to the store.
struct PagesInfo {
    std::string parent_backup_id;  // the backup whose map this one's is a delta to; empty for a full map
    int map_depth = 0;             // deltas between this map and the full one it builds on
    std::uint64_t page_size = 0;
    std::uint64_t page_count = 0;
    std::uint64_t pages_new = 0;           // pages this backup stored (the rest were stored already)
    std::uint64_t stored_bytes_added = 0;  // packs, their index objects and the map
    std::uint64_t packs_added = 0;
};

struct Manifest {
    int format_version = 1;
    std::string backup_id;
    std::string kind;  // db | state
    std::string label;
    TimePoint created_at{};
    std::string source;
    std::string method;
    std::string file;  // the data file's name, beside the manifest
    std::uint64_t size_bytes = 0;
    std::string sha256;
    double duration_seconds = 0;
    std::string tool_version;
    std::string set_id;  // `backup all`: the set this backup belongs to; empty for a backup on its own
    std::optional<DatabaseInfo> database;
    std::optional<CheckRecord> check;
    std::optional<ContentInfo> content;  // present when the stored file is encoded
    std::optional<CompressionInfo> compression;
    std::optional<EncryptionInfo> encryption;
    std::optional<StateInfo> state;  // kind "state" only
    std::optional<PagesInfo> pages;  // page-store backups: `file` is the page map, `content` the database

    bool is_encoded() const { return compression.has_value() || encryption.has_value(); }
    Json to_json() const;
};

// Records the stored file and how it is encoded. Encrypted backups also lose the `database` and `state`
// facts (schema, counts, ids): their manifests tell nothing about the plaintext beyond its size.
void record_encoding(Manifest& manifest, const EncodedStream& encoded);

// The content / compression / encryption fields (manifest_encoding.cpp).
void encoding_to_json(const Manifest& manifest, Json& out);
void parse_encoding(const Json& in, const fs::path& origin, Manifest& manifest);
// The `pages` section of page-store backups (manifest_encoding.cpp).
void pages_to_json(const Manifest& manifest, Json& out);
void parse_pages(const Json& in, const fs::path& origin, Manifest& manifest);

// Parses and validates a manifest; a truncated, hand-broken or foreign file throws naming `origin`.
Manifest parse_manifest(std::string_view text, const fs::path& origin);
// Throws manifest_invalid: "<origin>: invalid manifest: <why>", the one wording of every parse failure.
[[noreturn]] void invalid_manifest(const fs::path& origin, const std::string& why);
Manifest read_manifest(const fs::path& path);
// Publishes the manifest of `data_key` (never replacing one); the last step of every backup. Returns its key.
std::string write_manifest(storage::Storage& storage, const std::string& data_key, const Manifest& manifest);
fs::path manifest_path_for(const fs::path& data_path);
std::string manifest_key_for(const std::string& data_key);

}  // namespace soniabk
