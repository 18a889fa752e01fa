// soniabk replicate: ship the database's committed transactions to the repository about once a second, until
// SIGTERM / Ctrl-C (which ship what is committed first and exit 0) or --for.
#include "commands.hpp"
#include "commands/replicate.hpp"
#include "key_options.hpp"

#include "base/wording.hpp"
#include "output.hpp"

#include <fmt/format.h>

#include <memory>

namespace soniabk::cli {

namespace {

void print_replicate(const ReplicateResult& r) {
    for (const std::string& reason : r.new_lineage_reasons) fmt::print("new lineage: {}\n", reason);
    fmt::print("replicated {}: {} in {} ({}), {} checkpoints ({} complete); stopped by {}\n", r.db.string(),
               count_of(r.transactions, "transaction"), count_of(r.segments, "segment"), human_bytes(r.stored_bytes),
               r.checkpoints, r.complete_checkpoints, r.stopped_by);
    if (r.last_ship_error) fmt::print("last shipment failed: {}\n", *r.last_ship_error);
}

}  // namespace

void register_replicate(CLI::App& app, CommandTable& table) {
    auto options = std::make_shared<ReplicateOptions>();
    auto codec = std::make_shared<CodecFlags>();
    auto max_wal_mib = std::make_shared<std::uint64_t>(options->max_wal_bytes >> 20);
    CLI::App* replicate = app.add_subcommand("replicate", "Ship every committed transaction continuously (restore --at)");
    add_duration_option(*replicate, "--interval", options->interval, "How often read transactions are shipped");
    add_duration_option(*replicate, "--read-every", options->read_every,
                        "How often the WAL is read (the precision of commit times)");
    replicate->add_option("--checkpoint-pages", options->checkpoint_pages,
                          "A PASSIVE checkpoint once the WAL holds this many frames")
        ->check(count_check())
        ->capture_default_str();
    replicate->add_option("--max-wal-mib", *max_wal_mib,
                          "Past this WAL size: a TRUNCATE checkpoint (waits for readers) and a new lineage")
        ->check(count_check())
        ->capture_default_str();
    add_duration_option(*replicate, "--snapshot-interval", options->snapshot_interval,
                        "A new base this often, so a restore replays at most this much");
    add_duration_option(*replicate, "--barrier-wait", options->barrier_wait,
                        "The longest the checkpoint's write barrier waits for a writer");
    add_duration_option(*replicate, "--busy-timeout", options->busy_timeout, "How long to wait for a locked database");
    add_duration_option(*replicate, "--for", options->run_for, "Stop after this long (default: at SIGTERM / Ctrl-C)");
    add_codec_options(*replicate, *codec);
    table.add(replicate, [=](const GlobalOptions& global) {
        ReplicateOptions run = *options;
        run.repo = global.require_repo();
        run.db = global.require_db();
        run.max_wal_bytes = *max_wal_mib << 20;
        run.codec = codec_options(*codec);
        run.trace = &global.trace();
        const ReplicateResult result = replicate_database(run);
        return Outcome{result.to_json(), [result] { print_replicate(result); }};
    });
}

}  // namespace soniabk::cli
