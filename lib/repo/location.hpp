// Where a repository lives: an s3:// URL (a bucket and prefix) or a local directory.
#pragma once

#include <filesystem>
#include <string>

namespace soniabk {

// Whether `root` is an s3:// URL. Read through string(), never generic_string(), which collapses its "//".
bool is_bucket_location(const std::filesystem::path& root);

// How journals and status name a repository: a URL as written, a directory absolute and normalised.
std::string location_text(const std::filesystem::path& root);

}  // namespace soniabk
