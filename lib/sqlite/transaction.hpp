// A write transaction that rolls back unless committed, so a failure leaves the database exactly as it was.
#pragma once

#include "sqlite/sqlite.hpp"

namespace soniabk {

class WriteTransaction {
public:
    // BEGIN IMMEDIATE: takes the write lock now (waiting up to the busy timeout), not at the first write.
    explicit WriteTransaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction() {
        if (committed_) return;
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
            // SQLite already rolled back, or the connection is closing: either way nothing was committed.
        }
    }
    void commit() {
        db_.exec("COMMIT");
        committed_ = true;
    }

private:
    Database& db_;
    bool committed_ = false;
};

}  // namespace soniabk
