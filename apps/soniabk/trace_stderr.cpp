// -v / -vv: lib/'s trace lines, written to stderr (stdout stays the command's own output).
#include "cli.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace soniabk::cli {

namespace {

class StderrTrace final : public Trace {
public:
    explicit StderrTrace(TraceLevel level) : level_(level) {}
    TraceLevel level() const override { return level_; }
    void write(std::string_view line) override {
        const std::lock_guard<std::mutex> hold(mutex_);  // page batches run on a second thread
        const std::string text = std::string(line) + "\n";
        std::fputs(text.c_str(), stderr);
    }

private:
    TraceLevel level_;
    std::mutex mutex_;
};

}  // namespace

Trace& GlobalOptions::trace() const {
    if (quiet || verbose <= 0) return no_trace();
    static StderrTrace steps(TraceLevel::steps);
    static StderrTrace detail(TraceLevel::detail);
    return verbose >= 2 ? static_cast<Trace&>(detail) : static_cast<Trace&>(steps);
}

}  // namespace soniabk::cli
