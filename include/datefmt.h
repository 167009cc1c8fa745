/* datefmt.h — dates as people in Kazakhstan type and read them: the local
 * form DD.MM.YYYY (with MM.YYYY and YYYY for partial dates) besides ISO
 * YYYY-MM-DD, parsed into the struct pdate of case.h and shown in the form
 * the user's language or config asks for. Storage and exports stay ISO:
 * this module only sits between the user and pdate_parse/pdate_format. */
#ifndef CASEBOOK_DATEFMT_H
#define CASEBOOK_DATEFMT_H

#include <stdint.h>

#include "case.h"
#include "error.h"

/* How dates are shown. Both forms are always accepted as input. */
enum datefmt_style {
	DATEFMT_ISO, /* 2021-05-01, 2021-05, 2021 */
	DATEFMT_LOCAL, /* 01.05.2021, 05.2021, 2021 */
};

/* Room datefmt_format needs, NUL included. */
#define DATEFMT_BUFSZ 11

/* Parses one date in either form: DD.MM.YYYY or D.M.YYYY, MM.YYYY or
 * M.YYYY, YYYY, YYYY-MM-DD, YYYY-MM. Surrounding white space is ignored,
 * and so is a trailing year mark as in "2021 г." or "2021 ж.". "" (or only
 * spaces) gives an unset date. The calendar (leap years, days per month,
 * years 1000..9999) is pdate_parse's. On error *out is untouched and err
 * says, in one line of at most 80 columns, what is wrong and both forms:
 * `bad date "31.02.2021": no such day (use DD.MM.YYYY or YYYY-MM-DD)`. */
int datefmt_parse(const char *s, struct pdate *out, struct cb_err *err);

/* Parses a range "A..B", "A.." or "..B" whose ends are dates in either form
 * (so "01.05.2021..31.05.2021" and "05.2021..2021-06" both work). Returns 1
 * with *from and *to set (an open end is an unset date), 0 when s holds no
 * ".." at all (not a range: the caller parses it as one date), or
 * CB_EINVAL with err set when an end is a bad date, both ends are missing,
 * or the range ends before it starts. */
int datefmt_parse_range(const char *s, struct pdate *from, struct pdate *to, struct cb_err *err);

/* Writes d in the given style into buf (DATEFMT_BUFSZ bytes at least) and
 * returns buf: "01.05.2021", "05.2021", "2021" or the ISO forms; "" when
 * unset. */
char *datefmt_format(struct pdate d, enum datefmt_style style, char *buf);

/* Decides the display style from the config value `date_format` ("iso",
 * "local", "auto"; NULL or "" mean auto) and a language: a code such as
 * "ru", "kk", "ru_RU.UTF-8" or "en"; NULL means the current LC_MESSAGES
 * locale. Auto gives local for Russian and Kazakh, ISO for anything else.
 * Returns 0, or CB_EINVAL with err set for an unknown config value (then
 * *out is ISO, so a caller may warn and go on). */
int datefmt_style_choose(const char *config_value, const char *lang, enum datefmt_style *out,
    struct cb_err *err);

/* Sets the config's date_format (iso, local, auto; NULL or a bad value,
 * which config.c warns about, mean auto) for datefmt_current. main() calls
 * it once the config is read; until then dates are shown as auto says. */
void datefmt_configure(const char *date_format);

/* The style dates are shown in now: the configured date_format and, for
 * auto, the language the messages are shown in (the catalog in use, so
 * `language = ru` in the config counts as much as the locale). */
enum datefmt_style datefmt_current(void);

/* d in the current style (datefmt_current) into buf, returned. Only for
 * showing: storage, exports and the list syntax of measures stay ISO. */
char *datefmt_show(struct pdate d, char *buf);

/* The unix time t as text_time's TEXT_TIME_LOCAL writes it ("2021-05-01
 * 15:30", local time), its date in the current style ("01.05.2021
 * 15:30"), into out (TEXT_TIME_MAX bytes), returned. */
char *datefmt_show_time(char *out, int64_t t);

#endif
