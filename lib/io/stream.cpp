#include "io/stream.hpp"

#include "base/error.hpp"
#include "base/fault.hpp"

#include <algorithm>
#include <vector>

namespace soniabk {

void DigestSink::write(const void* data, std::size_t size) {
    sha_.update(data, size);
    size_ += size;
    if (next_ != nullptr) next_->write(data, size);
}

void DigestSink::finish() {
    digest_ = {sha_.hex_digest(), size_};
    if (next_ != nullptr) next_->finish();
}

namespace {

constexpr std::size_t threaded_batch_bytes = std::size_t{1} << 20;
constexpr std::size_t threaded_queue_batches = 4;

}  // namespace

ThreadedSink::ThreadedSink(ByteSink& next) : next_(next), worker_([this] { work(); }) {
    filling_.reserve(threaded_batch_bytes);
}

ThreadedSink::~ThreadedSink() { stop_worker(); }

void ThreadedSink::write(const void* data, std::size_t size) {
    const char* bytes = static_cast<const char*>(data);
    while (size > 0) {
        const std::size_t n = std::min(size, threaded_batch_bytes - filling_.size());
        filling_.insert(filling_.end(), bytes, bytes + n);
        bytes += n;
        size -= n;
        if (filling_.size() == threaded_batch_bytes) hand_over(false);
    }
}

void ThreadedSink::finish() {
    hand_over(true);
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return drained_ || failure_; });
    lock.unlock();
    stop_worker();
    if (failure_) std::rethrow_exception(failure_);
    next_.finish();
}

void ThreadedSink::hand_over(bool last) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < threaded_queue_batches || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    if (!filling_.empty()) {
        queue_.push_back(std::move(filling_));
        filling_ = {};
        filling_.reserve(threaded_batch_bytes);
    }
    closed_ = closed_ || last;
    changed_.notify_all();
}

void ThreadedSink::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) break;  // closed and nothing left
        std::vector<char> batch = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
        lock.unlock();
        try {
            next_.write(batch.data(), batch.size());
        } catch (...) {
            lock.lock();
            failure_ = std::current_exception();
            changed_.notify_all();
            return;
        }
        lock.lock();
    }
    drained_ = true;
    changed_.notify_all();
}

void ThreadedSink::stop_worker() {
    {
        const std::lock_guard lock(mutex_);
        closed_ = true;
        if (!drained_) queue_.clear();  // an abandoned stream: the rest is not wanted
        changed_.notify_all();
    }
    if (worker_.joinable()) worker_.join();
}

void discard_new_file(platform::OutputFile& file, const std::filesystem::path& path) {
    try {
        file.close();
    } catch (const Error&) {  // already closed, or the failure being reported
    }
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

std::uint64_t pump(ByteSource& from, ByteSink& to) {
    std::vector<char> buffer(stream_chunk_bytes);
    std::uint64_t total = 0;
    while (const std::size_t n = from.read(buffer.data(), buffer.size())) {
        to.write(buffer.data(), n);
        total += n;
        fault::point("stream.chunk");
    }
    return total;
}

std::uint64_t pump_file(const std::filesystem::path& from, ByteSink& to) {
    FileSource in(from);
    return pump(in, to);
}

std::size_t read_fully(ByteSource& source, void* buffer, std::size_t size) {
    auto* bytes = static_cast<char*>(buffer);
    std::size_t got = 0;
    while (got < size) {
        const std::size_t n = source.read(bytes + got, size - got);
        if (n == 0) break;
        got += n;
    }
    return got;
}

}  // namespace soniabk
