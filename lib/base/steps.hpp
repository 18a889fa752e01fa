// Named, timed steps of a recovery pipeline (restore, drill) and the one JSON shape both report them in;
// StepTimer gives the other long commands (backup db, verify, prune, copy) the same -v lines.
#pragma once

#include "base/error.hpp"

#include "base/json.hpp"
#include "base/trace.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace soniabk {

struct StepRecord {
    std::string step;
    bool passed = true;
    bool skipped = false;
    double duration_seconds = 0;
    std::string detail;

    Json to_json() const;
};

// What one step reports: passed, failed (a finding, not an exception) or skipped, with a one-line detail.
struct StepOutcome {
    bool passed = true;
    bool skipped = false;
    std::string detail;

    static StepOutcome pass(std::string detail) { return {true, false, std::move(detail)}; }
    static StepOutcome fail(std::string detail) { return {false, false, std::move(detail)}; }
    static StepOutcome skip(std::string detail) { return {true, true, std::move(detail)}; }
};

// The error that stopped a pipeline, kept for its JSON document and exit status.
struct Failure {
    ErrorCategory category = ErrorCategory::runtime;
    std::string code;
    std::string message;
    std::string path;

    static Failure from(const Error& error);
    Json to_json() const;
};

class StepLog {
public:
    // Each finished step passes the fault point `<fault_prefix><step>` ("restore.swap"), for crash tests.
    // Each step is also reported to `trace` (-v) as it finishes.
    explicit StepLog(std::string fault_prefix, Trace& trace = no_trace())
        : fault_prefix_(std::move(fault_prefix)), trace_(&trace) {}

    // Runs `work` as step `name`, timing it. A soniabk Error thrown by `work` is recorded as the step's
    // failure (its message as the detail) and rethrown.
    StepOutcome run(std::string_view name, const std::function<StepOutcome()>& work);
    // Records a step that was not run because an earlier one failed.
    void not_run(std::string_view name, const std::string& reason);

    const std::vector<StepRecord>& records() const { return records_; }
    bool all_passed() const;

private:
    void report(const StepRecord& record) const;

    std::string fault_prefix_;
    Trace* trace_;
    std::vector<StepRecord> records_;
};

// Times one step of a command that keeps no step records and reports it to `trace` (-v) in StepLog's line,
// `step snapshot 0.412s passed: ...`. A step left by an exception is reported FAILED as it unwinds.
class StepTimer {
public:
    StepTimer(Trace& trace, std::string_view name);
    StepTimer(const StepTimer&) = delete;
    StepTimer& operator=(const StepTimer&) = delete;
    ~StepTimer();

    void done(const StepOutcome& outcome);

private:
    Trace& trace_;
    std::string name_;
    std::chrono::steady_clock::time_point started_;
    bool reported_ = false;
};

double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace soniabk
