/* config.h — the settings: /etc/casebook/config (the office's), then
 * ~/.config/casebook/config (or $XDG_CONFIG_HOME/casebook/config), whose
 * settings win. Lines `key = value`, `#` comments (src/config.c). */
#ifndef CASEBOOK_CONFIG_H
#define CASEBOOK_CONFIG_H

#include <stdbool.h>

struct strlist;

struct config {
	char *print_command; /* NULL: save sheets to sheet_dir instead */
	char *sheet_format; /* "text" (default) or "pdf" */
	int sheet_width; /* text sheets, columns; default 80 */
	char *organisation; /* printed on sheets; may be NULL */
	char *sheet_dir; /* default ~/casebook-sheets */
	bool mouse; /* TUI mouse support; default off (breaks copy/paste over SSH) */
	int print_timeout; /* seconds a print command may take before it is stopped; default 60 */
	char *language; /* "ru", "kk" or "en": the interface language; NULL: the locale's */
	char *staff_name; /* who prints sheets, by full name; NULL: the account's (GECOS) name */
	bool signature; /* sheets end with a signature block; default yes */
	char *date_format; /* "iso", "local" or "auto" (NULL: auto): how dates are shown */
	char *database; /* absolute database directory, or NULL (the per-user default) */
	int repeat_window_months; /* a person's administrative sanction within this many months
	                           * of an earlier one is marked a repeat; default 12 */
	char *shared_database; /* the database the system file names (the office's), or NULL */
	char *places; /* the gazetteer file (place.h), or NULL: the installed one */
	char
	    *place_names; /* "kk", "ru" or "en": the language of place names; NULL: follow the UI */
};

/* Loads the configuration once (later calls return the same object).
 * A malformed line is reported on stderr once and skipped. Never NULL. */
const struct config *config_get(void);

/* The warnings config_get gave (also printed on stderr), in order. */
const struct strlist *config_warnings(void);

#endif
