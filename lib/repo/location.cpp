#include "repo/location.hpp"

#include "net/s3_client.hpp"

namespace soniabk {

bool is_bucket_location(const std::filesystem::path& root) { return is_s3_url(root.string()); }

std::string location_text(const std::filesystem::path& root) {
    return is_bucket_location(root) ? root.string() : std::filesystem::absolute(root).lexically_normal().string();
}

}  // namespace soniabk
