// Every error code soniabk reports (`error.code` in JSON): one registry, so a code cannot be misspelt at a
// call site and docs/JSON.md can be checked to list them all.
#pragma once

#include <span>
#include <string_view>

namespace soniabk {

// X(code): the codes, alphabetically; docs/JSON.md says what each means.
#define SONIABK_ERROR_CODES(X)                                                                              \
    X(backup_damaged) X(backup_id_mismatch) X(backup_incomplete) X(cannot_open) X(check_failed) X(clock_skew)            \
    X(command_failed) X(command_timeout) X(compress) X(config) X(content_mismatch) X(copy_incompatible) X(copy_mismatch) X(corrupt)            \
    X(counts_mismatch) X(crypto) X(db_missing) X(disk_full) X(exists) X(fts_unsupported) X(gateway_dir)     \
    X(gateway_file_missing) X(gateway_invalid) X(gateway_path) X(http_status) X(incomplete)                \
    X(integrity_check_failed) X(internal) X(interrupted) X(invalid_json) X(invalid_xml) X(io) X(key_invalid) X(key_missing)              \
    X(key_required) X(last_good_backup) X(locked) X(manifest_invalid) X(manifest_missing)                  \
    X(no_archived_at) X(no_backup) X(no_space) X(not_a_repository) X(not_encrypted) X(not_found) X(not_sqlite) X(not_wal)               \
    X(permission_denied) X(repo_config_invalid) X(repo_encrypted) X(repo_missing) X(schema_mismatch) X(set_incomplete) X(sha256_mismatch) X(size_mismatch) X(sqlite)     \
    X(sqlite_too_old) X(state_invalid) X(tampered) X(target_dir_missing) X(target_in_use) X(timeout) X(tls)  \
    X(too_large) X(unhealthy) X(unreachable)                                                                \
    X(usage) X(wrong_key)

enum class ErrorCode {
#define SONIABK_ERROR_CODE_ENUM(name) name,
    SONIABK_ERROR_CODES(SONIABK_ERROR_CODE_ENUM)
#undef SONIABK_ERROR_CODE_ENUM
};

std::string_view to_string(ErrorCode code);
std::span<const ErrorCode> all_error_codes();

}  // namespace soniabk
