#include "s3_server.hpp"

#include "base/environment.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <stdexcept>

namespace soniabk::test {

std::optional<S3Settings> test_s3_settings() {
    const std::string endpoint = environment("SONIABK_TEST_S3_ENDPOINT");
    if (endpoint.empty()) return std::nullopt;
    S3Settings settings;
    settings.endpoint = endpoint;
    settings.access_key_id = environment("SONIABK_TEST_S3_ACCESS_KEY_ID");
    settings.secret_key = environment("SONIABK_TEST_S3_SECRET_ACCESS_KEY");
    if (const std::string region = environment("SONIABK_TEST_S3_REGION"); !region.empty()) settings.region = region;
    settings.retry_budget = std::chrono::seconds(20);
    return settings;
}

bool s3_required() { return environment("CI") == "true"; }

std::string test_s3_bucket(const S3Settings& settings) {
    static const std::string bucket = [&] {
        const std::string name = "soniabk-tests";
        const S3Client client(settings, name);
        const S3Response response = client.send({"PUT", "", {}, {}, {}});
        // 409 BucketAlreadyOwnedByYou: an earlier test made it.
        if (response.status != 200 && response.status != 409) client.fail({"PUT", "", {}, {}, {}}, response);
        return name;
    }();
    return bucket;
}

std::string fresh_s3_url(const S3Settings& settings) {
    static std::mt19937_64 random{std::random_device{}()};
    return "s3://" + test_s3_bucket(settings) + "/t-" + std::to_string(random());
}

std::map<std::string, std::string> s3_environment(const S3Settings& settings) {
    return {{"AWS_ENDPOINT_URL", settings.endpoint},
            {"AWS_ACCESS_KEY_ID", settings.access_key_id},
            {"AWS_SECRET_ACCESS_KEY", settings.secret_key},
            {"AWS_REGION", settings.region},
            {"AWS_ENDPOINT_URL_S3", ""},
            {"AWS_SESSION_TOKEN", ""}};
}

}  // namespace soniabk::test
