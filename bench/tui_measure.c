/* tui_measure.c — what the TUI costs on a terminal: runs casebook on a
 * pseudo-terminal of 80x24, sends keys, and reports per key the bytes
 * written to the terminal and the time from the key to the last byte of
 * its screen update; also the time from start to the first full screen.
 * Usage: tui_measure CASEBOOK DBDIR [ROWS COLS]; with TUI_DUMP=FILE the bytes
 * of each one-line move are written to FILE. A benchmark, not a test. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int master = -1;
static pid_t child; /* casebook */
/* TUI_DUMP=FILE: the bytes of each one-line move, escapes made visible. */
static FILE *dump;
static char screen_buf[1 << 20];
static size_t screen_len;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Reads output until quiet_ms pass with nothing; returns the bytes read and
 * the time of the last byte in *last (or -1 when none came). */
static double first_byte;

static size_t drain(int quiet_ms, double *last)
{
	size_t total = 0;
	char buf[65536];

	*last = -1;
	first_byte = -1;
	screen_len = 0;
	for (;;) {
		struct pollfd p = {master, POLLIN, 0};
		/* Wait long for the first byte, then until the output goes quiet. */
		int r = poll(&p, 1, total ? quiet_ms : 3000);
		if (r <= 0)
			break;
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0)
			break;
		*last = now_ms();
		if (first_byte < 0)
			first_byte = *last;
		total += (size_t)n;
		if (screen_len + (size_t)n < sizeof screen_buf) {
			memcpy(screen_buf + screen_len, buf, (size_t)n);
			screen_len += (size_t)n;
		}
	}
	return total;
}

struct stat_set {
	const char *what;
	double lat[64];
	double cpu[64]; /* casebook's CPU time for the key (schedstat) */
	double first[64];
	size_t bytes[64];
	int n;
	bool dump; /* its updates go to the dump (TUI_DUMP) */
};

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(struct stat_set *s)
{
	double sorted[64], fs[64], cs[64];
	size_t bsum = 0, bmax = 0;

	if (s->n == 0)
		return;
	memcpy(fs, s->first, sizeof(double) * (size_t)s->n);
	qsort(fs, (size_t)s->n, sizeof(double), cmp_d);
	memcpy(cs, s->cpu, sizeof(double) * (size_t)s->n);
	qsort(cs, (size_t)s->n, sizeof(double), cmp_d);
	memcpy(sorted, s->lat, sizeof(double) * (size_t)s->n);
	qsort(sorted, (size_t)s->n, sizeof(double), cmp_d);
	for (int i = 0; i < s->n; i++) {
		bsum += s->bytes[i];
		if (s->bytes[i] > bmax)
			bmax = s->bytes[i];
	}
	printf("%-30s n=%-3d bytes avg %5zu max %5zu | key->first byte median %5.2f ms"
	       " | key->last byte median %5.2f, max %5.2f ms | CPU median %5.2f ms\n",
	    s->what, s->n, bsum / (size_t)s->n, bmax, fs[s->n / 2], sorted[s->n / 2],
	    sorted[s->n - 1], cs[s->n / 2]);
}

/* casebook's CPU time so far in ms (/proc/PID/schedstat: time on a CPU,
 * in ns), or -1 where it cannot be read. Unlike the wall times it does
 * not count waiting for a CPU on a loaded machine. */
static double cpu_ms(void)
{
	char path[64];
	unsigned long long ns = 0;
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)child);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fscanf(f, "%llu", &ns) == 1;
	fclose(f);
	return ok ? ns / 1e6 : -1;
}

/* Writes the last update to the dump: ESC as \e, other control bytes as
 * ^X, and a line break before each cursor move (CSI row;col H) so each
 * line of the dump is what was written at one place on the screen. */
static void dump_update(const char *what)
{
	if (!dump)
		return;
	fprintf(dump, "== %s: %zu bytes", what, screen_len);
	for (size_t i = 0; i < screen_len; i++) {
		unsigned char ch = (unsigned char)screen_buf[i];
		if (ch == 033) {
			size_t j = i + 1;
			if (j < screen_len && screen_buf[j] == '[') {
				while (++j < screen_len && screen_buf[j] >= 0x20 &&
				    screen_buf[j] < 0x40)
					;
				if (j < screen_len && screen_buf[j] == 'H')
					fputc('\n', dump);
			}
			fputs("\\e", dump);
		} else if (ch < 0x20 || ch == 0x7f) {
			fprintf(dump, "^%c", ch ^ 0x40);
		} else {
			fputc(ch, dump);
		}
	}
	fputc('\n', dump);
}

/* Sends keys and measures the update that follows. */
static void key(struct stat_set *s, const char *keys, int quiet_ms)
{
	double last;
	double c0 = cpu_ms();
	double t0 = now_ms();
	if (write(master, keys, strlen(keys)) < 0)
		perror("write");
	size_t b = drain(quiet_ms, &last);
	double c1 = cpu_ms();
	if (s && s->n < 64) {
		s->lat[s->n] = last < 0 ? 0 : last - t0;
		s->first[s->n] = first_byte < 0 ? 0 : first_byte - t0;
		s->bytes[s->n] = b;
		s->cpu[s->n] = c0 < 0 || c1 < 0 ? 0 : c1 - c0;
		s->n++;
	}
	if (s && s->dump)
		dump_update(s->what);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: tui_measure CASEBOOK DBDIR [ROWS COLS]\n");
		return 2;
	}
	struct winsize ws = {24, 80, 0, 0};
	if (argc >= 5) {
		ws.ws_row = (unsigned short)atoi(argv[3]);
		ws.ws_col = (unsigned short)atoi(argv[4]);
	}
	const char *dp = getenv("TUI_DUMP");
	if (dp && *dp && !(dump = fopen(dp, "w")))
		perror(dp);
	double t0 = now_ms();
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	child = pid;
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		execl(argv[1], "casebook", "-d", argv[2], (char *)NULL);
		_exit(127);
	}
	/* First screen: the status line ("N of M cases") is the last row drawn. */
	double first = -1;
	size_t first_bytes = 0;
	char acc[1 << 16];
	size_t acc_len = 0;
	for (;;) {
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			break;
		char buf[65536];
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0)
			break;
		first_bytes += (size_t)n;
		size_t c =
		    (size_t)n < sizeof acc - acc_len - 1 ? (size_t)n : sizeof acc - acc_len - 1;
		memcpy(acc + acc_len, buf, c);
		acc_len += c;
		acc[acc_len] = 0;
		if (strstr(acc, " cases")) {
			first = now_ms() - t0;
			break;
		}
	}
	double last;
	first_bytes += drain(100, &last);
	printf("terminal %dx%d\n", ws.ws_col, ws.ws_row);
	printf("%-34s %.1f ms (%zu bytes)\n", "start to first screen", first, first_bytes);

	struct stat_set down = {.what = "one-line move (j)", .dump = true};
	struct stat_set up = {.what = "one-line move (k)", .dump = true};
	struct stat_set page = {.what = "page move (PgDn)"};
	struct stat_set bottom = {.what = "jump to the end (G)"};
	struct stat_set filt = {.what = "filter change (facet toggle)"};
	struct stat_set line = {.what = "filter change (typed filter)"};
	struct stat_set esc = {.what = "Esc (close the filter pane)"};

	for (int i = 0; i < 30; i++)
		key(&down, "j", 60);
	for (int i = 0; i < 30; i++)
		key(&up, "k", 60);
	for (int i = 0; i < 20; i++)
		key(&page, "\033[6~", 60);
	key(&bottom, "G", 60);
	key(NULL, "g", 60);
	/* Facets: open the pane over the list, go to the first city, toggle it. */
	for (int i = 0; i < 10; i++) {
		key(NULL, "f", 60);
		key(NULL, "gjj", 60);
		key(&filt, " ", 100);
		key(&filt, " ", 100);
		key(&esc, "\033", 100);
	}
	for (int i = 0; i < 10; i++) {
		key(NULL, ":", 60);
		key(NULL, "status:closed injury:bruise", 60);
		key(&line, "\r", 100);
		key(NULL, "c", 100);
	}
	/* Typing in the edit form, long enough to cross several draft writes
	 * (at most one every 2 s, after the screen is updated). */
	struct stat_set typing = {.what = "typing in the form (drafts)"};
	key(NULL, "e", 300);
	for (int i = 0; i < 60; i++)
		key(&typing, "x", 80);
	key(NULL, "\033", 200);
	key(NULL, "y", 200);
	report(&down);
	report(&up);
	report(&page);
	report(&bottom);
	report(&filt);
	report(&line);
	report(&esc);
	report(&typing);
	printf("(Esc includes the %d ms ESCDELAY that tells Esc from an escape sequence)\n", 25);
	key(NULL, "q", 100);
	int st;
	waitpid(pid, &st, 0);
	return 0;
}
