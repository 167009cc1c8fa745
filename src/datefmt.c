/* datefmt.c — local (DD.MM.YYYY) and ISO dates typed by people, and their
 * display. The text is first cut into groups of digits and one kind of
 * separator; the shape says which form it is; the numbers are then written
 * as ISO and handed to pdate_parse, which alone knows the calendar. Only
 * when pdate_parse refuses does this module look at the numbers again, to
 * say in a few words what is wrong. */
#include "datefmt.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "text.h"
#include "util.h"

/* At most three groups of digits ("01", "05", "2021"). */
enum { MAX_GROUPS = 3 };

struct shape {
	int n; /* number of digit groups */
	char sep; /* the one separator between them, 0 if none */
	size_t len[MAX_GROUPS]; /* digits in each group */
	unsigned val[MAX_GROUPS];
	int ok; /* digits and one kind of separator only */
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of a white-space character at s (ASCII or U+00A0, which
 * spreadsheets put in cells), 0 if none. */
static size_t space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

/* Moves *end back over trailing white space. */
static void trim_end(const char *start, const char **end)
{
	for (;;) {
		if (*end > start && space_len(*end - 1) == 1)
			(*end)--;
		else if (*end - start >= 2 && space_len(*end - 2) == 2)
			*end -= 2;
		else
			return;
	}
}

/* Drops a trailing year mark: "г." or "г" (Russian год), "ж." or "ж"
 * (Kazakh жыл), when it follows a digit or a space. */
static void drop_year_mark(const char *start, const char **end)
{
	const char *e = *end;

	if (e > start && e[-1] == '.')
		e--;
	if (e - start < 3 ||
	    (memcmp(e - 2, "\xd0\xb3", 2) != 0 && memcmp(e - 2, "\xd0\xb6", 2) != 0))
		return;
	e -= 2;
	if (!is_digit(e[-1]) && !space_len(e - 1))
		return;
	trim_end(start, &e);
	*end = e;
}

/* Cuts [s, end) into digit groups and separators. */
static void shape_scan(const char *s, const char *end, struct shape *sh)
{
	memset(sh, 0, sizeof *sh);
	sh->ok = 1;
	while (s < end) {
		if (sh->n == MAX_GROUPS || !is_digit(*s)) {
			sh->ok = 0;
			return;
		}
		int g = sh->n++;
		while (s < end && is_digit(*s)) {
			if (sh->len[g] < 6)
				sh->val[g] = sh->val[g] * 10 + (unsigned)(*s - '0');
			sh->len[g]++;
			s++;
		}
		if (s == end)
			return;
		if (is_digit(*s) || (sh->sep && *s != sh->sep) || s + 1 == end) {
			sh->ok = 0;
			return;
		}
		sh->sep = *s++;
	}
}

/* The text of a date as quoted in a message: made safe for a terminal and
 * cut to max_cols columns (the last one an ellipsis when cut), so the whole
 * message fits 80 columns. */
static char *quote_input(const char *s, size_t n, size_t max_cols)
{
	struct buf safe = {0}, out = {0};

	text_sanitize_put(&safe, s, n, 0);
	text_put_fitted(&out, buf_cstr(&safe), max_cols, false);
	buf_free(&safe);
	return buf_steal(&out);
}

/* Sets the one-line error: what was typed, why it is refused, and the two
 * forms that would be accepted (the month forms when a month was typed). */
static int bad_date(const char *s, size_t n, const char *reason, int month_form, struct cb_err *err)
{
	char *q = quote_input(s, n, 15);

	/* TRANSLATORS: the two accepted forms of a full date and of a month.
	 * Keep each message within 80 columns with a 15-column date. */
	const char *local = month_form ? _("MM.YYYY") : _("DD.MM.YYYY");
	const char *iso = month_form ? _("YYYY-MM") : _("YYYY-MM-DD");
	/* TRANSLATORS: bad date "31.02.2021": no such day (use DD.MM.YYYY or YYYY-MM-DD) */
	cb_err_set(err, CB_EINVAL, _("bad date \"%s\": %s (use %s or %s)"), q, reason, local, iso);
	free(q);
	return CB_EINVAL;
}

/* The numbers of a well-shaped date, checked by pdate_parse. */
static int check_calendar(const char *s, size_t n, unsigned y, unsigned m, unsigned d,
    int month_form, struct pdate *out, struct cb_err *err)
{
	char iso[16];
	struct cb_err perr = {0};
	struct pdate p;

	if (d)
		snprintf(iso, sizeof iso, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
	else if (m)
		snprintf(iso, sizeof iso, "%04u-%02u", y % 10000, m % 100);
	else
		snprintf(iso, sizeof iso, "%04u", y % 10000);
	if (pdate_parse(iso, &p, &perr) == 0) {
		*out = p;
		return 0;
	}
	if (y < 1000)
		return bad_date(s, n, _("year out of range"), month_form, err);
	if (m < 1 || m > 12)
		return bad_date(s, n, _("no such month"), month_form, err);
	return bad_date(s, n, _("no such day"), month_form, err);
}

/* Parses one date in either form; see datefmt.h. */
int datefmt_parse(const char *s, struct pdate *out, struct cb_err *err)
{
	const char *end;
	struct shape sh;
	size_t n;

	s = str_or_empty(s);
	while (space_len(s))
		s += space_len(s);
	end = s + strlen(s);
	trim_end(s, &end);
	drop_year_mark(s, &end);
	n = (size_t)(end - s);
	if (n == 0) {
		out->year = 0, out->month = 0, out->day = 0;
		return 0;
	}
	shape_scan(s, end, &sh);
	if (!sh.ok)
		return bad_date(s, n, _("not a date"), 0, err);
	if (sh.sep == '/' && sh.n == 3 && sh.len[2] == 4 && sh.len[0] <= 2 && sh.len[1] <= 2)
		return bad_date(s, n, _("day or month first?"), 0, err);
	if (sh.n == 1 && sh.len[0] == 4)
		return check_calendar(s, n, sh.val[0], 0, 0, 0, out, err);
	if (sh.sep == '-' && sh.len[0] == 4 && sh.len[1] == 2 && (sh.n == 2 || sh.len[2] == 2)) {
		unsigned m = sh.val[1], d = sh.n == 3 ? sh.val[2] : 0;
		if (m == 0 || (sh.n == 3 && d == 0))
			return bad_date(s, n, m == 0 ? _("no such month") : _("no such day"),
			    sh.n == 2, err);
		return check_calendar(s, n, sh.val[0], m, d, sh.n == 2, out, err);
	}
	if (sh.sep == '.' && sh.n >= 2) {
		int year = sh.n - 1;
		int wide = sh.len[0] > 2 || (sh.n == 3 && sh.len[1] > 2);
		if (sh.len[year] != 4 && !wide)
			return bad_date(s, n, _("year needs 4 digits"), sh.n == 2, err);
		if (sh.len[year] != 4 || wide)
			return bad_date(s, n, _("not a date"), 0, err);
		unsigned m = sh.val[year - 1], d = sh.n == 3 ? sh.val[0] : 0;
		if (m == 0 || (sh.n == 3 && d == 0))
			return bad_date(s, n, m == 0 ? _("no such month") : _("no such day"),
			    sh.n == 2, err);
		return check_calendar(s, n, sh.val[year], m, d, sh.n == 2, out, err);
	}
	if (sh.n == 1 && sh.len[0] < 4)
		return bad_date(s, n, _("year needs 4 digits"), 0, err);
	return bad_date(s, n, _("not a date"), 0, err);
}

/* Parses one end of a range; an empty end is open (unset). */
static int parse_end(const char *s, size_t n, struct pdate *out, struct cb_err *err)
{
	char *t = xstrndup(s, n);
	int rc = datefmt_parse(t, out, err);

	free(t);
	return rc;
}

/* Parses "A..B", "A.." or "..B"; see datefmt.h. */
int datefmt_parse_range(const char *s, struct pdate *from, struct pdate *to, struct cb_err *err)
{
	struct cb_err first = {0};
	int have_first = 0;
	size_t len;

	s = str_or_empty(s);
	if (!strstr(s, ".."))
		return 0;
	len = strlen(s);
	/* Dots also separate the parts of a local date, so "01.05.2021...2022"
	 * could be cut in two places: take the one where both ends are dates. */
	for (size_t i = 0; i + 1 < len; i++) {
		struct pdate a, b;
		struct cb_err e = {0};

		if (s[i] != '.' || s[i + 1] != '.')
			continue;
		if (parse_end(s, i, &a, &e) == 0 &&
		    parse_end(s + i + 2, len - i - 2, &b, &e) == 0) {
			char *q = quote_input(s, len, 25);
			uint32_t af, al, bf, bl;
			int rc = 0;

			pdate_span(a, &af, &al);
			pdate_span(b, &bf, &bl);
			if (!pdate_is_set(a) && !pdate_is_set(b))
				rc = cb_err_set(err, CB_EINVAL,
				    _("bad date range \"%s\" (use A..B, A.. or ..B)"), q);
			else if (pdate_is_set(a) && pdate_is_set(b) && af > bl)
				rc = cb_err_set(err, CB_EINVAL,
				    _("date range \"%s\" ends before it starts"), q);
			free(q);
			if (rc)
				return rc;
			*from = a;
			*to = b;
			return 1;
		}
		if (!have_first) {
			first = e;
			have_first = 1;
		}
	}
	if (err)
		*err = first;
	return CB_EINVAL;
}

/* Writes n zero-padded decimal digits of v at p; returns the end. */
static char *put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

/* Writes d in the given style; see datefmt.h. */
char *datefmt_format(struct pdate d, enum datefmt_style style, char *buf)
{
	char *p = buf;

	if (style == DATEFMT_ISO || !pdate_is_set(d))
		return pdate_format(d, buf);
	if (d.month) {
		if (d.day) {
			p = put_digits(p, d.day, 2);
			*p++ = '.';
		}
		p = put_digits(p, d.month, 2);
		*p++ = '.';
	}
	p = put_digits(p, d.year % 10000u, 4);
	*p = '\0';
	return buf;
}

/* Whether a language code or locale name is Russian or Kazakh. */
static int lang_is_local(const char *lang)
{
	size_t n = strcspn(lang, "_.@-");

	return n == 2 && (strncasecmp(lang, "ru", 2) == 0 || strncasecmp(lang, "kk", 2) == 0);
}

/* Decides the display style; see datefmt.h. */
int datefmt_style_choose(const char *config_value, const char *lang, enum datefmt_style *out,
    struct cb_err *err)
{
	*out = DATEFMT_ISO;
	if (!str_empty(config_value) && strcasecmp(config_value, "auto") != 0) {
		if (strcasecmp(config_value, "iso") == 0)
			return 0;
		if (strcasecmp(config_value, "local") == 0) {
			*out = DATEFMT_LOCAL;
			return 0;
		}
		char *q = quote_input(config_value, strlen(config_value), 15);
		cb_err_set(err, CB_EINVAL, _("bad date_format \"%s\" (use iso, local or auto)"), q);
		free(q);
		return CB_EINVAL;
	}
	if (!lang)
		lang = setlocale(LC_MESSAGES, NULL);
	if (lang && lang_is_local(lang))
		*out = DATEFMT_LOCAL;
	return 0;
}

/* The language of the message catalog in use: its header's "Language:"
 * line (gettext("") is the header); "" when messages are not translated. */
static void catalog_language(char *out, size_t n)
{
	static const char header[] = ""; /* not a literal, so not a message */
	const char *h = gettext(header);
	const char *l = h && *h ? strstr(h, "Language: ") : NULL;

	out[0] = '\0';
	if (!l)
		return;
	l += strlen("Language: ");
	size_t len = strcspn(l, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(out, l, len);
	out[len] = '\0';
}

static char configured[8]; /* date_format as configured; "" is auto */

void datefmt_configure(const char *date_format)
{
	snprintf(configured, sizeof configured, "%s", str_or_empty(date_format));
}

/* The current display style; see datefmt.h. */
enum datefmt_style datefmt_current(void)
{
	enum datefmt_style st;
	char lang[32];

	catalog_language(lang, sizeof lang);
	if (datefmt_style_choose(configured, lang, &st, NULL) != 0)
		datefmt_style_choose(NULL, lang, &st, NULL);
	return st;
}

char *datefmt_show(struct pdate d, char *buf)
{
	return datefmt_format(d, datefmt_current(), buf);
}

char *datefmt_show_time(char *out, int64_t t)
{
	struct pdate d;
	char day[11], local[DATEFMT_BUFSZ];

	text_time(out, t, TEXT_TIME_LOCAL);
	if (datefmt_current() != DATEFMT_LOCAL || strlen(out) < 10)
		return out;
	memcpy(day, out, 10);
	day[10] = '\0';
	if (pdate_parse(day, &d, NULL) == 0)
		memcpy(out, datefmt_format(d, DATEFMT_LOCAL, local), 10);
	return out;
}
