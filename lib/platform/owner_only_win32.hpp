// Shared by the platform/*_win32.cpp files only: the owner-only security descriptor of soniabk's files and folders.
#pragma once

#include <windows.h>

namespace soniabk::platform::detail {

// A DACL granting full control to the current user, SYSTEM (Task Scheduler's account) and Administrators only,
// protected from the parent's inherited entries; folders pass it on to what is created inside them.
class OwnerOnlySecurity {
public:
    enum class Target { file, directory };
    explicit OwnerOnlySecurity(Target target);
    OwnerOnlySecurity(const OwnerOnlySecurity&) = delete;
    OwnerOnlySecurity& operator=(const OwnerOnlySecurity&) = delete;
    ~OwnerOnlySecurity();

    PACL acl() const { return acl_; }
    // For CreateFileW / CreateDirectoryW: the object is owner-only from its first instant.
    SECURITY_ATTRIBUTES* attributes() { return acl_ == nullptr ? nullptr : &attributes_; }

private:
    PACL acl_ = nullptr;
    SECURITY_DESCRIPTOR descriptor_{};
    SECURITY_ATTRIBUTES attributes_{};
};

// Whether `sid` is the current user, SYSTEM or Administrators.
bool is_owner_only_trustee(PSID sid);

}  // namespace soniabk::platform::detail
