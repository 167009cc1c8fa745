/* keys_mdoc.c — prints the TUI key list in mdoc, from the one key table in
 * src/tui/keys.c; `make man` splices it into casebook.1 and, with the
 * argument "ru", into ru/casebook.1.
 *
 * Usage: keys_mdoc [LANG [LOCALEDIR]]. Without LANG (or with "en") the
 * msgids themselves are printed. With LANG the key names and help texts
 * are translated by the catalog LOCALEDIR/LANG/LC_MESSAGES/casebook.mo;
 * where no such catalog exists yet, gettext leaves them in English. */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* The UTF-8 locale each translated language is generated under. */
static const struct {
	const char *lang;
	const char *locale;
} locales[] = {
    {"ru", "ru_RU.UTF-8"},
    {"kk", "kk_KZ.UTF-8"},
};

int main(int argc, char **argv)
{
	const char *lang = argc > 1 ? argv[1] : "en";

	if (strcmp(lang, "en") == 0) {
		setlocale(LC_ALL, "C.UTF-8");
		tui_keys_mdoc(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof locales / sizeof locales[0]; i++) {
		if (strcmp(lang, locales[i].lang) != 0)
			continue;
		/* LANGUAGE would otherwise override the locale's language. */
		setenv("LANGUAGE", lang, 1);
		if (!setlocale(LC_ALL, locales[i].locale)) {
			fprintf(stderr, "keys_mdoc: locale %s is not installed (run make deps)\n",
			    locales[i].locale);
			return 1;
		}
		bindtextdomain("casebook", argc > 2 ? argv[2] : LOCALEDIR);
		bind_textdomain_codeset("casebook", "UTF-8");
		textdomain("casebook");
		tui_keys_mdoc(stdout);
		return 0;
	}
	fprintf(stderr, "keys_mdoc: unknown language %s (en, ru or kk)\n", lang);
	return 2;
}
