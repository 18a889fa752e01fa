#include "commands/drill_probe.hpp"

#include "commands/recover.hpp"
#include "sonia/memory_probe.hpp"
#include "sqlite/sqlite.hpp"
#include "sqlite/transaction.hpp"

#include <fmt/format.h>

namespace soniabk {

namespace {

std::string shown(const RelatedCounts& counts) {
    std::string out;
    for (const auto& [table, n] : counts) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", table, n);
    return out.empty() ? "no related rows" : out;
}

std::string fts_word(const std::optional<bool>& found) {
    if (!found) return "no_words";
    return *found ? "found" : "not_found";
}

}  // namespace

Json RecoverProbeReport::to_json() const {
    return {{"memory_id", memory_id ? Json(*memory_id) : Json(nullptr)},
            {"deleted", deleted},
            {"action", action.empty() ? Json(nullptr) : Json(action)},
            {"recovered", recovered},
            {"row_equal", row_equal},
            {"fts", fts}};
}

StepOutcome run_recover_probe(const RecoverProbeOptions& options, RecoverProbeReport& report) {
    MemoryText text;
    std::string before;
    {
        // 1. Pick and hard-delete, in one transaction of the scratch copy.
        Database db = Database::open(options.database, Database::Mode::read_write);
        if (!db.has_table("memories")) return StepOutcome::fail("no memories table: not a SONIA memory store");
        report.memory_id = pick_probe_memory(db);
        if (!report.memory_id) {
            return StepOutcome::fail(fmt::format("backup {} holds no memory to delete and recover: row recovery is "
                                                 "unproven",
                                                 options.backup_id));
        }
        const std::int64_t id = *report.memory_id;
        text = *memory_text(db, id);
        before = memory_fingerprint(db, id);
        const bool indexed = db.has_table("memories_fts");
        WriteTransaction transaction(db);
        report.deleted = delete_memory(db, id);
        transaction.commit();
        // A hit now would make the search after recovery prove nothing.
        if (indexed && fts_finds(db, text).value_or(false)) {
            return StepOutcome::fail(fmt::format("memory {} is still found by memories_fts after its delete: the "
                                                 "index is not kept in step",
                                                 id));
        }
    }
    // 2. The code of `recover memories`, aimed at the scratch copy.
    RecoverOptions recover;
    recover.repo = options.repo;
    recover.db = options.database;
    recover.from = options.backup_id;
    recover.selection = RecoverSelection::ids;
    recover.ids = {*report.memory_id};
    recover.target = RecoverTarget::scratch_copy;
    recover.keys = options.keys;
    recover.clock = options.clock;
    recover.progress = options.progress;
    const RecoverResult recovered = recover_memories(recover);
    const RecoveredRow& row = recovered.rows.front();
    report.action = row.action;
    report.recovered = row.related;
    // 3. Back whole, and found again.
    Database db = Database::open(options.database, Database::Mode::read_only);
    report.row_equal = memory_fingerprint(db, row.id) == before;
    const std::optional<bool> found = fts_finds(db, text);
    report.fts = db.has_table("memories_fts") ? fts_word(found) : "none";
    const std::string detail =
        fmt::format("memory {} hard-deleted ({}) and recovered from {}: {}, {}, {}", row.id, shown(report.deleted),
                    options.backup_id, row.action + (row.reason.empty() ? "" : " (" + row.reason + ")"),
                    report.row_equal ? "row and related rows equal" : "NOT equal to the deleted row",
                    report.fts == "none" ? "no memories_fts" : "memories_fts search: " + report.fts);
    const bool passed = row.action == "inserted" && report.row_equal && report.fts != "not_found";
    return passed ? StepOutcome::pass(detail) : StepOutcome::fail(detail);
}

}  // namespace soniabk
