// The config file's [s3] table: its keys become S3Settings, each AWS_* variable overrides its key, secrets are
// never shown, and a value of the wrong type is a config error naming the line.
#include "net/s3_config.hpp"

#include "base/error.hpp"
#include "portable.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace soniabk;

namespace {

std::vector<ConfigEntry> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_config(in, "test.toml").entries;
}

const S3SettingSource& source(const S3Config& config, const std::string& key) {
    for (const auto& s : config.sources) {
        if (s.key == key) return s;
    }
    FAIL("no source for " << key);
    throw;
}

// No AWS_* variable of the developer's leaks into these tests, and none they set outlives them.
struct CleanAwsEnvironment {
    CleanAwsEnvironment() { clear(); }
    ~CleanAwsEnvironment() { clear(); }
    static void clear() {
        for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION",
                                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
            test::unset_env(name);
        }
    }
};

const std::string full_table = "[s3]\nendpoint = \"http://nas:9000\"\nregion = \"eu-central-1\"\npath_style = true\n"
                               "access_key_id = \"AKIDFILE\"\nsecret_access_key = \"file-secret\"\n"
                               "session_token = \"file-token\"\ntimeout = \"5s\"\nretry_budget = \"2m\"\n";

}  // namespace

TEST_CASE("s3_config: every key of the [s3] table reaches the settings, with its line") {
    const CleanAwsEnvironment clean;
    const S3Config config = resolve_s3_config(parse(full_table), "test.toml");
    CHECK(config.settings.endpoint == "http://nas:9000");
    CHECK(config.settings.region == "eu-central-1");
    CHECK(config.settings.path_style == true);
    CHECK(config.settings.access_key_id == "AKIDFILE");
    CHECK(config.settings.secret_key == "file-secret");
    CHECK(config.settings.session_token == "file-token");
    CHECK(config.settings.timeout == std::chrono::seconds(5));
    CHECK(config.settings.retry_budget == std::chrono::minutes(2));
    CHECK(config.sources.size() == s3_config_keys().size());
    CHECK(source(config, "region").kind == "file");
    CHECK(source(config, "region").line == 3);
    CHECK(source(config, "secret_access_key").value == "(set)");
    CHECK(source(config, "session_token").value == "(set)");
    CHECK(source(config, "access_key_id").value == "AKIDFILE");
}

TEST_CASE("s3_config: an AWS_* variable beats its [s3] key, as the environment beats the file everywhere") {
    const CleanAwsEnvironment clean;
    test::set_env("AWS_SECRET_ACCESS_KEY", "env-secret");
    test::set_env("AWS_DEFAULT_REGION", "auto");
    const S3Config config = resolve_s3_config(parse(full_table), "test.toml");
    CHECK(config.settings.secret_key == "env-secret");
    CHECK(config.settings.region == "auto");
    CHECK(source(config, "secret_access_key").kind == "env");
    CHECK(source(config, "secret_access_key").env == "AWS_SECRET_ACCESS_KEY");
    CHECK(source(config, "secret_access_key").value == "(set)");
    CHECK(source(config, "region").env == "AWS_DEFAULT_REGION");
    CHECK(config.settings.access_key_id == "AKIDFILE");  // the file still gives what the environment does not
    const S3Settings alone = s3_settings_from_environment();
    CHECK(alone.secret_key == "env-secret");
    CHECK(alone.endpoint.empty());
    CHECK_FALSE(alone.path_style);
}

TEST_CASE("s3_config: unset keys, and keys set to an empty string, keep their defaults") {
    const CleanAwsEnvironment clean;
    const S3Config config = resolve_s3_config(parse("[s3]\nsecret_access_key = \"\"\n"), "test.toml");
    CHECK(config.settings.region == "us-east-1");
    CHECK(source(config, "region").value == "us-east-1");
    CHECK(source(config, "timeout").value == "30s");
    CHECK(config.settings.timeout == std::chrono::seconds(30));
    CHECK(source(config, "secret_access_key").kind == "default");
    CHECK_FALSE(source(config, "secret_access_key").value);
}

TEST_CASE("s3_config: a value of the wrong type or a bad duration is a config error naming the line") {
    const CleanAwsEnvironment clean;
    const auto error_of = [](const std::string& text) {
        try {
            resolve_s3_config(parse(text), "test.toml");
        } catch (const Error& e) {
            CHECK(e.code() == "config");
            CHECK(e.exit_code() == 2);
            return std::string(e.what());
        }
        FAIL("no error for " << text);
        return std::string();
    };
    CHECK(error_of("[s3]\npath_style = \"yes\"\n") == "test.toml:2: 'path_style' in [s3] must be true or false, not a string");
    CHECK(error_of("[s3]\nregion = \"x\"\ntimeout = \"soon\"\n").starts_with("test.toml:3: 'timeout' must be a duration"));
    CHECK(error_of("[s3]\nendpoint = 9000\n").find("must be a string, not an integer") != std::string::npos);
}
