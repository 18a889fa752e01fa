// The one interface between a repository and where its bytes live: a local directory today, object storage
// next. Callers ask for capabilities instead of assuming a file system.
#pragma once

#include "base/clock.hpp"
#include "io/byte_source.hpp"
#include "io/stream.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk::storage {

namespace fs = std::filesystem;

enum class Capability {
    atomic_rename,       // publishing is a rename: a reader never sees part of an object
    directory_sync,      // a publish or removal is made durable by syncing its directory
    hard_links,          // an object can get a second name without a copy
    conditional_create,  // creating fails when the key exists, atomically with the publish
    local_paths,         // objects are files the OS and SQLite can open by path (local_path)
    append,              // an object can grow in place (the journal)
    checked_uploads,     // the server checks each upload against the hashes sent with it: what arrives is what was sent
    stored_digests,      // stat() reports the SHA-256 an object was published with (set_sha256): a cheap verify reads that
};
std::string_view to_string(Capability capability);

// Whether publishing may replace an object already under the key (intent files) or never (backups).
enum class Overwrite { never, replace };

// Published objects, or the leftovers of writers that never published (temps of killed processes).
enum class Listing { published, leftovers };

struct ObjectInfo {
    std::string key;  // relative, '/'-separated: "db/memory-20261201-020000.db"
    std::uint64_t size_bytes = 0;
    TimePoint modified{};
    std::string sha256;  // hex, as recorded at publish; empty unless Capability::stored_digests and one was given
};

// Throws `usage` unless `key` is relative, '/'-separated, without `..`, `.`, a temp name, a drive or a root.
void require_valid_key(std::string_view key);

// Bytes [offset, offset + length) of an object; no length: to its end.
struct ByteRange {
    std::uint64_t offset = 0;
    std::optional<std::uint64_t> length;
};

class ObjectReader : public ByteSource {
public:
    virtual std::uint64_t size() const = 0;  // bytes this reader yields in all
};

// An object being written: invisible under its key until publish(); destroyed unpublished, its bytes go.
class NewObject {
public:
    virtual ~NewObject() = default;
    virtual ByteSink& sink() = 0;
    // With Capability::local_paths, the temp file itself, for writers that need a path (SQLite); either
    // write it there or through sink(), not both.
    virtual std::optional<fs::path> local_path() const = 0;
    // The SHA-256 (hex) of everything this object will hold, as its writer computed it, recorded with the object
    // where the storage keeps digests (Capability::stored_digests); elsewhere ignored. Call before publish().
    virtual void set_sha256(std::string sha256_hex) { static_cast<void>(sha256_hex); }
    // Makes the bytes durable, then visible under the key; Overwrite::never throws `exists` if it is taken.
    virtual void publish() = 0;
};

// Held while a process writes to the repository; released on destruction.
class Lock {
public:
    virtual ~Lock() = default;
};

class Storage {
public:
    virtual ~Storage() = default;

    // Where `key` (or, empty, the storage itself) lives, for messages and JSON: a path or a URL.
    virtual fs::path location(std::string_view key = {}) const = 0;
    virtual bool has(Capability capability) const = 0;

    virtual std::unique_ptr<NewObject> create(std::string_view key, Overwrite overwrite) = 0;
    // Throws `not_found` when there is no such object.
    virtual std::unique_ptr<ObjectReader> open(std::string_view key, ByteRange range = {}) const = 0;
    virtual std::optional<ObjectInfo> stat(std::string_view key) const = 0;
    // Every object whose key starts with `prefix`, sorted by key.
    virtual std::vector<ObjectInfo> list(std::string_view prefix, Listing listing = Listing::published) const = 0;
    // Durable when it returns; removing what is not there is not an error (interrupted removals resume).
    virtual void remove(std::string_view key) = 0;
    // Capability::append only: adds `bytes` at the end of the object, creating it when missing.
    virtual void append(std::string_view key, std::string_view bytes) = 0;
    // No lock when another process holds it; `holder` tells others who does.
    virtual std::unique_ptr<Lock> try_lock(std::string_view key, std::string_view holder) = 0;
    // Capability::local_paths only: the file that holds `key`.
    virtual std::optional<fs::path> local_path(std::string_view key) const = 0;

    // Small objects (manifests, intents) in one piece.
    std::string read_all(std::string_view key) const;
    void write_all(std::string_view key, std::string_view content, Overwrite overwrite);
};

}  // namespace soniabk::storage
