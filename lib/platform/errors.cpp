#include "platform/errors.hpp"

namespace soniabk::platform {

Error in_use_error(const std::filesystem::path& path) {
    return runtime_error(ErrorCode::target_in_use,
                         path.string() + ": another process has it open, so it cannot be removed or replaced "
                                         "(stop it first, e.g. with --stop-cmd)",
                         path);
}

}  // namespace soniabk::platform
