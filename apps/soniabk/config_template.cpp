#include "config_template.hpp"

#include "cli_tree.hpp"
#include "base/config_file.hpp"
#include "base/version.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace soniabk::cli {

namespace {

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

std::string describe(const CLI::Option& option) {
    std::string line = "# " + option.get_description();
    if (const auto choices = choices_of(option); !choices.empty()) line += " (one of: " + CLI::detail::join(choices, ", ") + ")";
    if (!option.get_envname().empty()) line += ". Environment: " + option.get_envname();
    if (takes_value(option) && option.get_default_str().empty()) line += ". Unset by default; an example";
    return line + "\n";
}

std::string options_block(const CLI::App& app) {
    std::string block;
    for (const CLI::Option* o : named_options(app)) {
        if (!o->get_configurable()) continue;
        block += describe(*o) + fmt::format("# {} = {}\n", key_of(*o), toml_sample(*o));
    }
    return block;
}

// [s3]: how buckets (--repo s3://BUCKET/PREFIX) are reached; each AWS_* variable overrides its key.
std::string s3_block() {
    return "\n# How s3://BUCKET/PREFIX repositories are reached. Each key's AWS_* variable, when set, wins.\n"
           "[s3]\n"
           "# The S3 endpoint. Environment: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL. Unset: AWS's own for the region\n"
           "# endpoint = \"https://s3.eu-central-003.backblazeb2.com\"\n"
           "# Environment: AWS_REGION, AWS_DEFAULT_REGION\n"
           "# region = \"us-east-1\"\n"
           "# The bucket in the path, not the host name. Unset: path-style for an IP or localhost endpoint\n"
           "# path_style = false\n"
           "# Environment: AWS_ACCESS_KEY_ID\n"
           "# access_key_id = \"\"\n"
           "# Keep this file owner-only when it holds the secret. Environment: AWS_SECRET_ACCESS_KEY\n"
           "# secret_access_key = \"\"\n"
           "# Environment: AWS_SESSION_TOKEN\n"
           "# session_token = \"\"\n"
           "# Connecting, and each read or write: a stalled transfer fails after this long\n"
           "# timeout = \"30s\"\n"
           "# Every attempt of one request, backoff included\n"
           "# retry_budget = \"60s\"\n";
}

}  // namespace

std::string toml_sample(const CLI::Option& option) {
    const std::string fallback = option.get_default_str();
    switch (value_kind(option)) {
        case ValueKind::flag:
        case ValueKind::boolean: return fallback == "true" ? "true" : "false";
        case ValueKind::integer:
        case ValueKind::unsigned_integer:
        case ValueKind::number: return fallback.empty() ? "0" : fallback;
        case ValueKind::duration: return quoted(fallback.empty() ? "24h" : fallback);
        case ValueKind::text:
        case ValueKind::path:
        case ValueKind::scalar: break;
    }
    const auto choices = choices_of(option);
    const std::string value = !fallback.empty() ? fallback : choices.empty() ? std::string() : choices.front();
    return option.get_items_expected_max() > 1 ? "[" + (value.empty() ? "" : quoted(value)) + "]" : quoted(value);
}

std::string config_template(CLI::App& root) {
    std::string text = fmt::format(
        "# soniabk configuration, written by `soniabk config init` (soniabk {}).\n"
        "#\n"
        "# soniabk reads the first of: --config FILE, $SONIABK_CONFIG, ./soniabk.toml, {}.\n"
        "# Keys are the commands' long option names. A key at the top applies to every command that has\n"
        "# that option; a key in a table such as [prune] or [backup.db] to that command only.\n"
        "# Precedence: command-line flag > environment variable > this file > built-in default.\n"
        "# Every option is listed, commented out, with its default: uncomment what you change, then check\n"
        "# the result with `soniabk config show`.\n",
        tool_version, system_config_path().string());
    text += "\n" + options_block(root) + s3_block();
    for_each_command(root, [&](CLI::App& app) {
        if (app.get_parent() == nullptr) return;
        const std::string block = options_block(app);
        if (block.empty()) return;
        std::string table = command_path(app);
        std::replace(table.begin(), table.end(), ' ', '.');
        text += fmt::format("\n# soniabk {}: {}\n[{}]\n{}", command_path(app), app.get_description(), table, block);
    });
    return text;
}

}  // namespace soniabk::cli
