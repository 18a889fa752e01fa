#include "platform/errors.hpp"

#include "platform/handles_win32.hpp"

namespace soniabk::platform {

// std::filesystem reports Win32 errors in the system category, and errno values in the generic one.
int errno_of(const std::error_code& ec) {
    if (ec.category() == std::generic_category()) return ec.value();
    return detail::errno_of_win32(static_cast<DWORD>(ec.value()));
}

}  // namespace soniabk::platform
