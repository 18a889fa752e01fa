#include "stream.hpp"

#include "fault.hpp"

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

std::uint64_t pump_file(const std::filesystem::path& from, ByteSink& to) {
    platform::InputFile in(from);
    std::vector<char> buffer(stream_chunk_bytes);
    std::uint64_t total = 0;
    while (const std::size_t n = in.read(buffer.data(), buffer.size())) {
        to.write(buffer.data(), n);
        total += n;
        fault::point("stream.chunk");
    }
    return total;
}

}  // namespace soniabk
