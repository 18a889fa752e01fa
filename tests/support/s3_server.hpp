// The S3 server the tests use: a real Ceph RADOS Gateway on 127.0.0.1 that scripts/rgw.sh starts, named by
// SONIABK_TEST_S3_ENDPOINT, SONIABK_TEST_S3_ACCESS_KEY_ID, SONIABK_TEST_S3_SECRET_ACCESS_KEY and
// SONIABK_TEST_S3_REGION (never AWS_*, so a developer's real credentials are never used by a test).
#pragma once

#include "net/s3_client.hpp"

#include <map>
#include <optional>
#include <string>

namespace soniabk::test {

// The gateway's settings, or nothing when none was started.
std::optional<S3Settings> test_s3_settings();

// Ends the test when there is no gateway: printing why, or failing under CI (CI=true), where one must run.
#define SONIABK_REQUIRE_S3(settings)                                                                     \
    const std::optional<soniabk::S3Settings> settings = soniabk::test::test_s3_settings();              \
    if (!settings) {                                                                                     \
        if (soniabk::test::s3_required()) FAIL("no S3 gateway: CI must start one (scripts/rgw.sh)");     \
        WARN("SKIPPED: no S3 gateway (start one with scripts/rgw.sh start DIR; see tests/support/README.md)"); \
        return;                                                                                          \
    }

bool s3_required();

// The bucket every test shares, created on first use; each test works under a prefix of its own.
std::string test_s3_bucket(const S3Settings& settings);
// "s3://BUCKET/t-<random>": a repository URL no other test has used.
std::string fresh_s3_url(const S3Settings& settings);

// The environment a soniabk process needs to reach the gateway (AWS_* for the child only).
std::map<std::string, std::string> s3_environment(const S3Settings& settings);

}  // namespace soniabk::test
