// soniabk-test-gateway: a real HTTP server that behaves like SONIA's gateway, with faults on demand.
// Usage and every switch: tests/support/README.md.
#include "base/clock.hpp"
#include "io/hash.hpp"
#include "base/json.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using soniabk::Json;

namespace {

struct Config {
    fs::path port_file;
    fs::path dir;
    fs::path log_file;
    std::set<std::string> faults;
    int slow_ms = 0;
    std::uint64_t big_mb = 0;
    Json state = Json::object();
    fs::path answer_fixture;    // --answer: serve this answer, `path` replaced by where the snapshot was copied
    fs::path snapshot_fixture;  // --snapshot: the snapshot file to copy for it

    bool has(const std::string& fault) const { return faults.contains(fault); }
};

// The documented snapshot format (the operators' procedure): ids, ISO-8601 times, a TTL per confirmation.
Json generated_state(int sessions, int confirmations, int dlq, int breakers) {
    Json s = {{"sessions", Json::array()}, {"confirmations", Json::array()}, {"dlq", Json::array()}, {"breakers", Json::array()}};
    for (int i = 1; i <= sessions; ++i) {
        s["sessions"].push_back({{"session_id", fmt::format("sess-{}", i)}, {"user_id", fmt::format("user{}@example.com", i)},
                                 {"created_at", "2026-11-26T00:00:00Z"}, {"last_activity", "2026-11-26T00:20:00Z"}});
    }
    for (int i = 1; i <= confirmations; ++i) {
        s["confirmations"].push_back({{"confirmation_id", fmt::format("conf-{}", i)}, {"session_id", "sess-1"},
                                      {"capability", "file.write"}, {"args", {{"path", "/tmp/test.txt"}, {"content", "hello"}}},
                                      {"created_at", "2026-11-26T00:22:00Z"}, {"ttl", 120}});
    }
    for (int i = 1; i <= dlq; ++i) {
        s["dlq"].push_back({{"dlq_id", fmt::format("dlq-{}", i)}, {"capability", "memory.write"}, {"attempts", 3},
                            {"payload", {{"text", fmt::format("message {}", i)}}}});
    }
    for (int i = 1; i <= breakers; ++i) {
        s["breakers"].push_back({{"name", fmt::format("upstream-{}", i)}, {"state", "closed"}, {"failure_count", 0},
                                 {"last_failure_at", nullptr}});
    }
    return s;
}

// Writes `text` to `out` and the hash; the one place snapshot bytes go through.
void emit(std::ofstream& out, soniabk::Sha256& sha, const std::string& text) {
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    sha.update(text.data(), text.size());
}

struct Written {
    std::string sha256;
    Json counts;
};

// The snapshot file: the state's arrays, plus (--big-mb) filler DLQ entries of 64 KiB, streamed.
Written write_snapshot(const Config& config, const Json& state, const Json& head, const fs::path& file) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    soniabk::Sha256 sha;
    Json doc = head;
    for (const char* key : {"sessions", "confirmations", "breakers", "dlq"}) {
        if (config.has("missing-arrays") && (std::string(key) == "dlq" || std::string(key) == "breakers")) continue;
        doc[key] = state[key];
    }
    Json counts = Json::object();
    for (const char* key : {"sessions", "confirmations", "dlq", "breakers"}) counts[fmt::format("{}_count", key)] = doc.contains(key) ? doc[key].size() : 0;
    std::string text = doc.dump();
    if (config.has("bad-snapshot")) text = text.substr(0, text.size() / 2);
    if (config.big_mb == 0 || config.has("missing-arrays")) {
        emit(out, sha, text);
        return {sha.hex_digest(), counts};
    }
    text.resize(text.size() - 2);  // reopen the trailing "dlq":[...]} to append filler entries
    emit(out, sha, text);
    const std::string pad(64 * 1024, 'x');
    std::uint64_t written = text.size();
    bool first = state["dlq"].empty();
    for (std::uint64_t i = 1; written < config.big_mb * 1024 * 1024; ++i) {
        const std::string entry = fmt::format("{}{{\"dlq_id\":\"big-{}\",\"capability\":\"bulk\",\"payload\":\"{}\"}}", first ? "" : ",", i, pad);
        emit(out, sha, entry);
        written += entry.size();
        first = false;
        counts["dlq_count"] = counts["dlq_count"].get<std::uint64_t>() + 1;
    }
    emit(out, sha, "]}");
    return {sha.hex_digest(), counts};
}

void answer_text(httplib::Response& res, int status, const std::string& text) {
    res.status = status;
    res.set_content(text, "text/plain");
}

class Gateway {
public:
    explicit Gateway(Config config) : config_(std::move(config)) {}

    void backup(const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(config_.slow_ms));
        if (config_.has("http-500")) return answer_text(res, 500, "internal error: injected by --fault http-500\n");
        if (config_.has("malformed-json")) return answer_text(res, 200, "{\"backup_id\": \"gw-1\", \"timestamp\": ");
        if (config_.has("drop")) {
            // Promise 1000 bytes, send none: the client sees the connection close mid-answer.
            res.set_content_provider(1000, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
            return;
        }
        const std::lock_guard guard(mutex_);
        if (!config_.answer_fixture.empty()) return answer_fixture(res);
        const std::string id = fmt::format("gw-{:04d}", ++backups_);
        const Json head = {{"backup_id", id}, {"timestamp", soniabk::format_iso8601(soniabk::system_clock().now())}};
        const std::string name = fmt::format("state-{}.json", id);
        const bool outside = config_.has("path-outside") || config_.has("path-dotdot");
        const fs::path file = (outside ? config_.dir.parent_path() / ("outside-" + name) : config_.dir / name);
        Written written = write_snapshot(config_, config_.state, head, file);
        std::string named = file.string();
        if (config_.has("path-relative")) named = name;
        if (config_.has("path-dotdot")) named = (config_.dir / ".." / file.filename()).string();
        if (config_.has("path-symlink")) {
            const fs::path real = config_.dir.parent_path() / ("outside-" + name);
            fs::rename(file, real);
            fs::create_symlink(real, file);
        }
        if (config_.has("wrong-sha")) written.sha256[0] = written.sha256[0] == '0' ? '1' : '0';
        if (config_.has("counts")) written.counts["dlq_count"] = written.counts["dlq_count"].get<std::uint64_t>() + 1;
        Json manifest = written.counts;
        manifest["sha256"] = written.sha256;
        res.set_content(Json{{"backup_id", id}, {"timestamp", head["timestamp"]}, {"path", named}, {"manifest", manifest}}.dump(),
                        "application/json");
    }

    void restore_dlq(const httplib::Request& req, httplib::Response& res) {
        if (config_.has("restore-500")) return answer_text(res, 500, "restore failed: injected by --fault restore-500\n");
        const Json body = Json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.contains("dlq") || !body["dlq"].is_array() || body["dlq"].empty()) {
            return answer_text(res, 400, "body is not a snapshot with a non-empty dlq array\n");
        }
        const std::lock_guard guard(mutex_);
        std::size_t restored = 0;
        const std::size_t keep = body["dlq"].size() - (config_.has("restore-drops-one") ? 1 : 0);
        for (std::size_t i = 0; i < keep; ++i) {
            const Json& entry = body["dlq"][i];
            if (!entry.is_object() || already_present(entry)) continue;
            config_.state["dlq"].push_back(config_.has("restore-reorders-keys") ? reordered(entry) : entry);
            ++restored;
        }
        res.set_content(Json{{"restored", restored}}.dump(), "application/json");
    }

    void dead_letters(const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(config_.slow_ms));
        const std::lock_guard guard(mutex_);
        const Json& dlq = config_.state["dlq"];
        res.set_content(Json{{"dead_letters", dlq}, {"count", dlq.size()}}.dump(), "application/json");
    }

    void healthz(const httplib::Request&, httplib::Response& res) {
        if (config_.has("unhealthy")) return answer_text(res, 503, "{\"status\":\"unhealthy\"}");
        res.set_content("{\"status\":\"ok\"}", "application/json");
    }

    const Config& config() const { return config_; }

private:
    // The fixture answer, verbatim but for `path`: the fixture snapshot, copied under the answer's file name.
    void answer_fixture(httplib::Response& res) const {
        std::ifstream in(config_.answer_fixture);
        Json answer = Json::parse(in);
        const std::string named = answer["path"];
        const fs::path file = config_.dir / named.substr(named.find_last_of("\\/") + 1);
        fs::copy_file(config_.snapshot_fixture, file, fs::copy_options::overwrite_existing);
        answer["path"] = file.string();
        res.set_content(answer.dump(), "application/json");
    }

    // The same entry by its dlq_id, else its id, else its whole content.
    bool already_present(const Json& entry) const {
        const char* key = entry.contains("dlq_id") ? "dlq_id" : entry.contains("id") ? "id" : nullptr;
        for (const Json& e : config_.state["dlq"]) {
            if (key != nullptr ? e.contains(key) && e[key] == entry[key] : e == entry) return true;
        }
        return false;
    }

    // The entry with its keys in reverse order, as another JSON library might store it.
    static Json reordered(const Json& entry) {
        Json out = Json::object();
        std::vector<std::pair<std::string, Json>> items;
        for (const auto& [key, value] : entry.items()) items.emplace_back(key, value);
        for (auto it = items.rbegin(); it != items.rend(); ++it) out[it->first] = it->second;
        return out;
    }

    Config config_;
    std::mutex mutex_;
    int backups_ = 0;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "soniabk-test-gateway: " << why
              << "\nusage: soniabk-test-gateway --port-file F --dir DIR [--seed FILE] [--sessions N] [--confirmations N]"
                 " [--dlq N] [--breakers N] [--big-mb N] [--slow-ms N] [--log FILE] [--answer FILE --snapshot FILE]"
                 " [--fault NAME]...\n";
    std::exit(2);
}

Config parse_args(int argc, char** argv) {
    Config c;
    int counts[4] = {2, 1, 3, 2};
    fs::path seed;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) usage("missing value after " + arg);
        const std::string value = argv[++i];
        if (arg == "--port-file") c.port_file = value;
        else if (arg == "--dir") c.dir = value;
        else if (arg == "--log") c.log_file = value;
        else if (arg == "--seed") seed = value;
        else if (arg == "--answer") c.answer_fixture = value;
        else if (arg == "--snapshot") c.snapshot_fixture = value;
        else if (arg == "--fault") c.faults.insert(value);
        else if (arg == "--slow-ms") c.slow_ms = std::stoi(value);
        else if (arg == "--big-mb") c.big_mb = std::stoull(value);
        else if (arg == "--sessions") counts[0] = std::stoi(value);
        else if (arg == "--confirmations") counts[1] = std::stoi(value);
        else if (arg == "--dlq") counts[2] = std::stoi(value);
        else if (arg == "--breakers") counts[3] = std::stoi(value);
        else usage("unknown option " + arg);
    }
    if (c.port_file.empty() || c.dir.empty()) usage("--port-file and --dir are required");
    if (c.answer_fixture.empty() != c.snapshot_fixture.empty()) usage("--answer and --snapshot go together");
    c.dir = fs::absolute(c.dir);
    fs::create_directories(c.dir);
    c.state = generated_state(counts[0], counts[1], counts[2], counts[3]);
    if (!seed.empty()) {
        std::ifstream in(seed);
        const Json seeded = Json::parse(in, nullptr, false);
        if (seeded.is_discarded() || !seeded.is_object()) usage(seed.string() + ": not a JSON object");
        for (const char* key : {"sessions", "confirmations", "dlq", "breakers"}) {
            if (seeded.contains(key)) c.state[key] = seeded[key];
        }
    }
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    Gateway gateway(parse_args(argc, argv));
    httplib::Server server;
    server.Post("/v1/backups", [&](const auto& req, auto& res) { gateway.backup(req, res); });
    server.Post("/v1/backups/restore/dlq", [&](const auto& req, auto& res) { gateway.restore_dlq(req, res); });
    server.Get("/v1/dead-letters", [&](const auto& req, auto& res) { gateway.dead_letters(req, res); });
    server.Get("/healthz", [&](const auto& req, auto& res) { gateway.healthz(req, res); });
    std::mutex log_mutex;
    server.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
        if (gateway.config().log_file.empty()) return;
        const std::lock_guard guard(log_mutex);
        std::ofstream(gateway.config().log_file, std::ios::app) << req.method << ' ' << req.path << ' ' << res.status << '\n';
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) usage("cannot bind 127.0.0.1");
    // Written under a temp name and renamed, so a waiting test never reads half a number.
    const fs::path temp = gateway.config().port_file.string() + ".tmp";
    std::ofstream(temp) << port << '\n';
    fs::rename(temp, gateway.config().port_file);
    return server.listen_after_bind() ? 0 : 1;
}
