/* safefile.h — output files that are never readable by others, never
 * written through a link and never left half-written. A file is written
 * under a fresh temporary name in its target directory (created
 * O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600), flushed to disk, and renamed over
 * the target only when complete: a failure at any point leaves the old
 * file, if there was one, exactly as it was. */
#ifndef CASEBOOK_SAFEFILE_H
#define CASEBOOK_SAFEFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

enum safefile_flags {
	SAFEFILE_NOREPLACE = 1 << 0, /* commit fails if the target exists by then */
};

struct safefile {
	int fd; /* the temporary file; -1 when closed */
	FILE *f; /* a stream over fd, once safefile_stream asked for one */
	char *path; /* the target */
	char *tmp; /* the temporary name beside it */
	unsigned flags;
};

/* Starts writing path: refuses a target that is a symbolic link or
 * exists and is not a regular file (CB_EIO, message names the file), and
 * otherwise creates the owner-only temporary file. On failure sf holds
 * nothing to release. */
int safefile_open(struct safefile *sf, const char *path, unsigned flags, struct cb_err *err);

/* A stdio stream over the temporary file (made on the first call). */
FILE *safefile_stream(struct safefile *sf);

/* Flushes, fsyncs and closes the temporary file, renames it over the
 * target and syncs the directory. On failure the temporary file is
 * removed, the target is untouched and err says why (CB_EIO). Either way
 * sf is released. */
int safefile_commit(struct safefile *sf, struct cb_err *err);

/* Removes the temporary file and releases sf; the target is untouched.
 * Safe to call on a released sf. */
void safefile_abort(struct safefile *sf);

/* Refuses a directory others could tamper with: a symbolic link (unless
 * allow_link), or one anyone may write to (mode o+w). what names it in
 * the message ("database directory", "sheet_dir"). Returns 0 when the
 * directory is safe or does not exist, CB_EIO with a message saying how
 * to fix it otherwise. */
int safefile_check_dir(const char *dir, const char *what, bool allow_link, struct cb_err *err);

#endif
