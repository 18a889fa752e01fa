#include "repo/location.hpp"

#include "net/s3_config.hpp"

#include <mutex>
#include <optional>

namespace soniabk {

bool is_bucket_location(const std::filesystem::path& root) { return is_s3_url(root.string()); }

namespace {

std::mutex settings_mutex;
std::optional<S3Settings> chosen_settings;

}  // namespace

void use_s3_settings(const S3Settings& settings) {
    const std::lock_guard guard(settings_mutex);
    chosen_settings = settings;
}

S3Settings s3_settings() {
    const std::lock_guard guard(settings_mutex);
    return chosen_settings ? *chosen_settings : s3_settings_from_environment();
}

std::string location_text(const std::filesystem::path& root) {
    return is_bucket_location(root) ? root.string() : std::filesystem::absolute(root).lexically_normal().string();
}

}  // namespace soniabk
