/* form_editor.c — the notes of the form through $EDITOR: written to a
 * private 0600 file, edited with the terminal handed over, read back whole. */
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* ---- $EDITOR --------------------------------------------------------------- */

/* A private directory for the notes file: 0700, owned by us. */
static char *private_dir(void)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	char *dir;
	struct stat sb;

	if (!str_empty(run) && stat(run, &sb) == 0 && sb.st_uid == getuid()) {
		dir = xasprintf("%s/casebook", run);
	} else {
		const char *home = getenv("HOME");
		if (str_empty(home))
			return NULL;
		char *cache = xasprintf("%s/.cache", home);
		if (mkdir(cache, 0700) && errno != EEXIST) {
			free(cache);
			return NULL;
		}
		free(cache);
		dir = xasprintf("%s/.cache/casebook", home);
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	if (lstat(dir, &sb) || !S_ISDIR(sb.st_mode) || sb.st_uid != getuid() || chmod(dir, 0700)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Whether an executable called name is in one of $PATH's directories. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");

	if (str_empty(path))
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char *full = xasprintf("%.*s/%s", (int)(n ? n : 1), n ? path : ".", name);
		bool found = access(full, X_OK) == 0;
		free(full);
		if (found)
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

/* The editor for notes when neither VISUAL nor EDITOR is set: Debian's
 * sensible-editor (which honours the user's choice of editor), else nano,
 * which a newcomer can leave, and vi only as the last resort. */
static const char *default_editor(void)
{
	if (in_path("sensible-editor"))
		return "sensible-editor";
	if (in_path("nano"))
		return "nano";
	return "vi";
}

/* Reads the edited file at path back into the notes; a file that cannot be
 * read, or holds a NUL byte, leaves them as they were and says so. */
static void read_back(struct form *f, const char *path)
{
	/* The whole file, whatever its size: notes are never cut. */
	FILE *fp = fopen(path, "r");
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	int rerr = fp ? 0 : errno;
	while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_put(&b, chunk, n);
	if (fp && ferror(fp))
		rerr = errno ? errno : EIO;
	if (fp)
		fclose(fp);
	while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
		b.len--;
	if (rerr) {
		snprintf(f->msg, sizeof f->msg,
		    _("notes: cannot read the editor's file: %s; notes unchanged"), strerror(rerr));
		f->msg_role = ROLE_ERROR;
	} else if (b.len && memchr(b.p, '\0', b.len)) {
		/* Text stops at a NUL byte: keeping it would cut the notes. */
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("notes: the edited file holds a NUL byte (not text); notes "
		      "unchanged"));
		f->msg_role = ROLE_ERROR;
	} else {
		wline_set(&f->text[FIELD_NOTES], buf_cstr(&b));
	}
	buf_free(&b);
}

void form_edit_notes(struct form *f)
{
	char *dir = private_dir();

	if (!dir) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("notes: no private directory for the editor's file (set XDG_RUNTIME_DIR or "
		      "HOME)"));
		f->msg_role = ROLE_ERROR;
		return;
	}
	char *path = xasprintf("%s/notes-XXXXXX", dir);
	free(dir);
	int fd = mkstemp(path); /* 0600 */
	if (fd < 0) {
		snprintf(f->msg, sizeof f->msg, _("notes: cannot create %s: %s"), path,
		    strerror(errno));
		f->msg_role = ROLE_ERROR;
		free(path);
		return;
	}
	char *notes = wline_utf8(&f->text[FIELD_NOTES]);
	size_t len = strlen(notes);
	bool ok =
	    util_write_all(fd, notes, len) == 0 && (len == 0 || util_write_all(fd, "\n", 1) == 0);
	close(fd);
	free(notes);
	const char *ed = getenv("VISUAL");
	if (str_empty(ed))
		ed = getenv("EDITOR");
	if (str_empty(ed))
		ed = default_editor();
	int status = -1;
	if (ok) {
		def_prog_mode();
		endwin();
		pid_t pid = fork();
		if (pid == 0) {
			char *cmd = xasprintf("%s \"$1\"", ed);
			execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		reset_prog_mode();
		clearok(curscr, TRUE);
		tui_touch(f->t);
	}
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		read_back(f, path);
	} else {
		snprintf(f->msg, sizeof f->msg,
		    _("notes: the editor \"%s\" failed; notes unchanged"), ed);
		f->msg_role = ROLE_ERROR;
	}
	unlink(path);
	free(path);
	struct fitem it = {FK_NOTES, FIELD_NOTES, 0, 0, 0};
	form_validate(f, &it);
}
