#include "base/progress.hpp"

namespace soniabk {

namespace {

class NoProgress final : public Progress {
public:
    void begin(std::string_view, std::uint64_t) override {}
    void advance(std::uint64_t) override {}
    void end() override {}
};

}  // namespace

Progress& no_progress() {
    static NoProgress none;
    return none;
}

}  // namespace soniabk
