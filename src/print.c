/* print.c — case sheets of stored cases: their options from the config
 * file, rendering from the store (for the CLI and the TUI), and printing
 * for the TUI. Printed sheets are rendered in memory, then piped to
 * print_command (run through /bin/sh -c, away from
 * the terminal: stdin is the sheet, stdout goes to /dev/null, stderr is
 * captured for the error message), or saved in sheet_dir as owner-only
 * files. Nothing passes through a shared temporary file. */
#include "print.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "csvio.h"
#include "listdoc.h"
#include "person_view.h"
#include "safefile.h"
#include "sheet.h"
#include "text.h"
#include "util.h"

/* ---- Options ---------------------------------------------------------------- */

/* CASEBOOK_NOW: "YYYY-MM-DDTHH:MM:SSZ" (UTC) or unix seconds. */
static bool parse_now(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char *end;

	if (!s || !*s)
		return false;
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end && *end == '\0') {
		*out = (int64_t)timegm(&tm);
		return true;
	}
	long long v = strtoll(s, &end, 10);
	if (*end == '\0' && v >= 0) {
		*out = v;
		return true;
	}
	return false;
}

/* The staff member printing, by full name: the config's staff_name, else
 * CASEBOOK_USER (for reproducible tests), else the account's full name
 * (the first GECOS field, as adduser asks for it), else the login. */
static const char *staff_name(const struct config *cfg)
{
	static char full[256];
	const char *user = getenv("CASEBOOK_USER");
	struct passwd *pw;

	if (!str_empty(cfg->staff_name))
		return cfg->staff_name;
	if (!str_empty(user))
		return user;
	if (!full[0] && (pw = getpwuid(getuid())) && !str_empty(pw->pw_gecos)) {
		size_t n = strcspn(pw->pw_gecos, ",");
		snprintf(full, sizeof full, "%.*s", (int)n, pw->pw_gecos);
	}
	return full[0] ? full : util_username();
}

void print_sheet_options(struct sheet_options *o, const struct config *cfg)
{
	memset(o, 0, sizeof *o);
	o->format = cfg->sheet_format && strcmp(cfg->sheet_format, "pdf") == 0 ? SHEET_FORMAT_PDF
	                                                                       : SHEET_FORMAT_TEXT;
	o->width = cfg->sheet_width >= SHEET_MIN_WIDTH ? cfg->sheet_width : 80;
	o->organisation = cfg->organisation;
	if (!parse_now(getenv("CASEBOOK_NOW"), &o->printed_at))
		o->printed_at = (int64_t)time(NULL);
	o->printed_by = staff_name(cfg);
	o->signature = cfg->signature;
}

void print_options_init(struct print_options *po, const struct config *cfg)
{
	memset(po, 0, sizeof *po);
	print_sheet_options(&po->sheet, cfg);
	po->command = cfg->print_command;
	po->sheet_dir = cfg->sheet_dir;
	po->timeout = cfg->print_timeout;
}

/* ---- Rendering ---------------------------------------------------------------- */

/* The lines of the "Other cases of this person" section: date, event and
 * every measure of each other case of c's person (none when they cannot
 * be read: the sheet is still printed). */
static void other_lines(const struct case_record *c, struct strlist *lines, void *ctx)
{
	struct case_record *others;
	size_t n;
	struct cb_err err = {0};

	if (person_view_others(ctx, c->id, NULL, &others, &n, &err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *line = person_view_case_line(&others[i], true);
		strlist_add(lines, line);
		free(line);
	}
	person_view_others_free(others, n);
}

int print_render(struct store *st, const uint64_t *ids, size_t n, const struct sheet_options *opt,
    void (*note)(const struct case_record *c, void *ctx), void *ctx, struct buf *out,
    struct cb_err *err)
{
	struct sheet_pdf *pdf = NULL;
	struct sheet_options so = *opt;
	const struct sheet_options *o = &so;
	int rc = 0;

	so.others = other_lines;
	so.others_ctx = st;

	if (o->format == SHEET_FORMAT_PDF)
		pdf = sheet_pdf_begin(o, out);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct case_record c;
		case_init(&c);
		if ((rc = store_get(st, ids[i], &c, err)) == 0) {
			if (note)
				note(&c, ctx);
			if (pdf) {
				sheet_pdf_add(pdf, &c);
			} else {
				if (i > 0)
					buf_putc(out, '\f');
				sheet_render_text(&c, o, out);
			}
		}
		case_free(&c);
	}
	if (pdf) {
		int prc = sheet_pdf_end(pdf, err);
		rc = rc ? rc : prc;
	}
	return rc;
}

/* ---- Printing and saving ---------------------------------------------------------- */

/* Keeps the first bytes a command writes to stderr (enough for a message). */
#define ERR_KEEP 1024

static void child(int in, int errfd, const char *cmd)
{
	sigset_t all;
	int null = open("/dev/null", O_WRONLY);

	/* A new session: the command has no controlling terminal to scribble
	 * on or read a password from while curses owns the screen. */
	setsid();
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, STDIN_FILENO) < 0 || dup2(errfd, STDERR_FILENO) < 0 || null < 0 ||
	    dup2(null, STDOUT_FILENO) < 0)
		_exit(126);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Milliseconds on a clock that never jumps. */
static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feeds doc to the command's stdin while collecting its stderr (both at
 * once, so neither side can block the other), until both are done or the
 * deadline passes. */
static void pump(int in, int errfd, const struct buf *doc, struct buf *errtext, int64_t deadline)
{
	size_t off = 0;
	struct pollfd pf[2];

	fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_NONBLOCK);
	if (doc->len == 0) {
		close(in);
		in = -1;
	}
	while (in >= 0 || errfd >= 0) {
		pf[0] = (struct pollfd){.fd = in, .events = POLLOUT};
		pf[1] = (struct pollfd){.fd = errfd, .events = POLLIN};
		int64_t left = deadline - now_ms();
		if (left <= 0)
			break;
		int n = poll(pf, 2, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break; /* the deadline passed */
		if (in >= 0 && pf[0].revents) {
			ssize_t w = write(in, doc->p + off, doc->len - off);
			if (w > 0)
				off += (size_t)w;
			/* EPIPE: the command stopped reading; its exit status decides. */
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == doc->len) {
				close(in);
				in = -1;
			}
		}
		if (errfd >= 0 && pf[1].revents) {
			char b[512];
			ssize_t r = read(errfd, b, sizeof b);
			if (r > 0 && errtext->len < ERR_KEEP)
				buf_put(errtext, b, (size_t)r);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				close(errfd);
				errfd = -1;
			}
		}
	}
	if (in >= 0)
		close(in);
	if (errfd >= 0)
		close(errfd);
}

/* The first non-empty line of a command's stderr, sanitised. */
static char *first_line(struct buf *b)
{
	const char *s = buf_cstr(b);

	while (*s == '\n' || *s == '\r')
		s++;
	char *line = xstrndup(s, strcspn(s, "\r\n"));
	char *clean = text_sanitize(line, 0);
	free(line);
	return clean;
}

/* Waits for the command until the deadline; then stops it (its whole
 * process group, as it runs in its own session). True when it was stopped. */
static bool reap(pid_t pid, int *status, int64_t deadline)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return false;
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return true;
		}
		usleep(10000);
	}
}

static int run_command(const char *cmd, const struct buf *doc, int timeout_s, struct cb_err *err)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	struct buf errtext = {0};
	int in[2], ep[2], status = 0, rc = 0;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return cb_err_set(err, CB_EIO, _("print command: cannot make a pipe: %s"),
		    strerror(errno));
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(in[0]), close(in[1]);
		return cb_err_set(err, CB_EIO, _("print command: cannot make a pipe: %s"),
		    strerror(errno));
	}
	/* A command that exits early must not kill us with SIGPIPE. */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	pid = fork();
	if (pid == 0)
		child(in[0], ep[1], cmd);
	close(in[0]);
	close(ep[1]);
	if (pid < 0) {
		close(in[1]), close(ep[0]);
		sigaction(SIGPIPE, &old, NULL);
		return cb_err_set(err, CB_EIO, _("print command: cannot start it: %s"),
		    strerror(errno));
	}
	int64_t deadline = now_ms() + (int64_t)timeout_s * 1000;
	pump(in[1], ep[0], doc, &errtext, deadline);
	bool stopped = reap(pid, &status, deadline);
	sigaction(SIGPIPE, &old, NULL);

	char *cclean = text_sanitize(cmd, 0), *line = first_line(&errtext);
	if (stopped)
		rc = cb_err_set(err, CB_EIO,
		    _("print command \"%s\" did not finish within %d s "
		      "and was stopped (print_timeout in the config file)%s%s"),
		    cclean, timeout_s, *line ? ": " : "", line);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		rc = cb_err_set(err, CB_EIO, _("print command \"%s\" failed (exit %d)%s%s"), cclean,
		    WEXITSTATUS(status), *line ? ": " : "", line);
	else if (WIFSIGNALED(status))
		rc = cb_err_set(err, CB_EIO, _("print command \"%s\" was killed by signal %d%s%s"),
		    cclean, WTERMSIG(status), *line ? ": " : "", line);
	free(cclean);
	free(line);
	buf_free(&errtext);
	return rc;
}

/* Creates dir and its missing parents; the ones created are 0700. */
static int make_dir(const char *dir, struct cb_err *err)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			int e = errno;
			char *clean = text_sanitize(p, 0);
			cb_err_set(err, CB_EIO,
			    _("cannot create sheet_dir %s: %s (set sheet_dir in "
			      "~/.config/casebook/config)"),
			    clean, strerror(e));
			free(clean);
			free(p);
			return CB_EIO;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return 0;
}

/* "cases-20260101-120000": what, then the printing time. */
static void stem_at(char *stem, size_t len, const char *what, int64_t when)
{
	time_t t = (time_t)when;
	struct tm tm;
	char date[32];

	if (localtime_r(&t, &tm) && strftime(date, sizeof date, "%Y%m%d-%H%M%S", &tm))
		snprintf(stem, len, "%s-%s", what, date);
	else
		snprintf(stem, len, "%s", what);
}

/* Saves doc as a new owner-only file stem.ext in sheet_dir; never
 * overwrites, never through a link, and never leaves a partial file
 * (safefile.h). */
static int save(const char *sheet_dir, const char *stem, const char *ext, const struct buf *doc,
    char **path_out, struct cb_err *err)
{
	char *path = NULL;
	struct safefile sf;
	int rc = 1; /* no name tried yet */

	if (safefile_check_dir(sheet_dir, "sheet_dir", false, err) != 0 ||
	    make_dir(sheet_dir, err) != 0)
		return CB_EIO;
	/* The first free name; a name taken between the open and the commit
	 * (SAFEFILE_NOREPLACE) moves on to the next one. */
	for (int k = 1; k < 1000; k++) {
		free(path);
		path = k == 1 ? xasprintf("%s/%s.%s", sheet_dir, stem, ext)
		              : xasprintf("%s/%s-%d.%s", sheet_dir, stem, k, ext);
		struct stat sb;
		if (lstat(path, &sb) == 0)
			continue;
		if ((rc = safefile_open(&sf, path, SAFEFILE_NOREPLACE, err)) != 0)
			break;
		if (util_write_all(sf.fd, doc->p, doc->len) != 0) {
			int e = errno;
			safefile_abort(&sf);
			char *clean = text_sanitize(path, 0);
			rc = cb_err_set(err, CB_EIO, _("cannot save the sheet as %s: %s"), clean,
			    strerror(e));
			free(clean);
			break;
		}
		if ((rc = safefile_commit(&sf, err)) == 0 || errno != EEXIST)
			break;
	}
	if (rc == 1) {
		char *clean = text_sanitize(sheet_dir, 0);
		cb_err_set(err, CB_EIO,
		    _("no free name for the sheet in %s (%s-999.%s is taken); "
		      "move old sheets away"),
		    clean, stem, ext);
		free(clean);
	}
	if (rc != 0) {
		free(path);
		return CB_EIO;
	}
	*path_out = path;
	return 0;
}

int print_sheets(struct store *st, const uint64_t *ids, size_t n, const struct print_options *po,
    char *status, size_t status_len, struct cb_err *err)
{
	struct buf doc = {0};
	int rc;

	if (status_len)
		status[0] = '\0';
	if (n == 0)
		return cb_err_set(err, CB_EINVAL, "%s", _("no cases to print"));
	if ((rc = print_render(st, ids, n, &po->sheet, NULL, NULL, &doc, err)) != 0)
		goto done;
	if (!str_empty(po->command)) {
		int timeout = po->timeout > 0 ? po->timeout : 60;
		if ((rc = run_command(po->command, &doc, timeout, err)) != 0)
			goto done;
		char *clean = text_sanitize(po->command, 0);
		if (n == 1)
			snprintf(status, status_len, _("Sent the sheet of case %llu to %s"),
			    (unsigned long long)ids[0], clean);
		else
			snprintf(status, status_len,
			    ngettext("Sent %zu sheet to %s", "Sent %zu sheets to %s", n), n, clean);
		free(clean);
	} else {
		char *path = NULL, stem[64];
		if (n == 1)
			snprintf(stem, sizeof stem, "case-%llu", (unsigned long long)ids[0]);
		else
			stem_at(stem, sizeof stem, "cases", po->sheet.printed_at);
		if ((rc = save(po->sheet_dir, stem,
		         po->sheet.format == SHEET_FORMAT_PDF ? "pdf" : "txt", &doc, &path, err)) !=
		    0)
			goto done;
		char *clean = text_sanitize(path, 0);
		snprintf(status, status_len, _("Saved to %s"), clean);
		free(clean);
		free(path);
	}
done:
	buf_free(&doc);
	return rc;
}

/* Sends doc to po's print command, or saves it as stem-DATE.ext in
 * sheet_dir; status says which. what names the document ("the list"). */
static int deliver(const struct print_options *po, const struct buf *doc, const char *stem,
    const char *ext, const char *what, char *status, size_t status_len, struct cb_err *err)
{
	char name[64];
	int rc;

	if (!str_empty(po->command) && strcmp(ext, "csv") != 0) {
		int timeout = po->timeout > 0 ? po->timeout : 60;
		if ((rc = run_command(po->command, doc, timeout, err)) != 0)
			return rc;
		char *clean = text_sanitize(po->command, 0);
		/* TRANSLATORS: "Sent the list of 12 cases to lpr". */
		snprintf(status, status_len, _("Sent %s to %s"), what, clean);
		free(clean);
		return 0;
	}
	char *path = NULL;
	stem_at(name, sizeof name, stem, po->sheet.printed_at);
	if ((rc = save(po->sheet_dir, name, ext, doc, &path, err)) != 0)
		return rc;
	char *clean = text_sanitize(path, 0);
	snprintf(status, status_len, _("Saved to %s"), clean);
	free(clean);
	free(path);
	return 0;
}

int print_list(struct store *st, const uint64_t *ids, size_t n, const char *filter,
    const struct print_options *po, char *status, size_t status_len, struct cb_err *err)
{
	struct buf doc = {0};
	int rc;

	if (status_len)
		status[0] = '\0';
	if ((rc = listdoc_render(st, ids, n, filter, &po->sheet, &doc, err)) == 0) {
		char *what = xasprintf(ngettext("the list of %zu case", "the list of %zu cases",
		                           (unsigned long)n),
		    n);
		rc = deliver(po, &doc, "list", po->sheet.format == SHEET_FORMAT_PDF ? "pdf" : "txt",
		    what, status, status_len, err);
		free(what);
	}
	buf_free(&doc);
	return rc;
}

int print_export_csv(struct store *st, const uint64_t *ids, size_t n,
    const struct print_options *po, char *status, size_t status_len, struct cb_err *err)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	int rc = f ? csvio_write_header(f) : CB_EIO;

	if (status_len)
		status[0] = '\0';
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct case_record c;
		rc = store_get(st, ids[i], &c, err);
		if (rc == 0)
			rc = csvio_write_case(f, &c);
		else if (rc == CB_ENOTFOUND) /* deleted meanwhile */
			rc = 0;
		case_free(&c);
	}
	if (f && fclose(f) != 0 && rc == 0)
		rc = CB_EIO;
	if (rc == CB_EIO && !err->msg[0])
		cb_err_set(err, CB_EIO, "%s", _("cannot write the export"));
	if (rc == 0) {
		struct buf doc = {(unsigned char *)mem, len, len};
		rc = deliver(po, &doc, "export", "csv", NULL, status, status_len, err);
	}
	free(mem);
	return rc;
}
