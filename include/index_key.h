/* index_key.h — how field values become secondary-index keys, for the
 * store (writing) and the query engine (reading) alike. Which field feeds
 * which index, and in which key style, is stated in case.h (case_indexes);
 * this module implements the styles:
 *   KEY_FOLDED   fold_text(value), clipped to INDEX_KEY_MAX bytes;
 *   KEY_WORDS    fold_words of every field whose .index is this index;
 *   KEY_EXACT    the vocabulary key (of each item's part for lists);
 *   KEY_DATE     canonical partial date ("2021", "2021-05", "2021-05-01"),
 *                which sorts by first day, wider period first;
 *   KEY_DAYS     case_total_days as 4 bytes big-endian (every case);
 *   KEY_SORTNAME fold_text(case_display_name) of identified cases;
 *   KEY_SKELETON skeleton_word (skeleton.h) of every word of the fields
 *                searched through the index field's index (name,
 *                name_latin, aliases), words split at white space only
 *                (O'Neil and Абдул-Азиз are one word each), and each part
 *                of a hyphenated word besides (Абдул, Азиз); a word whose
 *                skeleton is empty gives no key (changing these keys means
 *                bumping index_key_version);
 *   KEY_PLACE    the key of the place the value names (place.h), else
 *                its folded text; a region left empty takes the region
 *                of the city.
 * Empty values give no key. A new key style is added here: one case in
 * index_keys_each (writing) and one in index_filter_key/index_case_matches
 * (reading). */
#ifndef CASEBOOK_INDEX_KEY_H
#define CASEBOOK_INDEX_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "skeleton.h"
#include "util.h"

/* Longest text key: LMDB's limit is 511 bytes. Longer keys are cut at a
 * character boundary, so a match on a key this long must be confirmed
 * against the record (index_case_matches). */
#define INDEX_KEY_MAX 480

/* The LMDB database name of an index ("city", "name", ...); "?" if unknown. */
const char *index_name(int idx);
/* The version of the way index idx's keys are made (0 until they first
 * change). A database keeps the version each index was made under, and an
 * index made under another one is rebuilt (store_index.c). */
unsigned index_key_version(int idx);

/* Called with each key case c contributes to index idx; a key may come
 * twice (a measure type used twice), callers keep one. */
typedef void (*index_key_fn)(void *ctx, int idx, const char *key, size_t len);
/* Calls fn with each key of c for idx. Keys are built in scratch, reused
 * between calls (copy what you keep). */
void index_keys_each(const struct case_record *c, int idx, struct buf *scratch, index_key_fn fn,
    void *ctx);
/* Appends to keys the index keys of c for idx, deduplicated. Binary keys
 * (days) are 4 raw bytes in a NUL-terminated string; use index_key_len. */
void index_case_keys(const struct case_record *c, int idx, struct strlist *keys);
/* Length of a key produced by index_case_keys for idx. */
size_t index_key_len(int idx, const char *key);
/* Cuts a folded text key to at most INDEX_KEY_MAX bytes at a UTF-8
 * character boundary, in place. Returns true when it cut something. */
bool index_key_clip(char *key);

/* ---- Reading (filters) -------------------------------------------------- */

/* The key(s) a filter value looks up in a KEY_FOLDED index (one key,
 * exact) or a KEY_WORDS index (one key per word, each a prefix), appended
 * to keys, clipped. *clipped is set when one was cut: matches must then be
 * confirmed with index_case_matches. Nothing appended: no letters. */
void index_filter_keys(int idx, const char *value, struct strlist *keys, bool *clipped);
/* The keys a filter value looks up in a KEY_PLACE index: the key of every
 * place it names, then its folded text (a term matches any of them). */
void index_place_filter_keys(int idx, const char *value, struct strlist *keys, bool *clipped);
/* True when case c really matches value for idx (KEY_FOLDED: its folded
 * field equals value's; KEY_WORDS: every folded word of value starts a
 * word of the case; with skeletons, the rule of "Names across scripts"
 * below), as the index would say with unlimited key size. */
bool index_case_matches(const struct case_record *c, int idx, const char *value);

/* ---- Names across scripts ----------------------------------------------
 * A name filter value (name:W, a bare word, the TUI's / search) is split at
 * white space into the words as typed. A case matches the value when it
 * matches every typed word, in any order, and it matches a typed word W
 * when either
 *   - skeleton(W) is a prefix of the skeleton of one of its name words
 *     (name, name_latin, aliases), so нуржан finds Нұржан and zhanar finds
 *     Жанар (the rules are in skeleton.h), or
 *   - every folded word of W (fold_words) starts one of its folded name
 *     words: the matching of earlier versions, kept so that nothing found
 *     before is lost (a search word cut inside a two-letter spelling, say).
 * A typed word with an empty skeleton matches by its folded words only. */

/* One word of a name filter value as typed. */
struct index_word {
	char skel[SKELETON_CAP]; /* its skeleton; "" when it has none */
	struct strlist folded; /* fold_words of it, each clipped */
};

/* The KEY_SKELETON index over the words of KEY_WORDS index idx, or -1. */
int index_skeleton_of(int idx);
/* Splits a name filter value at white space into the words as typed
 * (malloc'd array *out of *n; words with neither a skeleton nor a folded
 * word are left out). *clipped is set when a folded word was cut. */
void index_filter_words(const char *value, struct index_word **out, size_t *n, bool *clipped);
/* Frees what index_filter_words returned. */
void index_words_free(struct index_word *w, size_t n);

/* KEY_DAYS: the key of a number of days, and back (false: not a days key). */
void index_key_days(uint32_t days, unsigned char key[4]);
bool index_key_days_value(const void *key, size_t len, uint32_t *days);
/* KEY_DATE: the span of days (YYYYMMDD) a date key covers; false if not a date key. */
bool index_key_date_span(const void *key, size_t len, uint32_t *first, uint32_t *last);
/* KEY_DATE: where a walk for dates from day lo (YYYYMMDD) starts: the
 * year, as key bytes written to out (5 bytes at least); returns the length. */
size_t index_key_date_seek(uint32_t lo, char *out);

/* A key as a person reads it (report lines): text sanitised, days as a
 * number. malloc'd. */
char *index_key_show(int idx, const void *key, size_t len);

#endif
