// What -v and -vv show: lib/ reports into a Trace the CLI hands it, and never prints itself.
#pragma once

#include <string_view>

namespace soniabk {

// steps (-v): each step with its duration; detail (-vv): also SQLite statements and HTTP requests.
enum class TraceLevel { off = 0, steps = 1, detail = 2 };

class Trace {
public:
    virtual ~Trace() = default;
    virtual TraceLevel level() const = 0;
    virtual void write(std::string_view line) = 0;

    bool wants(TraceLevel wanted) const { return level() >= wanted; }
};

// A Trace that takes nothing: the default for every caller that was given none.
Trace& no_trace();

}  // namespace soniabk
