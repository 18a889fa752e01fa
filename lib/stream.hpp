// Byte sinks: the push-style stream through which hashing, compression, encryption and files compose.
#pragma once

#include "hash.hpp"
#include "platform.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace soniabk {

// Receives a byte stream in pieces. A transform passes what it produces on to the sink it wraps, so
// chains read left to right: DigestSink -> ZstdCompressSink -> EncryptSink -> DigestSink -> FileSink.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    // Takes the next `size` bytes; a transform may buffer them.
    virtual void write(const void* data, std::size_t size) = 0;
    // The stream is complete: flush what is buffered, check the stream ended where a valid one may,
    // then finish the wrapped sink. Call once; no write() after it.
    virtual void finish() = 0;
};

// Counts and SHA-256-hashes the bytes passing through, then hands them on (to nothing when `next` is null).
class DigestSink final : public ByteSink {
public:
    explicit DigestSink(ByteSink* next = nullptr) : next_(next) {}
    void write(const void* data, std::size_t size) override;
    void finish() override;
    // Valid after finish().
    const FileDigest& digest() const { return digest_; }
    std::uint64_t bytes_so_far() const { return size_; }

private:
    ByteSink* next_;
    Sha256 sha_;
    std::uint64_t size_ = 0;
    FileDigest digest_;
};

// Counts the bytes passing through to `next`, or swallows them when `next` is null.
class CountingSink final : public ByteSink {
public:
    explicit CountingSink(ByteSink* next = nullptr) : next_(next) {}
    void write(const void* data, std::size_t size) override {
        bytes_ += size;
        if (next_ != nullptr) next_->write(data, size);
    }
    void finish() override {
        if (next_ != nullptr) next_->finish();
    }
    std::uint64_t bytes() const { return bytes_; }

private:
    ByteSink* next_;
    std::uint64_t bytes_ = 0;
};

// Writes to an open file; finish() leaves syncing and publishing to the file's owner.
class FileSink final : public ByteSink {
public:
    explicit FileSink(platform::OutputFile& out) : out_(out) {}
    void write(const void* data, std::size_t size) override { out_.write(data, size); }
    void finish() override {}

private:
    platform::OutputFile& out_;
};

// Writes every byte of `from` into `to`, read in stream_chunk_bytes pieces (`to` is not finished).
std::uint64_t pump_file(const std::filesystem::path& from, ByteSink& to);

}  // namespace soniabk
