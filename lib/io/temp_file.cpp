#include "io/temp_file.hpp"

namespace soniabk {

TempFile::~TempFile() {
    if (released_) return;
    std::error_code ignored;
    // A database written under a temp name may have left its journal, WAL or wal-index beside it.
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix, ignored);
}

}  // namespace soniabk
