// How a bucket is reached: the config file's [s3] table with the AWS CLI's environment variables over it
// (flag > environment > file > default, the precedence of every soniabk option).
#pragma once

#include "base/config_file.hpp"
#include "net/s3_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soniabk {

// The keys of the [s3] table, in the order `config show` and `config init` list them.
const std::vector<std::string>& s3_config_keys();
// Keys whose value is never shown: `config show` says "(set)" instead.
bool is_s3_secret(std::string_view key);

// One key's effective value and where it came from, for `config show`.
struct S3SettingSource {
    std::string key;
    std::optional<std::string> value;  // none when unset; "(set)" for a secret that is set
    std::string kind;                  // "env", "file" or "default"
    std::string env;                   // the variable, for "env"
    int line = 0;                      // for "file"
};

struct S3Config {
    S3Settings settings;
    std::vector<S3SettingSource> sources;  // one per key of s3_config_keys()
};

// `entries` are the [s3] table's keys (any other entry is ignored); every key must be one of
// s3_config_keys() with a value of its type, else a `config` error naming `file` and the line. The AWS_*
// variables override what the file says, key by key.
S3Config resolve_s3_config(const std::vector<ConfigEntry>& entries, const fs::path& file);

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (or AWS_DEFAULT_REGION), and
// AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), without a config file.
S3Settings s3_settings_from_environment();

}  // namespace soniabk
