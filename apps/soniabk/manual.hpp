// The man pages as `man` shows them on a terminal, built into the binary (generated from man/*.1 by
// cmake/EmbedManual.cmake), so `soniabk help` works where there is no man, as on Windows.
#pragma once

#include <string_view>
#include <vector>

namespace soniabk::cli {

struct ManualPage {
    std::string_view name;  // "soniabk-backup"; "soniabk" for the overview
    std::string_view text;
};

const std::vector<ManualPage>& manual_pages();

}  // namespace soniabk::cli
