// The seam through which long work reports how far it has got; lib/ never prints, the CLI draws it.
#pragma once

#include <cstdint>
#include <string_view>

namespace soniabk {

class Progress {
public:
    virtual ~Progress() = default;
    // A new phase starts ("snapshot", "hash", "copy" ...); total_bytes 0 when unknown.
    virtual void begin(std::string_view phase, std::uint64_t total_bytes) = 0;
    virtual void advance(std::uint64_t bytes_done) = 0;
    virtual void end() = 0;
};

// Reports nothing: the default everywhere.
Progress& no_progress();

}  // namespace soniabk
