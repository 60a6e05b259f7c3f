/*
 * core — what every module of mapgen shares: status codes and the error
 * record, the interrupt flag, the progress callback, sets of outputs that
 * appear together, the one reader of JSON files and their sections, the
 * SQLite boundary, and the allocator that tests can make fail.
 *
 * The layers above (docs/architecture.md):
 *
 *   core <- input <- need <- access <- siting      (geodata/)
 *             ^------ poverty
 *   core <- styles <- tiles/raster <- tiles/render <- tiles/store
 *   all of them <- mapgen/pipeline <- mapgen/cli
 *
 * This header pulls in only the C library and jansson.
 *
 * Threads: nothing here keeps mutable state but mg_interrupted (set by the
 * CLI's signal handler) and the allocation-failure counter of test builds.
 */
#ifndef MG_CORE_H
#define MG_CORE_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes and errors -------------------------------------------- */

/* Status codes returned by every fallible function.  Each class maps to one
 * process exit code (mg_exit_code()), documented in docs/errors.md. */
enum {
    MG_OK = 0,
    MG_ERR_USAGE = 2,   /* bad command line */
    MG_ERR_PROJECT = 3, /* project file unreadable, malformed or invalid */
    MG_ERR_INPUT =
        4, /* input file missing/unreadable, field missing, CRS unusable */
    MG_ERR_OUTPUT = 5,     /* an output could not be written */
    MG_ERR_DEPENDENCY = 6, /* GDAL, PROJ, GEOS or SQLite failed unexpectedly */
    MG_ERR_NOMEM = 7,      /* out of memory */
    MG_ERR_INTERRUPTED = 130 /* SIGINT or SIGTERM */
};

/* Where and what went wrong.  Empty strings and row < 0 mean "not known". */
typedef struct mg_error {
    int code; /* one of the MG_ERR_* values, MG_OK when clear */
    char file[1024];
    long row;        /* row or feature id in `file`, -1 if none */
    char field[256]; /* field, column or JSON path, "" if none */
    char message[1024];
} mg_error;

/* Clears err (code MG_OK, empty strings).  err may be NULL. */
void mg_error_clear(mg_error *err);

/* Fills err and returns code, so callers can write `return mg_error_set(...)`.
 * file and field may be NULL; err may be NULL (then only code returns). */
int mg_error_set(mg_error *err, int code, const char *file, long row,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The same with a va_list, for wrappers in other modules. */
int mg_error_setv(mg_error *err, int code, const char *file, long row,
                  const char *field, const char *fmt, va_list ap);

/* "out of memory" in err (naming file when not NULL); returns
 * MG_ERR_NOMEM. */
int mg_error_nomem(mg_error *err, const char *file);

/* Fills err with the generic text of code when a callee returned code
 * without filling it (err->code still MG_OK); returns code. */
int mg_error_ensure(mg_error *err, int code);

/* Prints "mapgen: error: FILE: row R: field F: MESSAGE" on one line. */
void mg_error_print(const mg_error *err, FILE *out);

/* A short English name of a status code ("input data", "output", ...). */
const char *mg_strerror(int code);

/* The process exit code for a status (identity for the MG_ERR_* values). */
int mg_exit_code(int code);

/* Set by the CLI's signal handler; long loops poll it and return
 * MG_ERR_INTERRUPTED through their normal cleanup. */
extern volatile sig_atomic_t mg_interrupted;

/* `--debug`: messages of the libraries in full (a GeoPackage driver's
 * failing SQL statement, say); set once before any work starts. */
extern int mg_debug;

/* Progress callback in GDAL's style: complete in [0, 1]; returns 0 to
 * cancel (the callee then returns MG_ERR_INTERRUPTED). */
typedef int (*mg_progress_fn)(double complete, const char *message,
                              void *user);

/* ---- allocation ---------------------------------------------------------
 * Every allocation of mapgen's own code goes through these (in builds with
 * MG_FAILALLOC the standard names are macros for them, see
 * core/failalloc.h).  They behave as malloc(), calloc(), realloc(), strdup()
 * and strndup(); in a build with MG_FAILALLOC, mg_failalloc_arm(n) makes the
 * n-th call from then on, and every later one, return NULL (SQLite's "malloc
 * failure" tests).  mg_failalloc_arm(0) disarms; mg_failalloc_count() is the
 * number of calls since the last arm. */
void *mg_malloc(size_t n);
void *mg_calloc(size_t n, size_t size);
void *mg_realloc(void *p, size_t n);
char *mg_strdup(const char *s);
char *mg_strndup(const char *s, size_t n);
void mg_failalloc_arm(long n);
long mg_failalloc_count(void);
/* 1 when the armed failure has happened. */
int mg_failalloc_fired(void);

/* ---- output sets -------------------------------------------------------- */

/* A set of output files written under temporary names and renamed into
 * place together by mg_outset_commit().  mg_outset_free() without a commit
 * removes every temporary file, so a failed run leaves nothing behind. */
typedef struct mg_outset mg_outset;

/* A new empty set, or NULL when out of memory. */
mg_outset *mg_outset_new(void);

/* Registers final_path; returns the temporary path to write instead (owned
 * by the set; it lies in the same directory, which is created when
 * missing), or NULL with err filled. */
const char *mg_outset_add(mg_outset *s, const char *final_path, mg_error *err);

/* Renames every temporary file to its final path.  Returns MG_OK or
 * MG_ERR_OUTPUT (then the files not yet renamed are removed). */
int mg_outset_commit(mg_outset *s, mg_error *err);

/* Removes the temporary files of an uncommitted set and frees it; NULL is
 * fine. */
void mg_outset_free(mg_outset *s);

/* Registers ready, a finished output under a temporary name of its own
 * (a directory or a file that --resume may find), to be moved to final by
 * mg_outset_commit() with mg_publish(); mg_outset_free() without a commit
 * leaves it where it is.  Returns MG_OK or MG_ERR_NOMEM. */
int mg_outset_adopt(mg_outset *s, const char *ready, const char *final,
                    mg_error *err);

/* ---- files ------------------------------------------------------------- */

/* Fills err from errno: MG_ERR_NOMEM for ENOMEM, else code with
 * "doing: the OS's reason"; returns the status. */
int mg_error_errno(mg_error *err, int code, const char *file,
                   const char *doing);

/* Removes a file or a whole directory tree (not following symlinks).
 * Returns 0 (also when path does not exist) or -1 (errno set). */
int mg_remove_tree(const char *path);

/* fsync()s path (a file, or the directory holding it when parent is 1).
 * Returns 0 or -1 (errno set). */
int mg_sync_path(const char *path, int parent);

/* Moves ready into place as final, replacing what is there: a directory
 * through a name beside it (rename() cannot replace a non-empty one), a
 * file atomically; then syncs the directory.  Returns MG_OK or
 * MG_ERR_OUTPUT (MG_ERR_NOMEM) naming final. */
int mg_publish(const char *ready, const char *final, mg_error *err);

/* Writes one CSV cell (RFC 4180), quoted when it holds a separator, a
 * quote or a line break; NULL writes nothing. */
void mg_csv_put(FILE *f, const char *s);

/* How a CSV report is written.  Plain (the default) is RFC 4180: ',' and
 * '.'.  For spreadsheets: a UTF-8 byte order mark first (Excel reads the
 * file as UTF-8 only then) and the locale's signs: where the decimal sign
 * is ',' the cells are separated by ';', as spreadsheets there expect. */
typedef struct mg_csv_format {
    char sep;     /* between cells */
    char decimal; /* the decimal sign */
    int bom;      /* a UTF-8 byte order mark before the header */
} mg_csv_format;

extern const mg_csv_format mg_csv_plain;

/* The spreadsheet format for a locale's decimal sign. */
mg_csv_format mg_csv_spreadsheet(char decimal);

/* The spreadsheet format of a locale by name ("" is the one the
 * environment names: LC_ALL, LC_NUMERIC, LANG), without changing the
 * process's locale.  Returns MG_OK or MG_ERR_USAGE naming the locale. */
int mg_csv_spreadsheet_locale(const char *locale, mg_csv_format *out,
                              mg_error *err);

/* The byte order mark when the format asks for one. */
void mg_csv_begin(FILE *f, const mg_csv_format *fmt);

/* A header line given with ',' between the names, in the format's
 * separator, and its line break. */
void mg_csv_header(FILE *f, const mg_csv_format *fmt, const char *names);

/* A separator and then one text cell, quoted when it holds the format's
 * separator, a quote or a line break (first: no separator before it). */
void mg_csv_text(FILE *f, const mg_csv_format *fmt, const char *s, int first);

/* decimals of mg_csv_num(): the number as it is, to 10 significant digits
 * (printf's "%.10g": "0.1", "1234567", "1.5e-07"), for figures that are
 * not rounded for a reader. */
#define MG_CSV_FULL (-1)

/* A separator and then a number with the given decimals (0: an integer;
 * MG_CSV_FULL), in the format's decimal sign; NaN is an empty cell. */
void mg_csv_num(FILE *f, const mg_csv_format *fmt, double v, int decimals);

/* ---- JSON files and their sections ---------------------------------------
 * One reader for the project file and style files and every section in
 * them (docs/project-file.md, "Keys and messages"):
 *   - a duplicate key is an error; syntax errors give line and column;
 *   - an object's keys must be among those the section knows, except keys
 *     that begin with "_" ("_comment"), which are notes for people;
 *   - every message names the file and the JSON path of the key at fault,
 *     from the file's root: "boundaries[0].code_field",
 *     "layers[1].nodata", "poverty.grades.breaks[2]".
 * Errors are MG_ERR_PROJECT (or the code the caller gives to
 * mg_json_load()), MG_ERR_NOMEM with "out of memory". */

/* Reads and parses a JSON file that must hold an object.  *root is a new
 * reference (json_decref() it).  A file that cannot be opened or read is
 * `code` naming the OS error; a syntax error is `code` with line and
 * column. */
int mg_json_load(const char *path, int code, json_t **root, mg_error *err);

/* Parses text holding any JSON value; file names it in messages. */
int mg_json_parse(const char *text, const char *file, int code, json_t **root,
                  mg_error *err);

/* Numbers at full precision in a document that json_dumps() writes with
 * fewer digits (JSON_REAL_PRECISION keeps coordinates short): the exact
 * part is set as the string MG_JSON_RAW_MARK and spliced in afterwards.
 * mg_json_exact() writes the shortest "%.*g" of v that reads back as v
 * (up to 17 digits; NaN and infinities as null). */
#define MG_JSON_RAW_MARK "@mapgen-raw@"
void mg_json_exact(double v, char *buf, size_t size);

/* A JSON array of the n numbers, each as mg_json_exact() writes it; to
 * free(), or NULL when out of memory. */
char *mg_json_exact_array(const double *v, size_t n);

/* text with the first "MG_JSON_RAW_MARK" (quotes included) replaced by
 * raw, as a new string to free() (a copy of text when it has no mark);
 * NULL when out of memory. */
char *mg_json_splice(const char *text, const char *raw);

/* The context of one file being read: its name for messages, the error. */
typedef struct mg_spec {
    const char *file;
    mg_error *err;
} mg_spec;

/* Fills the error (MG_ERR_PROJECT, the file, path) and returns
 * MG_ERR_PROJECT. */
int mg_spec_fail(mg_spec *s, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "out of memory" naming the file; returns MG_ERR_NOMEM. */
int mg_spec_nomem(mg_spec *s);

/* path + "." + key ("key" alone at the root), and path + "[i]". */
void mg_spec_key_path(char *out, size_t n, const char *path, const char *key);
void mg_spec_item_path(char *out, size_t n, const char *path, size_t i);

/* Rejects a key of obj that is neither in allowed (NULL-terminated) nor a
 * "_" note, naming the key's path and the keys expected. */
int mg_spec_check_keys(mg_spec *s, json_t *obj, const char *path,
                       const char *const *allowed);

/* obj[key] as a non-empty string copy into *out (the caller frees).
 * Absent or null leaves *out NULL, which is an error when required. */
int mg_spec_get_str(mg_spec *s, json_t *obj, const char *path, const char *key,
                    int required, char **out);

/* A string key of an object read into a struct: the char * member at
 * offset (offsetof()) of the struct. */
typedef struct mg_spec_str {
    const char *key;
    int required;
    size_t offset;
} mg_spec_str;

/* mg_spec_get_str() of each of the n keys into base, in order. */
int mg_spec_get_strs(mg_spec *s, json_t *obj, const char *path,
                     const mg_spec_str *keys, size_t n, void *base);

/* obj[key] as a number in [lo, hi]; flags: MG_SPEC_INTEGER (a whole
 * number), MG_SPEC_ABOVE (above lo, not equal to it).  Absent or null
 * leaves *out as it is, an error when required. */
enum { MG_SPEC_INTEGER = 1, MG_SPEC_ABOVE = 2 };
int mg_spec_get_num(mg_spec *s, json_t *obj, const char *path, const char *key,
                    int required, unsigned flags, double lo, double hi,
                    double *out);

/* obj[key] as true or false into *out (0 or 1); absent leaves *out. */
int mg_spec_get_bool(mg_spec *s, json_t *obj, const char *path,
                     const char *key, int *out);

/* obj[key] as one of names (NULL-terminated): *out its index.  Absent
 * leaves *out as it is, an error when required. */
int mg_spec_get_enum(mg_spec *s, json_t *obj, const char *path,
                     const char *key, const char *const *names, int required,
                     int *out);

/* obj[key] when it is an object (or an array, for get_array), NULL when
 * absent or null (*status MG_ERR_PROJECT when required) or of another type
 * (*status MG_ERR_PROJECT). */
json_t *mg_spec_get_obj(mg_spec *s, json_t *obj, const char *path,
                        const char *key, int required, int *status);
json_t *mg_spec_get_array(mg_spec *s, json_t *obj, const char *path,
                          const char *key, int required, int *status);

/* v (at path) as a non-empty array of distinct non-empty strings: *out is
 * a new array of n copies (free each and the array). */
int mg_spec_get_names(mg_spec *s, json_t *v, const char *path, char ***out,
                      size_t *n);

/* obj[key], when present, as an object of string values: *keys and
 * *values are new arrays of *n copies each (free with mg_free_list()),
 * NULL with *n = 0 when absent. */
int mg_spec_get_string_map(mg_spec *s, json_t *obj, const char *path,
                           const char *key, char ***keys, char ***values,
                           size_t *n);

/* Frees a list of n strings and the list; NULL is fine. */
void mg_free_list(char **list, size_t n);

/* ---- SQLite --------------------------------------------------------------
 * The one boundary between SQLite result codes and mapgen's classes, for
 * every module that writes MBTiles or GeoPackages through SQLite. */
struct sqlite3;

/* Turns a failed SQLite call (rc, with db's message when db is not NULL)
 * into an mg_error naming path and what was being done, in one line; the
 * SQL text is never part of it.  Returns the class: MG_ERR_NOMEM,
 * MG_ERR_INTERRUPTED, MG_ERR_DEPENDENCY for SQL errors (our bug or a
 * library fault), MG_ERR_OUTPUT for everything about the file (I/O, disk
 * full, permission, locked by another run, corrupt). */
int mg_sqlite_error(struct sqlite3 *db, int rc, const char *path,
                    const char *doing, mg_error *err);

/* sqlite3_exec() of sql; a failure goes through mg_sqlite_error() with
 * doing as its description. */
int mg_sqlite_exec(struct sqlite3 *db, const char *sql, const char *path,
                   const char *doing, mg_error *err);

/* Opens path with flags (SQLITE_OPEN_*), busy timeout 0, extended result
 * codes.  On failure closes the handle and returns the error; *db is NULL
 * then. */
int mg_sqlite_open(const char *path, int flags, struct sqlite3 **db,
                   mg_error *err);

/* Makes long statements of db stop (SQLITE_INTERRUPT, which
 * mg_sqlite_error() turns into MG_ERR_INTERRUPTED) once mg_interrupted is
 * set. */
void mg_sqlite_watch_interrupt(struct sqlite3 *db);

#ifdef __cplusplus
}
#endif
#endif
