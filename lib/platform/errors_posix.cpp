#include "platform/errors.hpp"

namespace soniabk::platform {

int errno_of(const std::error_code& ec) { return ec.value(); }

}  // namespace soniabk::platform
