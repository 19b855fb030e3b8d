#ifndef SDTRACK_CSQLITE_SHIM_H
#define SDTRACK_CSQLITE_SHIM_H

// SQLite 3 as Debian ships it (libsqlite3-dev). Only SDStore/SQLite/ calls these.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot spell:
// these bind a copy of the bytes, so Swift's buffers need not outlive the call.
static inline int csqlite_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}

static inline int csqlite_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}

#endif
