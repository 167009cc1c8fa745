/* text.c — UTF-8 decoding, display width, fitting, wrapping, terminal-safe
 * text and time stamps (see text.h for the width rule). */
#include "text.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "util.h"

/* ---- UTF-8 ---------------------------------------------------------------- */

size_t text_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	/* The second byte's range excludes overlong forms (E0, F0),
	 * surrogates (ED) and values above U+10FFFF (F4); C0, C1 and F5..FF
	 * never start a sequence. */
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else {
		goto bad;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		goto bad;
	v = (v << 6) | (s[1] & 0x3fu);
	for (size_t i = 2; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	*cp = v;
	return len;
bad:
	*cp = TEXT_REPLACEMENT;
	return 1;
}

size_t text_valid_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		if (len == 1 && (unsigned char)s[i] >= 0x80)
			return i;
		i += len;
	}
	return n;
}

void text_put_char(struct buf *b, uint32_t cp)
{
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = TEXT_REPLACEMENT;
	if (cp < 0x80) {
		buf_putc(b, (unsigned char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (unsigned char)(0xc0 | (cp >> 6)));
		buf_putc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_putc(b, (unsigned char)(0xe0 | (cp >> 12)));
		buf_putc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (unsigned char)(0xf0 | (cp >> 18)));
		buf_putc(b, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_putc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

size_t text_incomplete_tail(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned c = s[n - back];
		if ((c & 0xc0) == 0x80)
			continue; /* a continuation byte: look further back */
		size_t need = c >= 0xc2 && c <= 0xdf ? 2
		    : c >= 0xe0 && c <= 0xef         ? 3
		    : c >= 0xf0 && c <= 0xf4         ? 4
		                                     : 1;
		return need > back ? back : 0;
	}
	return 0;
}

/* ---- Escapes and width ---------------------------------------------------- */

/* Characters that change the direction of the text around them without
 * being seen: a name holding U+202E shows reversed and can pass for
 * another. */
static bool direction_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

const char *text_escape(uint32_t cp, char out[TEXT_ESCAPE_MAX])
{
	if (cp < 0x20 || cp == 0x7f)
		snprintf(out, TEXT_ESCAPE_MAX, "^%c", cp == 0x7f ? '?' : (char)(cp + '@'));
	else if (cp >= 0x80 && cp < 0xa0)
		snprintf(out, TEXT_ESCAPE_MAX, "\\x%02x", (unsigned)cp);
	else if (direction_control(cp))
		snprintf(out, TEXT_ESCAPE_MAX, "<U+%04X>", (unsigned)cp);
	else
		return NULL;
	return out;
}

int text_char_width(uint32_t cp)
{
	char esc[TEXT_ESCAPE_MAX];
	const char *e;

	if (cp >= 0x20 && cp < 0x7f)
		return 1;
	if ((e = text_escape(cp, esc)))
		return (int)strlen(e);
	int w = wcwidth((wchar_t)cp);
	/* Unknown to wcwidth: one column, the width of most letters. */
	return w >= 0 ? w : 1;
}

size_t text_width(const char *s)
{
	size_t n = strlen(str_or_empty(s)), w = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += text_decode(s + i, n - i, &cp);
		w += (size_t)text_char_width(cp);
	}
	return w;
}

size_t text_fit(const char *s, size_t width, size_t *used)
{
	size_t n = strlen(s), i = 0, w = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		size_t cw = (size_t)text_char_width(cp);
		if (w + cw > width)
			break;
		w += cw;
		i += len;
	}
	if (used)
		*used = w;
	return i;
}

const char *text_ellipsis(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0 ? "…" : "~";
}

size_t text_put_fitted(struct buf *out, const char *s, size_t width, bool pad)
{
	size_t used = text_width(s);

	if (used <= width) {
		buf_puts(out, s);
	} else if (width > 0) {
		size_t nb = text_fit(s, width - 1, &used);
		buf_put(out, s, nb);
		buf_puts(out, text_ellipsis());
		used++;
	} else {
		used = 0;
	}
	for (; pad && used < width; used++)
		buf_putc(out, ' ');
	return used;
}

/* ---- Word wrapping -------------------------------------------------------- */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Offset after the blanks at s[i..n), and after one newline that ends them
 * (the break already ends the line, so the newline makes no empty one). */
static size_t skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && blank(s[i]))
		i++;
	if (i < n && s[i] == '\n')
		i++;
	return i;
}

/* Length of s[0..end) without its trailing blanks. */
static size_t trim_blanks(const char *s, size_t end)
{
	while (end > 0 && blank(s[end - 1]))
		end--;
	return end;
}

size_t text_wrap_next(const char *s, size_t n, size_t width, size_t *next)
{
	size_t i = 0, w = 0, brk = 0; /* brk: end of the last word before a blank */
	bool in_word = false;

	if (width == 0)
		width = 1;
	while (i < n && s[i] != '\n') {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		bool b = blank(s[i]);
		size_t cw = b ? 1 : (size_t)text_char_width(cp);
		if (w + cw > width && i > 0) {
			if (b) { /* the line ends where the blanks begin */
				*next = skip_blanks(s, i, n);
				return trim_blanks(s, i);
			}
			if (brk > 0) { /* at the last blank, the word moves down */
				*next = skip_blanks(s, brk, n);
				return brk;
			}
			*next = i; /* a word longer than a line */
			return i;
		}
		if (b && in_word)
			brk = i;
		in_word = !b;
		w += cw;
		i += len;
	}
	*next = i < n ? i + 1 : n;
	return trim_blanks(s, i);
}

/* ---- Terminal safety ------------------------------------------------------ */

void text_sanitize_put(struct buf *b, const char *s, size_t n, int keep_newlines)
{
	size_t i = 0, run = 0; /* s[run..i) is shown as it is */

	while (i < n) {
		uint32_t cp;
		char esc[TEXT_ESCAPE_MAX];
		const char *e = NULL;
		size_t len = text_decode(s + i, n - i, &cp);
		bool bad = len == 1 && (unsigned char)s[i] >= 0x80;
		if (!bad && !((cp == '\n' || cp == '\t') && keep_newlines))
			e = text_escape(cp, esc);
		if (bad || e) {
			buf_put(b, s + run, i - run);
			if (bad)
				text_put_char(b, TEXT_REPLACEMENT);
			else
				buf_puts(b, e);
			run = i + len;
		}
		i += len;
	}
	buf_put(b, s + run, i - run);
}

char *text_sanitize(const char *s, int keep_newlines)
{
	struct buf b = {0};

	s = str_or_empty(s);
	text_sanitize_put(&b, s, strlen(s), keep_newlines);
	return buf_steal(&b);
}

/* ---- Time stamps ---------------------------------------------------------- */

char *text_time(char out[TEXT_TIME_MAX], int64_t t, enum text_time_style style)
{
	time_t tt = (time_t)t;
	struct tm tm;
	bool ok;

	if (style == TEXT_TIME_UTC)
		ok = gmtime_r(&tt, &tm) &&
		    strftime(out, TEXT_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
	else
		ok = localtime_r(&tt, &tm) &&
		    strftime(out, TEXT_TIME_MAX, "%Y-%m-%d %H:%M", &tm) > 0;
	if (!ok)
		snprintf(out, TEXT_TIME_MAX, "%lld", (long long)t);
	return out;
}
