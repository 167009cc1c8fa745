/* l10n.c — locale, message catalogs and the `language` setting.
 *
 * Language follows the locale as gettext reads it (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG); `language = ru|kk|en` in the configuration overrides
 * it by setting LANGUAGE, which gettext consults first whenever the locale is
 * not plain "C". */
#include "l10n.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

void l10n_init(void)
{
	const char *env = getenv("CASEBOOK_LOCALEDIR");

	setlocale(LC_ALL, "");
	/* build/casebook reads build/locale, so the build tree needs no install;
	 * a directory only: beside /usr/bin, "locale" is the locale(1) program. */
	char *dir = env && *env ? xstrdup(env) : util_beside_binary("locale", S_IFDIR);

	bindtextdomain("casebook", dir ? dir : LOCALEDIR);
	free(dir); /* bindtextdomain keeps its own copy */
	textdomain("casebook");

	/* The configuration's warnings are still in the locale's language. */
	const char *lang = config_get()->language;
	if (lang) {
		setenv("LANGUAGE", lang, 1);
		/* Setting the domain again makes gettext drop what it has
		 * cached for the old language. */
		textdomain("casebook");
	}
}
