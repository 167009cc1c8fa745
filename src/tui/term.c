/* term.c — the terminal under the TUI: curses set-up, the line-drawing and
 * key fixes, mouse reporting, and restoring the terminal on exit, on a quit
 * signal and on a crash. */
#include "tui.h"

#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static bool curses_on;
static struct termios saved_tio;
static bool have_tio;
static char reset_seq[256];
static size_t reset_len;
static volatile sig_atomic_t quit_signal;

/* ---- Terminal set-up and restore ------------------------------------------ */

/* Ends curses if it is on (tui.h). */
void tui_term_restore(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

/* A crash: only async-signal-safe calls. Leave the alternate screen, show
 * the cursor, restore the saved terminal modes, then die by the signal. */
static void crash_handler(int sig)
{
	if (reset_len)
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGTERM, SIGHUP, SIGINT: the main loop notices within POLL_MS and exits cleanly. */
static void quit_handler(int sig)
{
	quit_signal = sig;
}

/* The quit signal caught, or 0 (tui.h). */
int tui_quit_signal(void)
{
	return quit_signal;
}

/* Forgets the quit signal (Ctrl-C in the form is a question, not a quit). */
void tui_quit_clear(void)
{
	quit_signal = 0;
}

static void add_reset(const char *cap)
{
	char *s = tigetstr(cap);

	if (s && s != (char *)-1 && reset_len + strlen(s) < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, strlen(s));
		reset_len += strlen(s);
	}
}

static void signals_install(void)
{
	struct sigaction sa;
	static const int crash[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
	static const int quit[] = {SIGTERM, SIGHUP, SIGINT};

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = crash_handler;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	sa.sa_handler = quit_handler;
	sa.sa_flags = 0;
	for (size_t i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
}

/* Takes the terminal for curses (tui.h). */
void tui_term_init(void)
{
	struct termios tio;

	/* Read the configuration first: its warnings go to stderr, which
	 * must happen before curses owns the screen. */
	(void)config_get();
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = true;
	/* Line drawing: in a UTF-8 locale many terminals (tmux, PuTTY, vt100
	 * emulators) ignore the VT100 alternate character set, and borders
	 * come out as "qqqq"; the Unicode box characters work everywhere
	 * there. A user's own setting wins. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		setenv("NCURSES_NO_UTF8_ACS", "1", 0);
	initscr();
	keys_terminal_init();
	curses_on = true;
	util_cleanup_hook = tui_term_restore;
	cbreak();
	noecho();
	nonl();
	set_escdelay(25);
	/* ^S saves a form: take it from flow control. */
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		def_prog_mode();
	}
	theme_init();
	curs_set(1);
	reset_len = 0;
	add_reset("sgr0");
	add_reset("cnorm");
	add_reset("rmcup");
	if (config_get()->mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		mouseinterval(0);
		static const char mouse_off[] = "\033[?1000l\033[?1006l";
		if (reset_len + sizeof mouse_off < sizeof reset_seq) {
			memcpy(reset_seq + reset_len, mouse_off, sizeof mouse_off - 1);
			reset_len += sizeof mouse_off - 1;
		}
	}
	signals_install();
}
