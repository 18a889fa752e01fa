// The behaviour every Storage implementation must show, run against each one (local now, object stores next).
#pragma once

#include "storage/storage.hpp"

#include <functional>
#include <memory>
#include <string>

// The bytes of `range` of `key`, read through the storage's reader.
std::string read_range(const soniabk::storage::Storage& s, const std::string& key, soniabk::storage::ByteRange range);
// The code of the soniabk::Error `action` throws, or "no error".
std::string storage_error_code(const std::function<void()>& action);

// Runs the whole suite as Catch sections; `make` returns a new, empty storage each time it is called.
void check_storage_conformance(const std::function<std::unique_ptr<soniabk::storage::Storage>()>& make);
