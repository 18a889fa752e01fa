# SQLite, compiled from the amalgamation pinned in cmake/sqlite.pin (scripts/setup.sh fetches it; the build never
# downloads): the static target `sqlite3`, the only SQLite any soniabk binary links.
enable_language(C)

file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/sqlite.pin _pin REGEX "^[A-Z0-9_]+=")
foreach(_line IN LISTS _pin)
  string(REGEX REPLACE "^([A-Z0-9_]+)=(.*)$" "\\1;\\2" _pair "${_line}")
  list(GET _pair 0 _key)
  list(GET _pair 1 _value)
  set(SONIABK_PIN_${_key} "${_value}")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/sqlite.pin)

# The cache directory scripts/fetch_sqlite.sh fills, unless -DSONIABK_SQLITE_DIR names another copy.
if(SONIABK_SQLITE_DIR)
  set(SONIABK_SQLITE_SOURCE_DIR "${SONIABK_SQLITE_DIR}")
elseif(DEFINED ENV{SONIABK_CACHE})
  set(SONIABK_SQLITE_SOURCE_DIR "$ENV{SONIABK_CACHE}/sqlite-${SONIABK_PIN_SQLITE_VERSION}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(SONIABK_SQLITE_SOURCE_DIR "$ENV{XDG_CACHE_HOME}/soniabk/sqlite-${SONIABK_PIN_SQLITE_VERSION}")
else()
  set(SONIABK_SQLITE_SOURCE_DIR "$ENV{HOME}/.cache/soniabk/sqlite-${SONIABK_PIN_SQLITE_VERSION}")
endif()

foreach(_file_key "sqlite3.c;SQLITE_C_SHA256" "sqlite3.h;SQLITE_H_SHA256" "sqlite3ext.h;SQLITE_EXT_H_SHA256")
  list(GET _file_key 0 _file)
  list(GET _file_key 1 _key)
  if(NOT EXISTS "${SONIABK_SQLITE_SOURCE_DIR}/${_file}")
    # The leading space keeps CMake from wrapping the message: it stays one line.
    message(FATAL_ERROR " SQLite ${SONIABK_PIN_SQLITE_VERSION} source not found in ${SONIABK_SQLITE_SOURCE_DIR}: run scripts/setup.sh")
  endif()
  file(SHA256 "${SONIABK_SQLITE_SOURCE_DIR}/${_file}" _sum)
  if(NOT _sum STREQUAL "${SONIABK_PIN_${_key}}")
    message(FATAL_ERROR " ${SONIABK_SQLITE_SOURCE_DIR}/${_file} differs from cmake/sqlite.pin: run scripts/setup.sh")
  endif()
endforeach()

add_library(sqlite3 STATIC ${SONIABK_SQLITE_SOURCE_DIR}/sqlite3.c)
# SYSTEM: SQLite's header is not ours to warn about in the files that include it.
target_include_directories(sqlite3 SYSTEM PUBLIC ${SONIABK_SQLITE_SOURCE_DIR})
target_compile_definitions(sqlite3 PRIVATE
  SQLITE_ENABLE_FTS5            # SONIA's memories_fts index; the drill's search test queries it
  SQLITE_ENABLE_FTS4            # as Debian's build: a schema with FTS3/FTS4 tables still opens and checks
  SQLITE_ENABLE_RTREE           # as Debian's build: a schema with R-tree tables still opens and checks
  SQLITE_ENABLE_MATH_FUNCTIONS  # as Debian's build: views and indexes may call them
  SQLITE_ENABLE_DBPAGE_VTAB     # sqlite_dbpage: raw pages read and written inside a transaction (page-level backups, page checks)
  SQLITE_ENABLE_SESSION         # changesets: the base for row-level recovery
  SQLITE_ENABLE_PREUPDATE_HOOK  # required by the session extension
  SQLITE_DQS=0                  # "x" is always an identifier: a misspelt column is an error, never a string
  SQLITE_THREADSAFE=1           # soniabk's threads each use their own connection (opened NOMUTEX); 1 keeps that possible
  SQLITE_SECURE_DELETE          # as Debian's build: purged memories are overwritten, not left in free pages
  SQLITE_OMIT_LOAD_EXTENSION    # soniabk loads no extensions: no dlopen, no libdl
  SQLITE_DEFAULT_MEMSTATUS=0    # no memory statistics are read; skips a mutex on every allocation
  # SQLITE_DEFAULT_FOREIGN_KEYS is left at SQLite's default (off), as SONIA's connections have it; soniabk turns
  # them on per connection where it deletes (purge-archived). Durability defaults (synchronous=FULL) are kept.
)
target_link_libraries(sqlite3 PRIVATE Threads::Threads)
if(UNIX)
  target_link_libraries(sqlite3 PRIVATE m)  # the math functions; Windows' C runtime has them built in
endif()
# SQLite's code is not held to the project's warnings nor -Werror, and not instrumented by the sanitizer build
# (fuzzed upstream; instrumenting it would only slow the suite): no soniabk_warnings, no soniabk_sanitizers.
target_compile_options(sqlite3 PRIVATE -w)
