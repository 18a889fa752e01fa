#include "sonia/gateway.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace soniabk {

namespace {

[[noreturn]] void bad_answer(const std::string& what, const std::string& why) {
    throw runtime_error(ErrorCode::gateway_invalid, fmt::format("{}: unexpected answer: {}", what, why));
}

Json parse_answer(const std::string& what, const std::string& body) {
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        const std::string line = body.substr(0, std::min(body.find('\n'), std::size_t{80}));
        bad_answer(what, fmt::format("not valid JSON ({})", line.empty() ? "empty body" : "'" + line + "'"));
    }
    return j;
}

std::string text_field(const std::string& what, const Json& o, const char* key) {
    const auto it = o.find(key);
    if (it == o.end() || !it->is_string() || it->get<std::string>().empty()) {
        bad_answer(what, fmt::format("no non-empty string '{}'", key));
    }
    return it->get<std::string>();
}

std::uint64_t count_field(const std::string& what, const Json& o, const std::string& key) {
    const auto it = o.find(key);
    if (it == o.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
        bad_answer(what, fmt::format("'manifest.{}' is not a non-negative integer", key));
    }
    return it->get<std::uint64_t>();
}

bool is_sha256(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string gateway_url(const std::string& gateway, std::string_view path) {
    std::string base = gateway;
    while (base.ends_with('/')) base.pop_back();
    return base + std::string(path);
}

GatewayBackupAnswer request_gateway_backup(const std::string& gateway, const HttpOptions& options) {
    const std::string url = gateway_url(gateway, "/v1/backups");
    const std::string what = "POST " + url;
    const Json j = parse_answer(what, http_expect_ok("POST", url, "{}", options).body);
    if (!j.is_object()) bad_answer(what, "not a JSON object");
    GatewayBackupAnswer answer;
    answer.backup_id = text_field(what, j, "backup_id");
    answer.timestamp = text_field(what, j, "timestamp");
    answer.path = text_field(what, j, "path");
    const auto manifest = j.find("manifest");
    if (manifest == j.end() || !manifest->is_object()) bad_answer(what, "no object 'manifest'");
    for (const StateSection s : state_sections) {
        answer.counts[s] = count_field(what, *manifest, fmt::format("{}_count", to_string(s)));
    }
    answer.sha256 = text_field(what, *manifest, "sha256");
    std::transform(answer.sha256.begin(), answer.sha256.end(), answer.sha256.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!is_sha256(answer.sha256)) bad_answer(what, "'manifest.sha256' is not 64 hex digits");
    return answer;
}

fs::path resolve_gateway_file(const std::string& named, const fs::path& folder) {
    const fs::path path(named);
    auto refuse = [&](const std::string& why) -> Error {
        return runtime_error(ErrorCode::gateway_path,
                             fmt::format("{}: refusing the file the gateway named: {} (its backups folder is {})", named,
                                         why, folder.string()),
                             path);
    };
    if (!path.is_absolute()) throw refuse("a relative path");
    if (std::any_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; })) throw refuse("it contains '..'");
    std::error_code ec;
    const fs::path real_folder = fs::canonical(folder, ec);
    if (ec) throw runtime_error(ErrorCode::gateway_dir, fmt::format("{}: the gateway's backups folder does not exist", folder.string()), folder);
    const fs::path real = fs::canonical(path, ec);
    if (ec) throw runtime_error(ErrorCode::gateway_file_missing, fmt::format("{}: the file the gateway named does not exist", named), path);
    // Compared after symlinks are resolved, so a link inside the folder cannot point out of it.
    const fs::path inside = real.lexically_relative(real_folder);
    if (inside.empty() || *inside.begin() == ".." || inside == ".") {
        throw refuse(real == path ? "it is outside the gateway's backups folder"
                                  : fmt::format("it resolves to {}, outside the gateway's backups folder", real.string()));
    }
    if (!fs::is_regular_file(real, ec)) throw refuse("not a regular file");
    return real;
}

HttpResponse post_dlq_restore(const std::string& gateway, const fs::path& snapshot, const HttpOptions& options) {
    return http_post_file(gateway_url(gateway, "/v1/backups/restore/dlq"), snapshot, options);
}

std::vector<Json> list_dead_letters(const std::string& gateway, const HttpOptions& options) {
    const std::string url = gateway_url(gateway, "/v1/dead-letters");
    const std::string what = "GET " + url;
    const Json j = parse_answer(what, http_expect_ok("GET", url, {}, options).body);
    const Json* entries = j.is_array() ? &j : nullptr;
    for (const char* key : {"dead_letters", "dlq", "items"}) {
        if (entries == nullptr && j.is_object() && j.contains(key) && j[key].is_array()) entries = &j[key];
    }
    if (entries == nullptr) bad_answer(what, "no array of dead letters");
    if (!std::all_of(entries->begin(), entries->end(), [](const Json& e) { return e.is_object(); })) {
        bad_answer(what, "a dead letter that is not an object");
    }
    return std::vector<Json>(entries->begin(), entries->end());
}

}  // namespace soniabk
