/* index_key.c — field values to index keys, for writing (the store) and
 * reading (the query engine). The key styles are described in index_key.h. */
#include "index_key.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "skeleton.h"
#include "place.h"
#include "text.h"

/* The index's database name. */
const char *index_name(int idx)
{
	return idx >= 0 && idx < IDX__COUNT ? case_indexes[idx].name : "?";
}

/* The version of the way index_keys_each makes each index's keys. Bump an
 * index's number here whenever its keys change (another fold, another key
 * style, a skeleton rule changed): a database whose index was made under
 * another number has that index emptied and filled again from the records
 * on its next writable open (store_index.c), so old keys never mix with
 * new ones. Indexes not listed are at version 0 (as made when they were
 * added); list one as, say, [IDX_CITY] = 1. */
static const unsigned key_versions[IDX__COUNT] = {
    [IDX_NAME_SKEL] = 1, /* 1: the parts of a hyphenated word too */
};

/* The version of index idx's keys. Keys made from skeletons also change
 * with the skeleton's rules: SKELETON_VERSION adds to their number (both
 * only grow, so the sum never comes back to an earlier one). */
unsigned index_key_version(int idx)
{
	if (idx < 0 || idx >= IDX__COUNT)
		return 0;
	if (idx == IDX_NAME_SKEL)
		return key_versions[idx] + (SKELETON_VERSION - 1);
	return key_versions[idx];
}

/* The length of key[0..n) cut to INDEX_KEY_MAX bytes at a character
 * boundary (key[n] is readable). */
static size_t clip_len(const char *key, size_t n)
{
	if (n <= INDEX_KEY_MAX)
		return n;
	n = INDEX_KEY_MAX;
	while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
		n--; /* do not cut inside a UTF-8 sequence */
	return n;
}

/* Cuts key to INDEX_KEY_MAX bytes at a character boundary. */
bool index_key_clip(char *key)
{
	size_t n = strlen(key), cut = clip_len(key, n);
	if (cut == n)
		return false;
	key[cut] = '\0';
	return true;
}

/* Length of a key of index idx. */
size_t index_key_len(int idx, const char *key)
{
	return case_indexes[idx].key == KEY_DAYS ? 4 : strlen(key);
}

static const void *field_at(const struct case_record *c, int f)
{
	return (const char *)c + case_fields[f].off;
}

static void emit_folded(const char *text, int idx, struct buf *scratch, index_key_fn fn, void *ctx)
{
	if (str_empty(text))
		return;
	scratch->len = 0;
	fold_text_append(text, scratch);
	buf_putc(scratch, '\0');
	size_t len = clip_len((const char *)scratch->p, scratch->len - 1);
	if (len)
		fn(ctx, idx, (const char *)scratch->p, len);
}

static void emit_str(const char *key, int idx, index_key_fn fn, void *ctx)
{
	fn(ctx, idx, key, strlen(key));
}

static void emit_place(const struct case_record *c, int idx, struct buf *scratch, index_key_fn fn,
    void *ctx);

/* The folded words of every field searched through index idx. */
static void case_words(const struct case_record *c, int idx, struct strlist *words)
{
	for (int f = 0; f < FIELD__COUNT; f++) {
		if (case_fields[f].index != idx)
			continue;
		if (case_fields[f].kind == KIND_LIST) {
			const struct strlist *l = field_at(c, f);
			for (size_t i = 0; i < l->n; i++)
				fold_words(l->items[i], words);
		} else {
			fold_words(*(char *const *)field_at(c, f), words);
		}
	}
}

/* Bytes of the white-space character at p (ASCII spaces, no-break and
 * other Unicode spaces), or 0: name words for skeletons are split at white
 * space only, so O'Neil and Абдул-Азиз stay one word each. */
static size_t space_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (*u == ' ' || (*u >= '\t' && *u <= '\r'))
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2; /* U+00A0 */
	if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xaf))
		return 3; /* U+2000..U+200A, U+202F */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

/* Calls fn(ctx, word, len) for each white-space-separated word of text. */
static void each_word(const char *text, void (*fn)(void *ctx, const char *w, size_t len), void *ctx)
{
	const char *p = str_or_empty(text);
	while (*p) {
		size_t s;
		while ((s = space_len(p)) != 0)
			p += s;
		const char *w = p;
		while (*p && space_len(p) == 0)
			p++;
		if (p > w)
			fn(ctx, w, (size_t)(p - w));
	}
}

/* Name words repeat (a case list holds the same first names and surnames
 * many times), so the skeletons written to the index are remembered in a
 * small direct-mapped cache per thread: a bulk import then computes each
 * distinct word's skeleton about once. Words longer than SKEL_CACHE_WORD
 * bytes are not cached. */
#define SKEL_CACHE_SLOTS 1024
#define SKEL_CACHE_WORD 40

struct skel_slot {
	uint8_t wlen, slen; /* wlen 0: empty slot */
	char word[SKEL_CACHE_WORD];
	char skel[SKELETON_CAP];
};

static _Thread_local struct skel_slot skel_cache[SKEL_CACHE_SLOTS];

/* skeleton_word(w, len) into out (SKELETON_CAP bytes), through the cache. */
static size_t skeleton_cached(const char *w, size_t len, char *out)
{
	if (len == 0 || len > SKEL_CACHE_WORD)
		return skeleton_word(w, len, out, SKELETON_CAP);
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	struct skel_slot *s = &skel_cache[h & (SKEL_CACHE_SLOTS - 1)];
	if (s->wlen != len || memcmp(s->word, w, len) != 0) {
		s->slen = (uint8_t)skeleton_word(w, len, s->skel, sizeof s->skel);
		memcpy(s->word, w, len);
		s->wlen = (uint8_t)len;
	}
	memcpy(out, s->skel, (size_t)s->slen + 1);
	return s->slen;
}

struct skel_emit {
	int idx;
	index_key_fn fn;
	void *ctx;
};

/* Bytes of the hyphen at p (ASCII, U+2010, U+2011), or 0. */
static size_t hyphen_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (*u == '-')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0x90 || u[2] == 0x91))
		return 3;
	return 0;
}

static void skel_emit_one(struct skel_emit *e, const char *w, size_t len)
{
	char sk[SKELETON_CAP];
	size_t n = skeleton_cached(w, len, sk);
	if (n) /* an empty skeleton would be a prefix of every key */
		e->fn(e->ctx, e->idx, sk, n);
}

/* The skeleton of one word, and of each part of a hyphenated word besides
 * (Иванова-Петрова is found by Petrova as well as by Ivanova-Petrova). */
static void skel_emit_word(void *ctx, const char *w, size_t len)
{
	struct skel_emit *e = ctx;
	const char *part = w, *end = w + len;
	bool hyphenated = false;

	skel_emit_one(e, w, len);
	for (const char *p = w; p < end;) {
		size_t h = hyphen_len(p);
		if (h == 0) {
			p++;
			continue;
		}
		skel_emit_one(e, part, (size_t)(p - part));
		part = p += h;
		hyphenated = true;
	}
	if (hyphenated)
		skel_emit_one(e, part, (size_t)(end - part));
}

/* KEY_SKELETON: the skeleton of every word of every field searched
 * through the same index as the index's field (name, name_latin, aliases). */
static void emit_skeletons(const struct case_record *c, int idx, index_key_fn fn, void *ctx)
{
	int words_idx = case_fields[case_indexes[idx].field].index;
	struct skel_emit e = {idx, fn, ctx};

	for (int f = 0; f < FIELD__COUNT; f++) {
		if (case_fields[f].index != words_idx)
			continue;
		if (case_fields[f].kind == KIND_LIST) {
			const struct strlist *l = field_at(c, f);
			for (size_t i = 0; i < l->n; i++)
				each_word(l->items[i], skel_emit_word, &e);
		} else {
			each_word(*(char *const *)field_at(c, f), skel_emit_word, &e);
		}
	}
}

/* KEY_EXACT: the field's vocabulary key, or each item's part. */
static void emit_exact(const struct case_record *c, int idx, index_key_fn fn, void *ctx)
{
	const struct index_def *x = &case_indexes[idx];
	const struct item_def *d = case_field_items(x->field);
	size_t n;

	if (!d) {
		emit_str(vocab_key(case_fields[x->field].vocab,
		             *(const int *)field_at(c, x->field)),
		    idx, fn, ctx);
		return;
	}
	const unsigned char *items = case_items(c, x->field, &n);
	const struct part_def *pd = &d->parts[x->part];
	for (size_t i = 0; i < n; i++) {
		const void *it = items + i * d->size;
		int v = *(const int *)((const char *)it + pd->off);
		if (pd->kind == KIND_YESNO && v >= 0)
			emit_str(v ? "yes" : "no", idx, fn, ctx);
		else if (pd->kind == KIND_VOCAB)
			emit_str(vocab_key(pd->vocab, v), idx, fn, ctx);
	}
}

/* Calls fn with each key case c contributes to index idx. */
void index_keys_each(const struct case_record *c, int idx, struct buf *scratch, index_key_fn fn,
    void *ctx)
{
	const struct index_def *x = &case_indexes[idx];
	char date[16];

	switch (x->key) {
	case KEY_FOLDED:
		emit_folded(*(char *const *)field_at(c, x->field), idx, scratch, fn, ctx);
		break;
	case KEY_EXACT:
		emit_exact(c, idx, fn, ctx);
		break;
	case KEY_DATE: {
		struct pdate d = *(const struct pdate *)field_at(c, x->field);
		if (pdate_is_set(d))
			emit_str(pdate_format(d, date), idx, fn, ctx);
		break;
	}
	case KEY_WORDS: {
		struct strlist words = {0};
		case_words(c, idx, &words);
		for (size_t i = 0; i < words.n; i++) {
			index_key_clip(words.items[i]);
			emit_str(words.items[i], idx, fn, ctx);
		}
		strlist_free(&words);
		break;
	}
	case KEY_DAYS: {
		unsigned char k[4];
		index_key_days((uint32_t)case_total_days(c), k);
		fn(ctx, idx, (const char *)k, sizeof k);
		break;
	}
	case KEY_SORTNAME:
		if (!str_empty(c->name) || !str_empty(c->name_latin))
			emit_folded(case_display_name(c), idx, scratch, fn, ctx);
		break;
	case KEY_SKELETON:
		emit_skeletons(c, idx, fn, ctx);
		break;
	case KEY_PLACE:
		emit_place(c, idx, scratch, fn, ctx);
		break;
	}
}

/* Appends a key to a strlist unless it is there already. Binary keys
 * (days) are copied with their length and a NUL after them. */
static void keys_add(void *ctx, int idx, const char *key, size_t len)
{
	struct strlist *keys = ctx;

	for (size_t i = 0; i < keys->n; i++)
		if (index_key_len(idx, keys->items[i]) == len &&
		    memcmp(keys->items[i], key, len) == 0)
			return;
	keys->items = xreallocarray(keys->items, keys->n + 1, sizeof *keys->items);
	keys->items[keys->n++] = xstrndup(key, len);
}

/* The keys of c for idx, deduplicated. */
void index_case_keys(const struct case_record *c, int idx, struct strlist *keys)
{
	struct buf scratch = {0};
	index_keys_each(c, idx, &scratch, keys_add, keys);
	buf_free(&scratch);
}

/* ---- Reading ------------------------------------------------------------ */

/* The lookup keys of a filter value. */
void index_filter_keys(int idx, const char *value, struct strlist *keys, bool *clipped)
{
	*clipped = false;
	if (case_indexes[idx].key == KEY_PLACE) {
		index_place_filter_keys(idx, value, keys, clipped);
		return;
	}
	if (case_indexes[idx].key == KEY_WORDS) {
		size_t from = keys->n;
		fold_words(value, keys);
		for (size_t i = from; i < keys->n; i++)
			*clipped |= index_key_clip(keys->items[i]);
		return;
	}
	char *k = fold_text(value);
	*clipped = index_key_clip(k);
	if (k[0])
		strlist_add(keys, k);
	free(k);
}

static bool place_case_matches(const struct case_record *c, int idx, const char *value);

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The KEY_SKELETON index over the words of KEY_WORDS index idx, or -1. */
int index_skeleton_of(int idx)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (case_indexes[i].key == KEY_SKELETON &&
		    case_fields[case_indexes[i].field].index == idx)
			return i;
	return -1;
}

struct words_ctx {
	struct index_word *w;
	size_t n, cap;
	bool *clipped;
};

static void filter_word(void *ctx, const char *word, size_t len)
{
	struct words_ctx *wc = ctx;
	struct index_word nw = {0};
	char *text = xstrndup(word, len);

	skeleton_word(word, len, nw.skel, sizeof nw.skel);
	fold_words(text, &nw.folded);
	free(text);
	for (size_t i = 0; i < nw.folded.n; i++)
		*wc->clipped |= index_key_clip(nw.folded.items[i]);
	if (!nw.skel[0] && nw.folded.n == 0)
		return; /* punctuation only: nothing to look for */
	if (wc->n == wc->cap) {
		wc->cap = wc->cap ? wc->cap * 2 : 4;
		wc->w = xreallocarray(wc->w, wc->cap, sizeof *wc->w);
	}
	wc->w[wc->n++] = nw;
}

/* The words of a name filter value as typed, with their keys. */
void index_filter_words(const char *value, struct index_word **out, size_t *n, bool *clipped)
{
	struct words_ctx wc = {NULL, 0, 0, clipped};

	*clipped = false;
	each_word(value, filter_word, &wc);
	*out = wc.w;
	*n = wc.n;
}

/* Frees what index_filter_words returned. */
void index_words_free(struct index_word *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strlist_free(&w[i].folded);
	free(w);
}

/* Whether one of the case's keys starts with prefix. */
static bool any_starts(const struct strlist *have, const char *prefix)
{
	for (size_t j = 0; j < have->n; j++)
		if (starts_with(have->items[j], prefix))
			return true;
	return false;
}

/* index_case_matches for a KEY_WORDS index with skeletons: every typed
 * word matches by skeleton or by all of its folded words. */
static bool words_match_skel(const struct case_record *c, int idx, int skel_idx, const char *value)
{
	struct strlist have = {0}, skel = {0};
	struct index_word *w;
	size_t n;
	bool clipped, ok = true;

	index_filter_words(value, &w, &n, &clipped);
	case_words(c, idx, &have);
	index_case_keys(c, skel_idx, &skel);
	for (size_t i = 0; i < n && ok; i++) {
		ok = w[i].skel[0] && any_starts(&skel, w[i].skel);
		if (!ok && w[i].folded.n) {
			ok = true;
			for (size_t j = 0; j < w[i].folded.n && ok; j++)
				ok = any_starts(&have, w[i].folded.items[j]);
		}
	}
	index_words_free(w, n);
	strlist_free(&have);
	strlist_free(&skel);
	return ok;
}

/* Whether c matches value for idx with nothing clipped. */
bool index_case_matches(const struct case_record *c, int idx, const char *value)
{
	const struct index_def *x = &case_indexes[idx];
	bool ok = true;

	if (x->key == KEY_PLACE)
		return place_case_matches(c, idx, value);
	if (x->key == KEY_FOLDED) {
		const char *text = *(char *const *)field_at(c, x->field);
		char *a = fold_text(str_or_empty(text)), *b = fold_text(value);
		ok = strcmp(a, b) == 0;
		free(a);
		free(b);
		return ok;
	}
	if (x->key != KEY_WORDS)
		return true;
	int skel_idx = index_skeleton_of(idx);
	if (skel_idx >= 0)
		return words_match_skel(c, idx, skel_idx, value);
	struct strlist want = {0}, have = {0};
	fold_words(value, &want);
	case_words(c, idx, &have);
	for (size_t i = 0; i < want.n && ok; i++) {
		ok = false;
		for (size_t j = 0; j < have.n && !ok; j++)
			ok = starts_with(have.items[j], want.items[i]);
	}
	strlist_free(&want);
	strlist_free(&have);
	return ok;
}

/* Big-endian, so that LMDB's byte order is numeric order. */
void index_key_days(uint32_t days, unsigned char key[4])
{
	key[0] = (unsigned char)(days >> 24);
	key[1] = (unsigned char)(days >> 16);
	key[2] = (unsigned char)(days >> 8);
	key[3] = (unsigned char)days;
}

/* The number of days of a days key. */
bool index_key_days_value(const void *key, size_t len, uint32_t *days)
{
	const unsigned char *b = key;
	if (len != 4)
		return false;
	*days = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

/* The span of a date key ("2021", "2021-05", "2021-05-01"). */
bool index_key_date_span(const void *key, size_t len, uint32_t *first, uint32_t *last)
{
	char s[16];
	struct pdate d;
	if (len >= sizeof s)
		return false;
	memcpy(s, key, len);
	s[len] = '\0';
	if (pdate_parse(s, &d, NULL) != 0 || !pdate_is_set(d))
		return false;
	pdate_span(d, first, last);
	return true;
}

/* Date keys sort by first day, so a walk from day lo starts at lo's year. */
size_t index_key_date_seek(uint32_t lo, char *out)
{
	snprintf(out, 5, "%04u", (unsigned)(lo / 10000 % 10000));
	return 4;
}

/* A key for report lines. */
char *index_key_show(int idx, const void *key, size_t len)
{
	uint32_t days;
	if (case_indexes[idx].key == KEY_DAYS && index_key_days_value(key, len, &days))
		return xasprintf("%u", (unsigned)days);
	char *raw = xstrndup(key, len), *s = text_sanitize(raw, 0);
	free(raw);
	return s;
}

/* ---- Places (KEY_PLACE) ------------------------------------------------- */

/* A folded text key of a place index: control characters at its start are
 * dropped, so no text key can end like a place key's mark and id. */
static void place_folded(const char *text, struct buf *out)
{
	size_t from = out->len;

	fold_text_append(text, out);
	size_t skip = from;
	while (skip < out->len && (unsigned char)out->p[skip] < 0x20)
		skip++;
	for (size_t i = out->len; i > skip; i--)
		if ((unsigned char)out->p[i - 1] == PLACE_KEY_MARK)
			out->p[i - 1] = ' ';
	if (skip > from) {
		memmove(out->p + from, out->p + skip, out->len - skip);
		out->len -= skip - from;
	}
}

/* The place a case's value of index idx names, or GAZETTEER_NONE. */
static size_t case_place(const struct case_record *c, int idx)
{
	if (idx == IDX_CITY)
		return place_of_city(c->city, c->region);
	return place_of_region(c->city, c->region);
}

/* The case's key for a place index, unclipped, in out (empty: none). A
 * city or region the gazetteer knows gives the place's key; a city name
 * that several places share and the region does not tell apart, their
 * shared key; otherwise the folded text. A region left empty takes the
 * city's region. */
static void case_place_key(const struct case_record *c, int idx, struct buf *out)
{
	const char *text = *(char *const *)field_at(c, case_indexes[idx].field);
	size_t p = case_place(c, idx);

	size_t ps[PLACE_MAX_SHARED], n;

	out->len = 0;
	if (p != GAZETTEER_NONE)
		place_key(p, out);
	else if (idx == IDX_CITY && (n = place_resolve(text, false, ps, PLACE_MAX_SHARED)) > 1)
		place_shared_key(ps, n, out);
	else if (!str_empty(text))
		place_folded(text, out);
}

static void emit_place(const struct case_record *c, int idx, struct buf *scratch, index_key_fn fn,
    void *ctx)
{
	case_place_key(c, idx, scratch);
	if (scratch->len == 0)
		return;
	buf_putc(scratch, '\0');
	size_t len = clip_len((const char *)scratch->p, scratch->len - 1);
	if (len)
		fn(ctx, idx, (const char *)scratch->p, len);
}

/* The keys a filter value names, unclipped: every place it names (every
 * region for the region index), then its folded text. */
static void place_value_keys(int idx, const char *value, struct strlist *keys)
{
	size_t ps[PLACE_MAX_SHARED];
	size_t n = place_resolve(value, idx == IDX_REGION, ps, PLACE_MAX_SHARED);
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		b.len = 0;
		place_key(ps[i], &b);
		strlist_add(keys, buf_cstr(&b));
	}
	/* A shared name also finds the cases that do not say which place. */
	if (idx == IDX_CITY && n > 1) {
		b.len = 0;
		place_shared_key(ps, n, &b);
		strlist_add(keys, buf_cstr(&b));
	}
	b.len = 0;
	place_folded(value, &b);
	if (b.len)
		strlist_add(keys, buf_cstr(&b));
	buf_free(&b);
}

void index_place_filter_keys(int idx, const char *value, struct strlist *keys, bool *clipped)
{
	size_t from = keys->n;

	*clipped = false;
	place_value_keys(idx, value, keys);
	for (size_t i = from; i < keys->n; i++)
		*clipped |= index_key_clip(keys->items[i]);
}

static bool place_case_matches(const struct case_record *c, int idx, const char *value)
{
	struct strlist want = {0};
	struct buf have = {0};
	bool ok = false;

	case_place_key(c, idx, &have);
	if (have.len) {
		place_value_keys(idx, value, &want);
		for (size_t i = 0; i < want.n && !ok; i++)
			ok = strcmp(want.items[i], buf_cstr(&have)) == 0;
	}
	strlist_free(&want);
	buf_free(&have);
	return ok;
}
