/* l10n.h — the interface language: the locale, the message catalogs and the
 * configuration's `language` setting (src/l10n.c). */
#ifndef CASEBOOK_L10N_H
#define CASEBOOK_L10N_H

/* Sets the locale from the environment, binds the message catalogs and, when
 * the configuration names a language, switches messages to it. Call once,
 * first thing in main(). Catalogs are looked for in $CASEBOOK_LOCALEDIR when
 * set, else in a `locale` directory next to the running binary (the build
 * tree: build/casebook, build/locale), else in LOCALEDIR. */
void l10n_init(void);

#endif
