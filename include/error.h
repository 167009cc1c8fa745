/* error.h — error codes shared by every module, and the message carrier. */
#ifndef CASEBOOK_ERROR_H
#define CASEBOOK_ERROR_H

/* Functions return 0 or one of these negative codes. */
enum cb_code {
	CB_OK = 0,
	CB_EINVAL = -1, /* bad user input: field, value, filter, file */
	CB_ENOTFOUND = -2, /* no such case */
	CB_ECONFLICT = -3, /* the case changed since the revision the caller saw */
	CB_EREADONLY = -4, /* the database is open read-only */
	CB_ECORRUPT = -5, /* a record or index that cannot be decoded */
	CB_EDB = -6, /* the database itself failed (LMDB, disk, permissions) */
	CB_EIO = -7, /* a file other than the database failed */
};

/* A message for people: names the thing and, where possible, the fix. */
struct cb_err {
	int code;
	char msg[1024];
};

/* Sets code and message (printf-style) and returns the code. A NULL err is allowed. */
int cb_err_set(struct cb_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with "PREFIX: " (e.g. "line 17"). */
void cb_err_prefix(struct cb_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Process exit statuses (DESIGN.md §4), shared by the command line and the TUI. */
enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

/* Maps a code to the process exit status of DESIGN.md §4: 0 ok, 1 user error, 3 database error. */
int cb_exit_status(int code);

#endif
