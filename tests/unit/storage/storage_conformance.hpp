// The behaviour every Storage implementation must show, run against each one (local now, object stores next).
#pragma once

#include "storage/storage.hpp"

#include <functional>
#include <memory>

// Runs the whole suite as Catch sections; `make` returns a new, empty storage each time it is called.
void check_storage_conformance(const std::function<std::unique_ptr<soniabk::storage::Storage>()>& make);
