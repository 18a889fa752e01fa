#include "base/steps.hpp"

#include "base/fault.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace soniabk {

Json StepRecord::to_json() const {
    return {{"step", step},
            {"passed", passed},
            {"skipped", skipped},
            {"duration_seconds", duration_seconds},
            {"detail", detail}};
}

Failure Failure::from(const Error& error) {
    return {error.category(), error.code(), error.what(), error.path().string()};
}

Json Failure::to_json() const {
    Json json = {{"code", code}, {"message", message}};
    if (!path.empty()) json["path"] = path;
    return json;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

StepOutcome StepLog::run(std::string_view name, const std::function<StepOutcome()>& work) {
    const auto started = std::chrono::steady_clock::now();
    StepRecord record;
    record.step = std::string(name);
    try {
        const StepOutcome outcome = work();
        record.passed = outcome.passed;
        record.skipped = outcome.skipped;
        record.detail = outcome.detail;
        record.duration_seconds = seconds_since(started);
        records_.push_back(record);
        report(record);
    } catch (const Error& e) {
        record.passed = false;
        record.detail = e.what();
        record.duration_seconds = seconds_since(started);
        report(record);
        records_.push_back(std::move(record));
        throw;
    }
    fault::point(fault_prefix_ + std::string(name));
    return {record.passed, record.skipped, record.detail};
}

void StepLog::not_run(std::string_view name, const std::string& reason) {
    records_.push_back({std::string(name), false, true, 0, "not run: " + reason});
    report(records_.back());
}

namespace {

void trace_step(Trace& trace, const StepRecord& record) {
    if (!trace.wants(TraceLevel::steps)) return;
    const char* verdict = record.skipped ? (record.passed ? "skipped" : "not run") : record.passed ? "passed" : "FAILED";
    trace.write(fmt::format("step {} {:.3f}s {}: {}", record.step, record.duration_seconds, verdict, record.detail));
}

}  // namespace

void StepLog::report(const StepRecord& record) const { trace_step(*trace_, record); }

StepTimer::StepTimer(Trace& trace, std::string_view name)
    : trace_(trace), name_(name), started_(std::chrono::steady_clock::now()) {}

StepTimer::~StepTimer() {
    if (!reported_) trace_step(trace_, {name_, false, false, seconds_since(started_), "stopped by the error below"});
}

void StepTimer::done(const StepOutcome& outcome) {
    reported_ = true;
    trace_step(trace_, {name_, outcome.passed, outcome.skipped, seconds_since(started_), outcome.detail});
}

bool StepLog::all_passed() const {
    return std::all_of(records_.begin(), records_.end(), [](const StepRecord& r) { return r.passed; });
}

}  // namespace soniabk
