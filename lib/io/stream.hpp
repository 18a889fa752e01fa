// Byte sinks: the push-style stream through which hashing, compression, encryption and files compose.
#pragma once

#include "base/progress.hpp"
#include "io/byte_source.hpp"

#include "io/hash.hpp"
#include "platform/files.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

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

private:
    ByteSink* next_;
    Sha256 sha_;
    std::uint64_t size_ = 0;
    FileDigest digest_;
};

// Counts the bytes passing through to `next` (reporting them to `progress`), or swallows them when `next` is null.
class CountingSink final : public ByteSink {
public:
    explicit CountingSink(ByteSink* next = nullptr, Progress* progress = nullptr) : next_(next), progress_(progress) {}
    void write(const void* data, std::size_t size) override {
        bytes_ += size;
        if (progress_ != nullptr) progress_->advance(bytes_);
        if (next_ != nullptr) next_->write(data, size);
    }
    void finish() override {
        if (next_ != nullptr) next_->finish();
    }
    std::uint64_t bytes() const { return bytes_; }

private:
    ByteSink* next_;
    Progress* progress_;
    std::uint64_t bytes_ = 0;
};

// Hands the stream to a worker thread that feeds `next`, so the stages before and after it run on two
// cores (e.g. decrypt + decompress here, content digest + file write there). Bytes travel in a few
// 1 MiB batches, so memory stays flat; an error in the worker is rethrown by the next write or finish.
class ThreadedSink final : public ByteSink {
public:
    explicit ThreadedSink(ByteSink& next);
    ThreadedSink(const ThreadedSink&) = delete;
    ThreadedSink& operator=(const ThreadedSink&) = delete;
    ~ThreadedSink() override;
    void write(const void* data, std::size_t size) override;
    // Waits until the worker has passed every byte on, then finishes `next` on this thread.
    void finish() override;

private:
    void hand_over(bool last);
    void work();
    void stop_worker();

    ByteSink& next_;
    std::vector<char> filling_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::vector<char>> queue_;
    bool closed_ = false;
    bool drained_ = false;
    std::exception_ptr failure_;
    std::thread worker_;
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

// write_new_file's cleanup: closes `file` (ignoring a second failure) and removes `path`.
void discard_new_file(platform::OutputFile& file, const std::filesystem::path& path);

// Creates the new file `path` (which must not exist), has `fill` write the stream into it through a
// FileSink, then fsyncs and closes it; when anything throws the file is removed and the error rethrown.
template <typename Fill>
auto write_new_file(const std::filesystem::path& path, Fill fill) {
    auto file = platform::OutputFile::create_new(path);
    try {
        FileSink sink(file);
        auto result = fill(sink);
        file.sync();
        file.close();
        return result;
    } catch (...) {
        discard_new_file(file, path);
        throw;
    }
}

// Writes every byte of `from` into `to`, read in stream_chunk_bytes pieces (`to` is not finished).
// Copies everything `from` yields into `to` (without finishing it); returns the byte count.
std::uint64_t pump(ByteSource& from, ByteSink& to);
std::uint64_t pump_file(const std::filesystem::path& from, ByteSink& to);

}  // namespace soniabk
