/* The one boundary where SQLite's result codes become mapgen's. */
#include "geodata/core.h"

#include <sqlite3.h>

int mg_sqlite_error(sqlite3 *db, int rc, const char *path, const char *doing,
                    mg_error *err)
{
    int code;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        code = MG_ERR_NOMEM;
        break;
    case SQLITE_INTERRUPT:
        code = MG_ERR_INTERRUPTED;
        msg = "interrupted";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = MG_ERR_OUTPUT;
        msg = "the file is in use by another process (another mapgen run?)";
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_AUTH:
        code = MG_ERR_OUTPUT;
        break;
    default: /* SQL errors and misuse: ours or SQLite's */
        code = MG_ERR_DEPENDENCY;
        break;
    }
    return mg_error_set(err, code, path, -1, NULL, "%s: %s (SQLite)", doing,
                        msg);
}

int mg_sqlite_exec(sqlite3 *db, const char *sql, const char *path,
                   const char *doing, mg_error *err)
{
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? MG_OK : mg_sqlite_error(db, rc, path, doing, err);
}

int mg_sqlite_open(const char *path, int flags, sqlite3 **db, mg_error *err)
{
    int rc = sqlite3_open_v2(path, db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = mg_sqlite_error(*db, rc, path, "cannot open", err);
        sqlite3_close(*db);
        *db = NULL;
        return rc;
    }
    sqlite3_extended_result_codes(*db, 1);
    return MG_OK;
}

static int poll_interrupt(void *unused)
{
    (void)unused;
    return mg_interrupted != 0;
}

void mg_sqlite_watch_interrupt(sqlite3 *db)
{
    sqlite3_progress_handler(db, 100000, poll_interrupt, NULL);
}
