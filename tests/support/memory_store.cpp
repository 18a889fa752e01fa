#include "memory_store.hpp"

namespace soniabk::test {

Database memory_store(const TempDir& dir, const char* extra) {
    Database db = Database::open(dir / "m.db", Database::Mode::create);
    db.exec("CREATE TABLE memories(id INTEGER PRIMARY KEY, content TEXT)");
    db.exec(extra);
    return db;
}

}  // namespace soniabk::test
