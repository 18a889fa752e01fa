// The TOML configuration file, as an operator may have mistyped it.
#include "base/config_file.hpp"
#include "fuzz_support.hpp"

#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    soniabk::fuzz::refusing_only_with_errors([&] {
        std::istringstream in{std::string(soniabk::fuzz::as_text(data, size))};
        soniabk::parse_config(in, "fuzz.toml");
    });
    return 0;
}
