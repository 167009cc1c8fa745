/* config.c — the user's settings file. /etc/casebook/config is read first
 * ($CASEBOOK_SYSTEM_CONFIG names another file, for tests and installations
 * elsewhere), then the user's own file ($XDG_CONFIG_HOME/casebook/config,
 * else ~/.config/casebook/config), so a user's setting wins over the system's.
 * Format: one `key = value` per line; blank lines and lines starting with
 * `#` are ignored; a value may be wrapped in double quotes to keep
 * surrounding spaces. A bad line gives one warning on stderr and is skipped. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "text.h"
#include "util.h"

static struct config cfg;
static bool loaded;
static bool reading_system; /* the file being read is the system's */

static const char *const keys[] = {
    "print_command",
    "sheet_format",
    "sheet_width",
    "organisation",
    "sheet_dir",
    "mouse",
    "print_timeout",
    "language",
    "staff_name",
    "signature",
    "database",
    "places",
    "place_names",
    "repeat_window_months",
    "date_format",
};

static struct strlist warnings;

static void warn(const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One warning line. The file's path and text are the user's: control
 * characters in them are made visible. */
static void warn(const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg, *text, *clean;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	text = line > 0 ? xasprintf("%s:%d: %s", path, line, msg) : xasprintf("%s: %s", path, msg);
	clean = text_sanitize(text, 0);
	fprintf(stderr, "casebook: %s\n", clean);
	/* Kept for the terminal UI, which takes the screen after this. */
	strlist_add(&warnings, text);
	free(clean);
	free(text);
	free(msg);
}

/* "~" and "~/..." become $HOME and $HOME/...; anything else is kept. */
static char *expand_home(const char *v)
{
	const char *home = getenv("HOME");

	if (v[0] == '~' && (v[1] == '\0' || v[1] == '/') && home && *home)
		return xasprintf("%s%s", home, v + 1);
	return xstrdup(v);
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static void set_str(char **slot, char *v)
{
	free(*slot);
	*slot = v;
}

static void apply(const char *path, int line, const char *key, const char *v)
{
	if (strcmp(key, "print_command") == 0) {
		set_str(&cfg.print_command, *v ? xstrdup(v) : NULL);
	} else if (strcmp(key, "sheet_format") == 0) {
		if (strcmp(v, "text") != 0 && strcmp(v, "pdf") != 0) {
			warn(path, line,
			    _("sheet_format: unknown format \"%s\" (known: text, pdf); ignored"),
			    v);
			return;
		}
		set_str(&cfg.sheet_format, xstrdup(v));
	} else if (strcmp(key, "sheet_width") == 0) {
		char *end;
		errno = 0;
		long w = strtol(v, &end, 10);
		if (errno || end == v || *end || w < 40 || w > 1000) {
			warn(path, line,
			    _("sheet_width: bad width \"%s\" (a number of columns, 40 to 1000); "
			      "ignored"),
			    v);
			return;
		}
		cfg.sheet_width = (int)w;
	} else if (strcmp(key, "organisation") == 0) {
		set_str(&cfg.organisation, *v ? xstrdup(v) : NULL);
	} else if (strcmp(key, "sheet_dir") == 0) {
		if (!*v) {
			warn(path, line, "%s", _("sheet_dir: empty directory; ignored"));
			return;
		}
		set_str(&cfg.sheet_dir, expand_home(v));
	} else if (strcmp(key, "mouse") == 0) {
		if (parse_bool(v, &cfg.mouse) < 0)
			warn(path, line, _("mouse: bad value \"%s\" (yes or no); ignored"), v);
	} else if (strcmp(key, "print_timeout") == 0) {
		char *end;
		errno = 0;
		long t = strtol(v, &end, 10);
		if (errno || end == v || *end || t < 1 || t > 3600) {
			warn(path, line,
			    _("print_timeout: bad value \"%s\" (seconds, 1 to 3600); ignored"), v);
			return;
		}
		cfg.print_timeout = (int)t;
	} else if (strcmp(key, "repeat_window_months") == 0) {
		char *end;
		errno = 0;
		long m = strtol(v, &end, 10);
		if (errno || end == v || *end || m < 1 || m > 120) {
			warn(path, line,
			    _("repeat_window_months: bad value \"%s\" (months, 1 to 120); ignored"),
			    v);
			return;
		}
		cfg.repeat_window_months = (int)m;
	} else if (strcmp(key, "language") == 0) {
		if (strcmp(v, "ru") != 0 && strcmp(v, "kk") != 0 && strcmp(v, "en") != 0) {
			warn(path, line,
			    _("language: unknown language \"%s\" (known: ru, kk, en); ignored"), v);
			return;
		}
		set_str(&cfg.language, xstrdup(v));
	} else if (strcmp(key, "staff_name") == 0) {
		set_str(&cfg.staff_name, *v ? xstrdup(v) : NULL);
	} else if (strcmp(key, "date_format") == 0) {
		if (strcmp(v, "iso") != 0 && strcmp(v, "local") != 0 && strcmp(v, "auto") != 0) {
			warn(path, line,
			    _("date_format: bad value \"%s\" (iso, local or auto); ignored"), v);
			return;
		}
		set_str(&cfg.date_format, xstrdup(v));
	} else if (strcmp(key, "signature") == 0) {
		if (parse_bool(v, &cfg.signature) < 0)
			warn(path, line, _("signature: bad value \"%s\" (yes or no); ignored"), v);
	} else if (strcmp(key, "database") == 0) {
		char *dir = expand_home(v);
		if (dir[0] != '/') {
			warn(path, line,
			    _("database: \"%s\" is not an absolute path (like /srv/casebook); "
			      "ignored"),
			    v);
			free(dir);
			return;
		}
		if (reading_system)
			set_str(&cfg.shared_database, xstrdup(dir));
		set_str(&cfg.database, dir);
	} else if (strcmp(key, "places") == 0) {
		char *file = expand_home(v);
		if (file[0] != '/') {
			warn(path, line,
			    _("places: \"%s\" is not an absolute path (like "
			      "/etc/casebook/places.tsv); ignored"),
			    v);
			free(file);
			return;
		}
		set_str(&cfg.places, file);
	} else if (strcmp(key, "place_names") == 0) {
		if (strcmp(v, "ru") != 0 && strcmp(v, "kk") != 0 && strcmp(v, "en") != 0) {
			warn(path, line,
			    _("place_names: unknown language \"%s\" (known: kk, ru, en); ignored"),
			    v);
			return;
		}
		set_str(&cfg.place_names, xstrdup(v));
	}
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static void load_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;

	if (!f) {
		if (errno != ENOENT)
			warn(path, 0, "%s", strerror(errno));
		return;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			warn(path, lineno, "%s", _("expected `key = value`; line ignored"));
			continue;
		}
		*eq = '\0';
		char *key = trim(s), *v = trim(eq + 1);
		size_t vn = strlen(v);
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v[vn - 1] = '\0';
			v++;
		}
		bool known = false;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			known |= strcmp(key, keys[i]) == 0;
		if (!known) {
			struct buf list = {0};
			for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
				buf_printf(&list, "%s%s", i ? ", " : "", keys[i]);
			buf_putc(&list, 0);
			warn(path, lineno, _("unknown key \"%s\" (known: %s); ignored"), key,
			    (const char *)list.p);
			buf_free(&list);
			continue;
		}
		apply(path, lineno, key, v);
	}
	free(line);
	fclose(f);
}

const struct config *config_get(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path = NULL;

	if (loaded)
		return &cfg;
	loaded = true;
	cfg.sheet_width = 80;
	cfg.print_timeout = 60;
	cfg.repeat_window_months = 12;
	cfg.signature = true;
	const char *sys = getenv("CASEBOOK_SYSTEM_CONFIG");
	reading_system = true;
	load_file(sys && *sys ? sys : "/etc/casebook/config");
	reading_system = false;
	/* XDG: a relative XDG_CONFIG_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		path = xasprintf("%s/casebook/config", xdg);
	else if (home && *home)
		path = xasprintf("%s/.config/casebook/config", home);
	if (path)
		load_file(path);
	free(path);
	if (!cfg.sheet_format)
		cfg.sheet_format = xstrdup("text");
	if (!cfg.sheet_dir)
		cfg.sheet_dir = expand_home("~/casebook-sheets");
	return &cfg;
}

const struct strlist *config_warnings(void)
{
	return &warnings;
}
