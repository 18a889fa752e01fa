#include "base/error.hpp"
#include "base/fault.hpp"
#include "platform/files.hpp"
#include "platform/handles_win32.hpp"
#include "platform/owner_only_win32.hpp"

#include <cerrno>
#include <windows.h>

namespace soniabk::platform {

void append_to_file(const fs::path& path, std::string_view bytes) {
    detail::OwnerOnlySecurity security(detail::OwnerOnlySecurity::Target::file);
    const HANDLE handle = detail::h(detail::open_or_throw(path, FILE_APPEND_DATA, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                                                          "open for append", security.attributes()));
    int failure = 0;
    DWORD written = 0;
    if (fault::io_call("write") != fault::IoFault::none) {
        failure = ENOSPC;
    } else if (!::WriteFile(handle, bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr)) {
        failure = detail::last_errno();
    } else if (written != bytes.size()) {
        failure = ENOSPC;
    } else if (fault::io_call("fsync") != fault::IoFault::none || !::FlushFileBuffers(handle)) {
        failure = EIO;
    }
    ::CloseHandle(handle);
    if (failure != 0) throw io_error("append", path, failure);
}

}  // namespace soniabk::platform
