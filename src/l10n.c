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

/* The `locale` directory beside the running binary, when there is one:
 * build/casebook runs with the catalogs of build/locale, so the build tree
 * needs no install and no environment. NULL otherwise. */
static char *beside_binary(void)
{
	char exe[PATH_MAX];
	struct stat sb;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *dir = xasprintf("%s/locale", exe);
	/* A directory only: /usr/bin/locale is the locale(1) program. */
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dir;
	free(dir);
	return NULL;
}

void l10n_init(void)
{
	const char *env = getenv("CASEBOOK_LOCALEDIR");

	setlocale(LC_ALL, "");
	char *dir = env && *env ? xstrdup(env) : beside_binary();

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
