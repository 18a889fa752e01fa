#include "platform/owner_only_win32.hpp"

#include "platform/files.hpp"
#include "platform/handles_win32.hpp"

#include <aclapi.h>
#include <sddl.h>

#include <vector>

namespace soniabk::platform {

namespace detail {

namespace {

// The current user's SID, read from the process token once.
PSID current_user_sid() {
    static const std::vector<unsigned char> user = [] {
        std::vector<unsigned char> buffer;
        HANDLE token = nullptr;
        if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) return buffer;
        DWORD size = 0;
        ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
        buffer.resize(size);
        if (!::GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) buffer.clear();
        ::CloseHandle(token);
        return buffer;
    }();
    return user.empty() ? nullptr : reinterpret_cast<const TOKEN_USER*>(user.data())->User.Sid;
}

struct WellKnownSid {
    explicit WellKnownSid(WELL_KNOWN_SID_TYPE type) {
        DWORD size = SECURITY_MAX_SID_SIZE;
        if (!::CreateWellKnownSid(type, nullptr, bytes, &size)) bytes[0] = 0;
    }
    PSID sid() { return bytes[0] == 0 ? nullptr : static_cast<PSID>(bytes); }
    unsigned char bytes[SECURITY_MAX_SID_SIZE]{};
};

WellKnownSid& system_sid() {
    static WellKnownSid sid(WinLocalSystemSid);
    return sid;
}

WellKnownSid& administrators_sid() {
    static WellKnownSid sid(WinBuiltinAdministratorsSid);
    return sid;
}

EXPLICIT_ACCESS_W full_control(PSID sid, DWORD inheritance) {
    EXPLICIT_ACCESS_W access{};
    access.grfAccessPermissions = GENERIC_ALL;
    access.grfAccessMode = SET_ACCESS;
    access.grfInheritance = inheritance;
    access.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    access.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
    access.Trustee.ptstrName = static_cast<LPWSTR>(sid);
    return access;
}

}  // namespace

OwnerOnlySecurity::OwnerOnlySecurity(Target target) {
    const DWORD inheritance = target == Target::directory ? SUB_CONTAINERS_AND_OBJECTS_INHERIT : NO_INHERITANCE;
    std::vector<EXPLICIT_ACCESS_W> entries;
    for (PSID sid : {current_user_sid(), system_sid().sid(), administrators_sid().sid()}) {
        if (sid != nullptr) entries.push_back(full_control(sid, inheritance));
    }
    if (entries.empty() || ::SetEntriesInAclW(static_cast<ULONG>(entries.size()), entries.data(), nullptr, &acl_) !=
                               ERROR_SUCCESS) {
        acl_ = nullptr;
        return;
    }
    ::InitializeSecurityDescriptor(&descriptor_, SECURITY_DESCRIPTOR_REVISION);
    ::SetSecurityDescriptorDacl(&descriptor_, TRUE, acl_, FALSE);
    ::SetSecurityDescriptorControl(&descriptor_, SE_DACL_PROTECTED, SE_DACL_PROTECTED);
    attributes_ = {static_cast<DWORD>(sizeof(SECURITY_ATTRIBUTES)), &descriptor_, FALSE};
}

OwnerOnlySecurity::~OwnerOnlySecurity() {
    if (acl_ != nullptr) ::LocalFree(acl_);
}

bool is_owner_only_trustee(PSID sid) {
    for (PSID allowed : {current_user_sid(), system_sid().sid(), administrators_sid().sid()}) {
        if (allowed != nullptr && ::EqualSid(sid, allowed)) return true;
    }
    return false;
}

}  // namespace detail

void make_owner_only(const fs::path& path) {
    using Target = detail::OwnerOnlySecurity::Target;
    detail::OwnerOnlySecurity security(fs::is_directory(path) ? Target::directory : Target::file);
    if (security.acl() == nullptr) throw io_error("set owner-only access", path, EIO);
    std::wstring name = detail::win32_path(path);
    const DWORD rc = ::SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT,
                                             DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                                             nullptr, security.acl(), nullptr);
    if (rc != ERROR_SUCCESS) throw io_error("set owner-only access", path, detail::errno_of_win32(rc));
}

bool is_owner_only(const fs::path& path) {
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    std::wstring name = detail::win32_path(path);
    if (::GetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl,
                                nullptr, &descriptor) != ERROR_SUCCESS) {
        return false;
    }
    bool owner_only = dacl != nullptr;  // a NULL DACL lets everyone in
    for (DWORD i = 0; owner_only && i < dacl->AceCount; ++i) {
        void* entry = nullptr;
        if (!::GetAce(dacl, i, &entry)) continue;
        const auto* header = static_cast<const ACE_HEADER*>(entry);
        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) continue;
        auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(entry);
        owner_only = detail::is_owner_only_trustee(reinterpret_cast<PSID>(&allowed->SidStart));
    }
    ::LocalFree(descriptor);
    return owner_only;
}

}  // namespace soniabk::platform
