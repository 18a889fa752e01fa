// Where a repository lives: an s3:// URL (a bucket and prefix) or a local directory.
#pragma once

#include "net/s3_client.hpp"

#include <filesystem>
#include <string>

namespace soniabk {

// Whether `root` is an s3:// URL. Read through string(), never generic_string(), which collapses its "//".
bool is_bucket_location(const std::filesystem::path& root);

// How journals and status name a repository: a URL as written, a directory absolute and normalised.
std::string location_text(const std::filesystem::path& root);

// How every bucket of this run is reached: the program sets what its config file's [s3] table and the AWS_*
// variables resolve to, once, before a command runs (as the environment it refines is one per process).
// Until then, the environment alone (s3_settings_from_environment).
void use_s3_settings(const S3Settings& settings);
S3Settings s3_settings();

}  // namespace soniabk
