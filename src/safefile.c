/* safefile.c — write to a private temporary file beside the target, then
 * rename it into place (see safefile.h). */
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

/* The directory part of path ("." when there is none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static int fail(struct cb_err *err, const char *path, int e)
{
	char *clean = text_sanitize(path, 0);
	cb_err_set(err, CB_EIO, _("cannot write %s: %s"), clean, strerror(e));
	free(clean);
	return CB_EIO;
}

/* Creates "DIR/.BASE.XXXXXXXX.tmp" with a random suffix, owner-only, never
 * through a link and never an existing file. */
static int create_temp(struct safefile *sf)
{
	const char *slash = strrchr(sf->path, '/');
	char *dir = dir_of(sf->path);
	const char *base = slash ? slash + 1 : sf->path;

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
			for (size_t i = 0; i < sizeof r; i++)
				r[i] = (unsigned char)(rand() ^ getpid() ^ tries);
		free(sf->tmp);
		sf->tmp = xasprintf("%s/.%.40s.%02x%02x%02x%02x%02x%02x.tmp", dir, base, r[0], r[1],
		    r[2], r[3], r[4], r[5]);
		sf->fd = open(sf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (sf->fd >= 0 || errno != EEXIST)
			break;
	}
	free(dir);
	return sf->fd >= 0 ? 0 : -1;
}

static void release(struct safefile *sf)
{
	free(sf->path);
	free(sf->tmp);
	sf->path = sf->tmp = NULL;
	sf->f = NULL;
	sf->fd = -1;
}

int safefile_open(struct safefile *sf, const char *path, unsigned flags, struct cb_err *err)
{
	struct stat sb;

	memset(sf, 0, sizeof *sf);
	sf->fd = -1;
	if (lstat(path, &sb) == 0) {
		char *clean = text_sanitize(path, 0);
		int rc = 0;
		if (S_ISLNK(sb.st_mode))
			rc = cb_err_set(err, CB_EIO,
			    _("%s is a symbolic link; casebook does not write "
			      "through links (remove it or name the real file)"),
			    clean);
		else if (!S_ISREG(sb.st_mode))
			rc = cb_err_set(err, CB_EIO,
			    _("%s exists and is not a regular file; "
			      "choose another name"),
			    clean);
		else if (flags & SAFEFILE_NOREPLACE)
			rc = cb_err_set(err, CB_EIO,
			    _("%s exists already; casebook does not "
			      "replace it"),
			    clean);
		free(clean);
		if (rc)
			return rc;
	} else if (errno != ENOENT) {
		return fail(err, path, errno);
	}
	sf->path = xstrdup(path);
	sf->flags = flags;
	if (create_temp(sf) != 0) {
		int e = errno;
		fail(err, path, e);
		release(sf);
		return CB_EIO;
	}
	return 0;
}

FILE *safefile_stream(struct safefile *sf)
{
	if (!sf->f && sf->fd >= 0)
		sf->f = fdopen(sf->fd, "w");
	return sf->f;
}

/* Makes the rename itself durable. Failure is not reported: the file is
 * complete and in place either way. */
static void sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int safefile_commit(struct safefile *sf, struct cb_err *err)
{
	int e = 0;

	if (!sf->tmp)
		return cb_err_set(err, CB_EIO, "%s", _("no output file is open"));
	if (sf->f) {
		if (fflush(sf->f) != 0 || ferror(sf->f))
			e = errno ? errno : EIO;
	}
	if (!e && fsync(sf->fd) != 0)
		e = errno;
	if (sf->f) {
		if (fclose(sf->f) != 0 && !e)
			e = errno;
	} else if (close(sf->fd) != 0 && !e) {
		e = errno;
	}
	sf->f = NULL;
	sf->fd = -1;
	if (!e) {
		int rc = sf->flags & SAFEFILE_NOREPLACE
		    ? renameat2(AT_FDCWD, sf->tmp, AT_FDCWD, sf->path, RENAME_NOREPLACE)
		    : rename(sf->tmp, sf->path);
		if (rc != 0)
			e = errno;
	}
	if (e) {
		unlink(sf->tmp);
		fail(err, sf->path, e);
		release(sf);
		errno = e; /* callers may tell a name taken meanwhile (EEXIST) */
		return CB_EIO;
	}
	sync_dir(sf->path);
	release(sf);
	return 0;
}

void safefile_abort(struct safefile *sf)
{
	if (sf->f)
		fclose(sf->f);
	else if (sf->fd >= 0)
		close(sf->fd);
	if (sf->tmp)
		unlink(sf->tmp);
	release(sf);
}

int safefile_check_dir(const char *dir, const char *what, bool allow_link, struct cb_err *err)
{
	struct stat sb;
	int rc = 0;

	if (lstat(dir, &sb) != 0)
		return 0;
	char *clean = text_sanitize(dir, 0);
	if (S_ISLNK(sb.st_mode) && !allow_link)
		rc = cb_err_set(err, CB_EIO,
		    _("%s %s is a symbolic link; use the real directory "
		      "(anyone who can change the link could redirect the files)"),
		    what, clean);
	else if ((S_ISLNK(sb.st_mode) ? stat(dir, &sb) : 0) == 0 && S_ISDIR(sb.st_mode) &&
	    (sb.st_mode & S_IWOTH))
		rc = cb_err_set(err, CB_EIO,
		    _("%s %s can be written by anyone, who could replace "
		      "its files; fix it with: chmod o-w %s (or chmod 2770 for a group)"),
		    what, clean, clean);
	free(clean);
	return rc;
}
