#include "base/error.hpp"
#include "base/progress.hpp"
#include "commands/copy_objects.hpp"
#include "storage/local_storage.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

using namespace soniabk;
using storage::Capability;
namespace fs = std::filesystem;

namespace {

// What a destination does to the bytes written to it, and whether it says its server checks each upload.
enum class Delivery { faithful, flips_first_byte };
enum class UploadChecks { none, by_server };

// A sink that changes the first byte it is given, as a bad disk or a broken server would.
class FlippingSink final : public ByteSink {
public:
    explicit FlippingSink(ByteSink& next) : next_(next) {}
    void write(const void* data, std::size_t size) override {
        std::string bytes(static_cast<const char*>(data), size);
        if (!flipped_ && !bytes.empty()) bytes[0] = static_cast<char>(bytes[0] ^ 0x5a);
        flipped_ = flipped_ || !bytes.empty();
        next_.write(bytes.data(), bytes.size());
    }
    void finish() override { next_.finish(); }

private:
    ByteSink& next_;
    bool flipped_ = false;
};

class FlippingObject final : public storage::NewObject {
public:
    explicit FlippingObject(std::unique_ptr<storage::NewObject> inner) : inner_(std::move(inner)), sink_(inner_->sink()) {}
    ByteSink& sink() override { return sink_; }
    std::optional<fs::path> local_path() const override { return std::nullopt; }
    void publish() override { inner_->publish(); }

private:
    std::unique_ptr<storage::NewObject> inner_;
    FlippingSink sink_;
};

// A local directory that may damage what it is given, may claim to check uploads, and counts reads.
class TestDestination final : public storage::Storage {
public:
    TestDestination(fs::path root, Delivery delivery, UploadChecks checks) : local_(std::move(root)), delivery_(delivery), checks_(checks) {}
    mutable int opened = 0;

    fs::path location(std::string_view key) const override { return local_.location(key); }
    bool has(Capability capability) const override {
        return capability == Capability::checked_uploads ? checks_ == UploadChecks::by_server
                                                        : capability == Capability::conditional_create;
    }
    std::unique_ptr<storage::NewObject> create(std::string_view key, storage::Overwrite overwrite) override {
        auto object = local_.create(key, overwrite);
        if (delivery_ == Delivery::faithful) return object;
        return std::make_unique<FlippingObject>(std::move(object));
    }
    std::unique_ptr<storage::ObjectReader> open(std::string_view key, storage::ByteRange range) const override {
        ++opened;
        return local_.open(key, range);
    }
    std::optional<storage::ObjectInfo> stat(std::string_view key) const override { return local_.stat(key); }
    std::vector<storage::ObjectInfo> list(std::string_view prefix, storage::Listing listing) const override {
        return local_.list(prefix, listing);
    }
    void remove(std::string_view key) override { local_.remove(key); }
    void append(std::string_view key, std::string_view bytes) override { local_.append(key, bytes); }
    std::unique_ptr<storage::Lock> try_lock(std::string_view key, std::string_view holder) override {
        return local_.try_lock(key, holder);
    }
    std::optional<fs::path> local_path(std::string_view) const override { return std::nullopt; }

private:
    storage::LocalStorage local_;
    Delivery delivery_;
    UploadChecks checks_;
};

struct CopyFixture {
    test::TempDir dir;
    storage::LocalStorage from{dir.path()};
    const fs::path to_root = dir / "to";
    const std::string content = std::string(200000, 'x') + "the end";
    CopyFixture() {
        from.write_all("db/data", content, storage::Overwrite::never);
        fs::create_directories(to_root);
    }
};

}  // namespace

TEST_CASE("copy_objects: a destination that damages what it is given is caught reading back, and the object removed") {
    CopyFixture f;
    TestDestination to(f.to_root, Delivery::flips_first_byte, UploadChecks::none);
    ObjectCopier copier(f.from, to, 0, no_progress());
    try {
        copier.copy("db/data", digest_of(f.content));
        FAIL("the damaged copy passed");
    } catch (const Error& e) {
        CHECK(e.code() == "copy_mismatch");
        CHECK_THAT(e.what(), Catch::Contains("the copy does not match") && Catch::Contains(f.to_root.string()));
    }
    CHECK(to.opened == 1);
    CHECK_FALSE(to.stat("db/data"));
}

TEST_CASE("copy_objects: a destination that checks uploads itself is not read back, a faithful one is") {
    const UploadChecks checks = GENERATE(UploadChecks::none, UploadChecks::by_server);
    INFO("checked by the server: " << (checks == UploadChecks::by_server));
    CopyFixture f;
    TestDestination to(f.to_root, Delivery::faithful, checks);
    ObjectCopier copier(f.from, to, 0, no_progress());
    copier.copy("db/data", digest_of(f.content));
    CHECK(to.opened == (checks == UploadChecks::by_server ? 0 : 1));
    CHECK(to.read_all("db/data") == f.content);
    CHECK(copier.counts().objects_copied == 1);
    CHECK(copier.counts().bytes_copied == f.content.size());
}

TEST_CASE("copy_objects: source bytes that differ from their digest are never published") {
    CopyFixture f;
    TestDestination to(f.to_root, Delivery::faithful, UploadChecks::by_server);
    ObjectCopier copier(f.from, to, 0, no_progress());
    CHECK_THROWS_WITH(copier.copy("db/data", digest_of("something else")),
                      Catch::Contains("does not hold what its backup says") && Catch::Contains(f.dir.path().string()));
    CHECK_FALSE(to.stat("db/data"));
    CHECK(to.list("db", storage::Listing::leftovers).empty());
}

TEST_CASE("copy_objects: an object already there is read back whatever the destination checks") {
    CopyFixture f;
    TestDestination to(f.to_root, Delivery::faithful, UploadChecks::by_server);
    to.write_all("db/data", "not the content", storage::Overwrite::never);
    ObjectCopier copier(f.from, to, 0, no_progress());
    CHECK_THROWS_WITH(copier.copy("db/data", digest_of(f.content)), Catch::Contains("already there but not"));
    CHECK(to.read_all("db/data") == "not the content");  // not ours: kept for the operator to look at
}
