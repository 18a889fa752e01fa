#include "gateway_process.hpp"
#include "repo_init.hpp"
#include "base/json.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using test::GatewayProcess;
namespace fs = std::filesystem;

namespace {

struct KeyedRepo {
    test::TempDir tmp;
    fs::path repo = tmp / "repo";
    fs::path key = tmp / "state.key";
    std::map<std::string, std::string> keyed{{"SONIABK_KEY_FILE", key.string()}};

    KeyedRepo() {
        test::init_repo(repo);
        REQUIRE(test::run_soniabk({"keygen", key.string()}).exit_code == 0);
    }

    test::ProcessResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
        args.insert(args.begin(), {"--json", "--repo", repo.string()});
        return test::run_soniabk(args, {std::move(env), {}, {}});
    }
};

}  // namespace

TEST_CASE("cli encoded state: compressed and encrypted state backups verify, extract and restore their DLQ") {
    KeyedRepo f;
    const auto codec = GENERATE(std::vector<std::string>{"--compress", "zstd"}, std::vector<std::string>{"--encrypt"},
                                std::vector<std::string>{"--compress", "zstd:7", "--encrypt"});
    INFO("flags: " << Json(codec).dump());
    {
        GatewayProcess before_crash(f.tmp / "gw");
        std::vector<std::string> args{"backup", "state", "--gateway", before_crash.url(), "--gateway-dir",
                                      before_crash.dir().string()};
        args.insert(args.end(), codec.begin(), codec.end());
        const auto r = f.run(args, f.keyed);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        const Json out = Json::parse(r.out);
        CHECK(out["manifest"]["dlq_count"] == 3);  // this run's own output still says what it stored
        const std::string path = out["path"];
        const bool encrypted = codec.back() == "--encrypt";
        CHECK(path.ends_with(encrypted ? ".enc" : ".json.zst"));
        const Json manifest = Json::parse(test::read_text(out["manifest_path"].get<std::string>()));
        CHECK(manifest.contains("state") != encrypted);  // an encrypted manifest tells nothing about the content
    }

    const auto verified = f.run({"verify", "--kind", "state", "--deep"}, f.keyed);
    INFO(verified.out);
    CHECK(verified.exit_code == 0);

    const auto extracted = f.run({"restore", "state", "--latest", "--extract", "confirmations"}, f.keyed);
    INFO(extracted.err);
    REQUIRE(extracted.exit_code == 0);
    CHECK(Json::parse(extracted.out)[0]["confirmation_id"] == "conf-1");

    GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
    const auto restored = f.run({"restore", "state", "--latest", "--dlq", "--gateway", fresh.url()}, f.keyed);
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    CHECK(Json::parse(restored.out)["dlq"]["restored"] == Json::array({"dlq-1", "dlq-2", "dlq-3"}));
}

TEST_CASE("cli encoded state: an encrypted state backup needs its key, and a wrong one posts nothing") {
    KeyedRepo f;
    {
        GatewayProcess before_crash(f.tmp / "gw");
        REQUIRE(f.run({"backup", "state", "--gateway", before_crash.url(), "--gateway-dir", before_crash.dir().string(),
                       "--encrypt"},
                      f.keyed)
                    .exit_code == 0);
    }
    GatewayProcess fresh(f.tmp / "gw2", {"--dlq", "0"});
    const fs::path other = f.tmp / "other.key";
    REQUIRE(test::run_soniabk({"keygen", other.string()}).exit_code == 0);
    const auto wrong = f.run({"restore", "state", "--latest", "--dlq", "--gateway", fresh.url()},
                             {{"SONIABK_KEY_FILE", other.string()}});
    CHECK(wrong.exit_code == 3);
    CHECK(Json::parse(wrong.out)["error"]["code"] == "wrong_key");
    const auto none = f.run({"restore", "state", "--latest", "--dlq", "--gateway", fresh.url()}, {{"SONIABK_KEY_FILE", ""}});
    CHECK(none.exit_code == 2);
    CHECK(fresh.request_log().empty());
}
