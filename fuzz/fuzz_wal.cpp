// SQLite write-ahead logs as replication reads them from a database it did not write: whatever the bytes, the scan
// ends at the last valid commit, hands over only whole frames, and its figures agree with what it handed over.
#include "fuzz_support.hpp"
#include "sqlite/wal_reader.hpp"

#include <cstring>

namespace {

using namespace soniabk;

class MemorySource final : public ByteSource {
public:
    MemorySource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::size_t read(void* buffer, std::size_t size) override {
        const std::size_t n = std::min(size, size_ - at_);
        std::memcpy(buffer, data_ + at_, n);
        at_ += n;
        return n;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

class CountingVisitor final : public WalVisitor {
public:
    void frame(std::uint32_t page_number, const unsigned char*) override {
        if (page_number == 0) __builtin_trap();
        ++frames;
    }
    void commit(std::uint32_t database_pages, std::uint64_t end_offset, soniabk::WalChecksum) override {
        if (database_pages == 0 || end_offset <= last_end) __builtin_trap();
        last_end = end_offset;
        committed = frames;
        ++commits;
    }
    std::uint64_t frames = 0, committed = 0, commits = 0, last_end = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    soniabk::fuzz::refusing_only_with_errors([&] {
        MemorySource source(data, size);
        CountingVisitor visitor;
        const WalScan scan = scan_wal(source, visitor);
        const std::uint64_t frame_bytes = scan.header ? wal_frame_header_bytes + scan.header->page_size : 0;
        if (scan.committed_frames != visitor.committed || scan.transactions != visitor.commits ||
            scan.committed_frames + scan.uncommitted_frames != visitor.frames || scan.committed_end > size ||
            (scan.transactions > 0 && scan.committed_end != wal_header_bytes + scan.committed_frames * frame_bytes)) {
            __builtin_trap();
        }
    });
    return 0;
}
