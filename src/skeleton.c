/* skeleton.c — the romanised skeleton of a name word (rules in skeleton.h).
 * Import computes one for every name word, so Cyrillic and Latin letters
 * are romanised by tables here; ICU is called only for combining marks
 * (NFC) and for scripts the tables do not cover. The spelling rules
 * (rules 5 to 9) then run on plain ASCII. */
#include "skeleton.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "text.h"
#include "util.h"

/* A separator in the romanised text: dropped, but it keeps the letters on
 * either side from making a two-letter spelling. */
#define SEP '|'
/* Romanised letters per character at most (shch), with room to spare. */
#define ROMAN_MAX (SKELETON_INPUT_MAX * 5 + 16)

/* Latin-1 letters U+00C0..U+00FF; × and ÷ separate. */
static const char *const latin1[64] = {
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "ch",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "|",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "ss",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "ch",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "|",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
};

/* Latin Extended-A U+0100..U+017F: marks dropped, except š ŝ ş (sh),
 * č (ch) and ž (zh), which stand for letters of their own. */
static const char *const latin_ext_a[128] = {
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "ch",
    "ch",
    "d",
    "d",
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "ij",
    "ij",
    "j",
    "j",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "oe",
    "oe",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "sh",
    "sh",
    "sh",
    "sh",
    "sh",
    "sh",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "w",
    "w",
    "y",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "zh",
    "zh",
    "s",
};

/* Russian Cyrillic U+0410..U+042F and U+0430..U+044F alike; ъ and ь
 * separate like an apostrophe. */
static const char *const russian[32] = {
    "a",
    "b",
    "v",
    "g",
    "d",
    "e",
    "zh",
    "z",
    "i",
    "y",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "r",
    "s",
    "t",
    "u",
    "f",
    "kh",
    "ts",
    "ch",
    "sh",
    "shch",
    "|",
    "y",
    "|",
    "e",
    "yu",
    "ya",
};

/* U+0400..U+040F and U+0450..U+045F: the Ukrainian and Belarusian letters;
 * NULL (Serbian and Macedonian letters) goes to ICU. */
static const char *const cyrillic_ext[16] = {
    "e",
    "e",
    NULL,
    NULL,
    "ye",
    NULL,
    "i",
    "yi",
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    "i",
    "u",
    NULL,
};

/* The Cyrillic letters of Kazakh, Uzbek and Ukrainian above U+048F, as
 * {upper-case code point, romanisation}; each lower case is one above. */
static const struct {
	uint16_t cp;
	char roman[3];
} cyrillic_more[] = {
    {0x0490, "g"}, /* Ґ */
    {0x0492, "g"}, /* Ғ */
    {0x049a, "k"}, /* Қ */
    {0x04a2, "n"}, /* Ң */
    {0x04ae, "u"}, /* Ү */
    {0x04b0, "u"}, /* Ұ */
    {0x04b2, "kh"}, /* Ҳ, kh so that сҳ is not ш */
    {0x04ba, "kh"}, /* Һ */
    {0x04d8, "a"}, /* Ә */
    {0x04e8, "o"}, /* Ө */
};

/* The romanisation of one character, "" for one that is dropped, "|" for
 * one that separates, NULL for one that needs ICU. */
static const char *roman_of(uint32_t cp)
{
	if (cp >= 0x0410 && cp < 0x0450)
		return russian[(cp - 0x0410) & 31];
	if (cp >= 0x00c0 && cp < 0x0100)
		return latin1[cp - 0x00c0];
	if (cp >= 0x0100 && cp < 0x0180)
		return latin_ext_a[cp - 0x0100];
	if (cp >= 0x0400 && cp < 0x0410)
		return cyrillic_ext[cp - 0x0400];
	if (cp >= 0x0450 && cp < 0x0460)
		return cyrillic_ext[cp - 0x0450];
	if (cp >= 0x0490 && cp < 0x0500) {
		for (size_t i = 0; i < sizeof cyrillic_more / sizeof cyrillic_more[0]; i++)
			if ((cp & ~1u) == cyrillic_more[i].cp)
				return cyrillic_more[i].roman;
		return NULL;
	}
	if (cp == 0x018f || cp == 0x0259) /* Ə ə */
		return "a";
	if (cp >= 0x0300 && cp < 0x0370) /* combining marks left after NFC */
		return "";
	if (cp < 0x00c0 || (cp >= 0x02b0 && cp < 0x0300))
		return "|"; /* punctuation, C1, modifier letters (ʻ ʼ ʹ) */
	if (!u_isalnum((UChar32)cp) && !u_hasBinaryProperty((UChar32)cp, UCHAR_ALPHABETIC))
		return "|"; /* punctuation, symbols (№), U+FFFD, other spaces */
	return NULL;
}

/* Decodes UTF-8 with text_decode (each bad byte becomes U+FFFD), ASCII
 * inline. Returns the count stored. */
static size_t decode(const char *s, size_t len, uint32_t *cps, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n < max;) {
		if (!((unsigned char)s[i] & 0x80))
			cps[n++] = (unsigned char)s[i++];
		else
			i += text_decode(s + i, len - i, &cps[n++]);
	}
	return n;
}

/* Code points to UTF-16 (malloc'd, with room for ICU to grow the text). */
static UChar *to_utf16(const uint32_t *cps, size_t n, int32_t *len, int32_t *cap)
{
	*cap = (int32_t)(n * 8 + 32);
	UChar *u = xmalloc((size_t)*cap * sizeof(UChar));
	int32_t k = 0;
	for (size_t i = 0; i < n; i++)
		U16_APPEND_UNSAFE(u, k, cps[i]);
	*len = k;
	return u;
}

/* Rule 2: composes cps in place when it holds a combining mark. */
static size_t compose(uint32_t *cps, size_t n)
{
	size_t i;

	for (i = 0; i < n && !(cps[i] >= 0x0300 && cps[i] < 0x0370); i++)
		;
	if (i == n)
		return n;
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	int32_t ulen, ucap;
	UChar *u = to_utf16(cps, n, &ulen, &ucap);
	UChar *c = xmalloc((size_t)ucap * sizeof(UChar));
	int32_t clen = U_SUCCESS(st) ? unorm2_normalize(nfc, u, ulen, c, ucap, &st) : 0;
	if (U_FAILURE(st))
		die("skeleton: Unicode composition failed (%s)", u_errorName(st));
	size_t m = 0;
	for (int32_t k = 0; k < clen && m < n;) {
		UChar32 cp;
		U16_NEXT(c, k, clen, cp);
		cps[m++] = (uint32_t)cp;
	}
	free(u);
	free(c);
	return m;
}

/* Rule 3: look-alike letters, {Latin, Cyrillic}. */
static const uint16_t look_alike[][2] = {
    {'A', 0x0410},
    {'a', 0x0430},
    {'B', 0x0412},
    {'C', 0x0421},
    {'c', 0x0441},
    {'E', 0x0415},
    {'e', 0x0435},
    {'H', 0x041d},
    {'I', 0x0406},
    {'i', 0x0456},
    {'K', 0x041a},
    {'M', 0x041c},
    {'O', 0x041e},
    {'o', 0x043e},
    {'P', 0x0420},
    {'p', 0x0440},
    {'T', 0x0422},
    {'X', 0x0425},
    {'x', 0x0445},
    {'Y', 0x0423},
    {'y', 0x0443},
};

static int is_latin_letter(uint32_t c)
{
	return (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
	    (c >= 0xc0 && c < 0x250 && c != 0xd7 && c != 0xf7);
}

static void fix_look_alikes(uint32_t *cps, size_t n)
{
	size_t cyr = 0, lat = 0;

	for (size_t i = 0; i < n; i++) {
		cyr += cps[i] >= 0x0400 && cps[i] < 0x0500;
		lat += is_latin_letter(cps[i]);
	}
	if (!cyr || !lat)
		return;
	int to = cyr >= lat; /* column to read as: 1 Cyrillic, 0 Latin */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof look_alike / sizeof look_alike[0]; k++)
			if (cps[i] == look_alike[k][!to]) {
				cps[i] = look_alike[k][to];
				break;
			}
}

/* An ICU transliterator by id, opened once per thread. */
static UTransliterator *open_trans(UTransliterator **slot, const char *id)
{
	if (*slot)
		return *slot;
	UChar uid[160];
	UErrorCode st = U_ZERO_ERROR;
	u_uastrcpy(uid, id);
	*slot = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st) || !*slot)
		die("skeleton: ICU transliterator \"%s\" unavailable (%s)", id, u_errorName(st));
	return *slot;
}

/* Romanises cps through an ICU transliterator and appends the result to
 * rom as lower-case ASCII letters and digits, anything else as SEP. */
static size_t icu_roman(UTransliterator *tr, const uint32_t *cps, size_t n, char *rom, size_t at,
    size_t max)
{
	int32_t len, cap;
	UChar *u = to_utf16(cps, n, &len, &cap);
	UErrorCode st = U_ZERO_ERROR;
	int32_t limit = len;

	utrans_transUChars(tr, u, &len, cap, 0, &limit, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		free(u);
		u = to_utf16(cps, n, &len, &cap);
		cap = cap * 4;
		u = xrealloc(u, (size_t)cap * sizeof(UChar));
		st = U_ZERO_ERROR;
		limit = len;
		utrans_transUChars(tr, u, &len, cap, 0, &limit, &st);
	}
	if (U_FAILURE(st))
		die("skeleton: transliteration failed (%s)", u_errorName(st));
	for (int32_t k = 0; k < len && at < max; k++) {
		UChar c = u[k];
		if (c >= 'A' && c <= 'Z')
			c = (UChar)(c + 32);
		int keep = c < 0x80 && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
		rom[at++] = keep ? (char)c : SEP;
	}
	free(u);
	return at;
}

static _Thread_local UTransliterator *fallback_tr, *reference_tr;

/* Rule 4 with our tables: cps to lower-case ASCII letters, digits and
 * SEP. Runs of characters the tables lack go through ICU. */
static size_t romanise(const uint32_t *cps, size_t n, char *rom)
{
	size_t at = 0;

	for (size_t i = 0; i < n && at + 8 < ROMAN_MAX;) {
		uint32_t c = cps[i];
		if (c < 0x80) {
			if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
				rom[at++] = (char)(c | 0x20);
			else
				rom[at++] = (c >= '0' && c <= '9') ? (char)c : SEP;
			i++;
			continue;
		}
		if ((c == 0x02bb || c == 0x2018) && at && rom[at - 1] == 'o') {
			rom[at - 1] = 'u'; /* Uzbek oʻ, the letter ў (rule 5) */
			i++;
			continue;
		}
		const char *r = roman_of(c);
		if (r) {
			while (*r)
				rom[at++] = *r++;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && cps[j] >= 0x80 && !roman_of(cps[j]))
			j++;
		UTransliterator *tr = open_trans(&fallback_tr, "Any-Latin; Latin-ASCII");
		at = icu_roman(tr, cps + i, j - i, rom, at, ROMAN_MAX - 8);
		i = j;
	}
	return at;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Rule 8: whether what follows position i (separators skipped) is a
 * consonant or nothing. */
static int consonant_or_end(const char *rom, size_t n, size_t i)
{
	while (i < n && rom[i] == SEP)
		i++;
	return i == n || !(rom[i] >= 'a' && rom[i] <= 'z') || !is_vowel(rom[i]);
}

/* Rules 6 to 9 on romanised text; writes at most cap - 1 characters and a
 * NUL. Every decision looks only at the input, so a clipped result is a
 * prefix of the unclipped one. */
static size_t spell(const char *rom, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	char last = 0;

	for (size_t i = 0; i < n && len + 1 < cap;) {
		char c = rom[i], d = i + 1 < n ? rom[i + 1] : 0, e = i + 2 < n ? rom[i + 2] : 0;
		char code = c;
		size_t used = 1;
		if (c == SEP) {
			i++;
			continue;
		}
		if (c >= '0' && c <= '9') {
			out[len++] = last = c;
			i++;
			continue;
		}
		switch (c) {
		case 's':
			if (d == 'h') {
				code = 'x';
				used = (e == 'c' && i + 3 < n && rom[i + 3] == 'h') ? 4 : 2;
			}
			break;
		case 'd':
			if (d == 'z' && e == 'h')
				code = 'j', used = 3;
			else if (d == 'j')
				code = 'j', used = 2;
			break;
		case 'z':
			if (d == 'h')
				code = 'j', used = 2;
			break;
		case 'c':
			code = d == 'h' ? 'c' : 'k';
			used = d == 'h' ? 2 : 1;
			break;
		case 'k':
			if (d == 'h')
				code = 'h', used = 2;
			break;
		case 'g':
			if (d == 'h')
				used = 2;
			break;
		case 'p':
			if (d == 'h')
				code = 'f', used = 2;
			break;
		case 'y':
			code = (d == 'e' || d == 'o') ? 'e' : 'i';
			used = (d == 'e' || d == 'o') ? 2 : 1;
			break;
		case 'q':
			code = 'k';
			break;
		case 'x':
			code = 'h';
			break;
		case 'w':
			code = 'v';
			break;
		}
		i += used;
		if (code == 'i' && last == 'u' && consonant_or_end(rom, n, i))
			continue;
		if (code != last)
			out[len++] = code;
		last = code;
	}
	if (cap)
		out[len] = '\0';
	return len;
}

size_t skeleton_word(const char *utf8, size_t len, char *out, size_t cap)
{
	uint32_t cps[SKELETON_INPUT_MAX];
	char rom[ROMAN_MAX];

	if (cap == 0)
		return 0;
	size_t n = decode(utf8 ? utf8 : "", utf8 ? len : 0, cps, SKELETON_INPUT_MAX);
	n = compose(cps, n);
	fix_look_alikes(cps, n);
	return spell(rom, romanise(cps, n, rom), out, cap);
}

size_t skeleton_word_icu(const char *utf8, size_t len, char *out, size_t cap)
{
	uint32_t cps[SKELETON_INPUT_MAX];
	char rom[ROMAN_MAX];

	if (cap == 0)
		return 0;
	size_t n = decode(utf8 ? utf8 : "", utf8 ? len : 0, cps, SKELETON_INPUT_MAX);
	UTransliterator *tr = open_trans(&reference_tr,
	    "NFC; Kazakh-Latin/BGN; Uzbek-Latin/BGN; Any-Latin; Latin-ASCII");
	return spell(rom, n ? icu_roman(tr, cps, n, rom, 0, ROMAN_MAX) : 0, out, cap);
}
