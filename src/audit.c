/* audit.c — audit entries: the field diff, the version-2 encoding with its
 * SHA-256 hash chain (nettle), revert for undo, and formatting. Values are
 * compared and kept as the JSON `show --json` writes (casejson.c), so the
 * diff follows the fields casejson knows without a list of its own. */
#include "audit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

#include "casejson.h"
#include "datefmt.h"
#include "display.h"
#include "text.h"

static const unsigned char magic[4] = {'C', 'B', 'A', AUDIT_V2};
#define ABSENT 0xffffffffu

/* Fields that every save changes: not worth a line. */
static bool bookkeeping(const char *key)
{
	static const char *const skip[] = {"id", "rev", "created", "updated", "updated_by"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (strcmp(key, skip[i]) == 0)
			return true;
	return false;
}

static char *dump(const json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static void add_change(struct audit_change **ch, size_t *n, const char *field, uint32_t item,
    const json_t *o, const json_t *nw)
{
	*ch = xreallocarray(*ch, *n + 1, sizeof **ch);
	(*ch)[*n] = (struct audit_change){xstrdup(field), item, dump(o), dump(nw)};
	(*n)++;
}

static bool item_list(const json_t *a)
{
	return json_is_array(a) && json_array_size(a) > 0 && json_is_object(json_array_get(a, 0));
}

static void diff_key(const char *key, const json_t *o, const json_t *nw, struct audit_change **ch,
    size_t *n)
{
	if (bookkeeping(key) || json_equal(o, nw))
		return;
	if (item_list(o) || item_list(nw)) {
		/* Measures and injuries: item by item, by position. */
		size_t no = json_array_size(o), nn = json_array_size(nw);
		for (size_t i = 0; i < no || i < nn; i++) {
			json_t *a = i < no ? json_array_get(o, i) : NULL;
			json_t *b = i < nn ? json_array_get(nw, i) : NULL;
			if (!a || !b || !json_equal(a, b))
				add_change(ch, n, key, (uint32_t)i + 1, a, b);
		}
		return;
	}
	add_change(ch, n, key, 0, o, nw);
}

void audit_diff(const struct case_record *old, const struct case_record *new,
    struct audit_change **changes, size_t *n)
{
	json_t *o = old ? casejson_from_case(old) : json_object();
	json_t *nw = new ? casejson_from_case(new) : json_object();
	const char *key;
	json_t *v;

	*changes = NULL;
	*n = 0;
	json_object_foreach(o, key, v) diff_key(key, v, json_object_get(nw, key), changes, n);
	json_object_foreach(nw, key, v) if (!json_object_get(o, key))
	    diff_key(key, NULL, v, changes, n);
	json_decref(o);
	json_decref(nw);
}

void audit_changes_free(struct audit_change *changes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(changes[i].field);
		free(changes[i].old_json);
		free(changes[i].new_json);
	}
	free(changes);
}

void audit_entry_free(struct audit_entry *e)
{
	audit_changes_free(e->changes, e->n_changes);
	e->changes = NULL;
	e->n_changes = 0;
}

/* ---- Encoding ------------------------------------------------------------ */

static void put_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {v >> 24, v >> 16, v >> 8, v};
	buf_put(b, p, 4);
}

static void put_u64(struct buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)(v >> 32));
	put_u32(b, (uint32_t)v);
}

static void put_str(struct buf *b, const char *s)
{
	if (!s) {
		put_u32(b, ABSENT);
		return;
	}
	size_t n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
}

/* The hash of an entry: SHA-256 of the previous entry's hash, the entry's
 * key (case id and seq, big-endian) and its encoded content. Neither the
 * previous hash nor the key is stored in the value: the verifier knows
 * both, and an entry moved under another key or cut out of the chain no
 * longer matches. */
static void chain_hash(const unsigned char *prev, uint64_t case_id, uint64_t seq,
    const unsigned char *p, size_t n, unsigned char *out)
{
	struct sha256_ctx ctx;
	unsigned char key[16];

	for (int i = 0; i < 8; i++) {
		key[i] = (unsigned char)(case_id >> (56 - 8 * i));
		key[8 + i] = (unsigned char)(seq >> (56 - 8 * i));
	}
	sha256_init(&ctx);
	sha256_update(&ctx, AUDIT_HASH_LEN, prev);
	sha256_update(&ctx, sizeof key, key);
	sha256_update(&ctx, n, p);
	sha256_digest(&ctx, AUDIT_HASH_LEN, out);
}

void audit_encode(struct audit_entry *e, struct buf *out)
{
	size_t start = out->len, ulen = strnlen(e->user, sizeof e->user - 1);

	buf_put(out, magic, sizeof magic);
	put_u64(out, (uint64_t)e->time);
	buf_putc(out, (unsigned char)e->action);
	put_u32(out, e->old_rev);
	put_u32(out, e->new_rev);
	put_u64(out, e->undoes);
	buf_putc(out, (unsigned char)ulen);
	buf_put(out, e->user, ulen);
	put_u32(out, (uint32_t)e->n_changes);
	for (size_t i = 0; i < e->n_changes; i++) {
		put_str(out, e->changes[i].field);
		put_u32(out, e->changes[i].item);
		put_str(out, e->changes[i].old_json);
		put_str(out, e->changes[i].new_json);
	}
	chain_hash(e->prev, e->case_id, e->seq, out->p + start, out->len - start, e->hash);
	buf_put(out, e->hash, AUDIT_HASH_LEN);
}

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	const unsigned char *q = r->p;
	r->p += n;
	return q;
}

static uint32_t get_u32(struct reader *r)
{
	const unsigned char *q = take(r, 4);
	return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3] : 0;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t hi = get_u32(r);
	return hi << 32 | get_u32(r);
}

static char *get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == ABSENT)
		return NULL;
	const unsigned char *q = take(r, n);
	return q ? xstrndup((const char *)q, n) : NULL;
}

/* The version-1 value: a native struct of time, revisions and action,
 * then the user's name. */
struct audit_v1 {
	int64_t time;
	uint32_t old_rev, new_rev;
	uint8_t action;
};

static int decode_v1(const unsigned char *p, size_t n, struct audit_entry *e, struct cb_err *err)
{
	struct audit_v1 r;
	if (n < sizeof r)
		return cb_err_set(err, CB_ECORRUPT,
		    _("audit log entry %llu of case %llu is damaged"), (unsigned long long)e->seq,
		    (unsigned long long)e->case_id);
	memcpy(&r, p, sizeof r);
	e->version = AUDIT_V1;
	e->time = r.time;
	e->action = r.action;
	e->old_rev = r.old_rev;
	e->new_rev = r.new_rev;
	size_t ulen = n - sizeof r;
	if (ulen >= sizeof e->user)
		ulen = sizeof e->user - 1;
	memcpy(e->user, p + sizeof r, ulen);
	return 0;
}

int audit_decode(const void *p, size_t n, uint64_t case_id, uint64_t seq, const unsigned char *prev,
    struct audit_entry *e, bool *hash_ok, struct cb_err *err)
{
	struct reader r = {p, (const unsigned char *)p + n, false};
	unsigned char h[AUDIT_HASH_LEN];

	memset(e, 0, sizeof *e);
	e->case_id = case_id;
	e->seq = seq;
	*hash_ok = false;
	/* A version-1 value begins with its time, little-endian: the marker
	 * would be a second in March 1971, before any entry was written. */
	if (n < sizeof magic + AUDIT_HASH_LEN || memcmp(p, magic, sizeof magic) != 0)
		return decode_v1(p, n, e, err);
	e->version = AUDIT_V2;
	take(&r, sizeof magic);
	e->time = (int64_t)get_u64(&r);
	const unsigned char *a = take(&r, 1);
	e->action = a ? *a : 0;
	e->old_rev = get_u32(&r);
	e->new_rev = get_u32(&r);
	e->undoes = get_u64(&r);
	const unsigned char *ul = take(&r, 1);
	const unsigned char *u = ul ? take(&r, *ul) : NULL;
	if (u)
		memcpy(e->user, u, *ul < sizeof e->user ? *ul : sizeof e->user - 1);
	uint32_t nch = get_u32(&r);
	for (uint32_t i = 0; i < nch && !r.bad; i++) {
		e->changes = xreallocarray(e->changes, e->n_changes + 1, sizeof *e->changes);
		struct audit_change *ch = &e->changes[e->n_changes++];
		ch->field = get_str(&r);
		ch->item = get_u32(&r);
		ch->old_json = get_str(&r);
		ch->new_json = get_str(&r);
		if (!ch->field)
			r.bad = true;
	}
	const unsigned char *stored = take(&r, AUDIT_HASH_LEN);
	if (r.bad || r.p != r.end) {
		audit_entry_free(e);
		return cb_err_set(err, CB_ECORRUPT,
		    _("audit log entry %llu of case %llu is damaged"), (unsigned long long)seq,
		    (unsigned long long)case_id);
	}
	memcpy(e->hash, stored, AUDIT_HASH_LEN);
	if (prev) {
		memcpy(e->prev, prev, AUDIT_HASH_LEN);
		chain_hash(prev, case_id, seq, p, n - AUDIT_HASH_LEN, h);
		*hash_ok = memcmp(h, stored, AUDIT_HASH_LEN) == 0;
	}
	return 0;
}

void audit_entry_copy(struct audit_entry *dst, const struct audit_entry *src)
{
	*dst = *src;
	dst->changes =
	    src->n_changes ? xreallocarray(NULL, src->n_changes, sizeof *dst->changes) : NULL;
	for (size_t i = 0; i < src->n_changes; i++) {
		const struct audit_change *s = &src->changes[i];
		dst->changes[i] = (struct audit_change){xstrdup(s->field), s->item,
		    s->old_json ? xstrdup(s->old_json) : NULL,
		    s->new_json ? xstrdup(s->new_json) : NULL};
	}
}

int audit_list_add(const struct audit_entry *e, void *list)
{
	struct audit_list *l = list;
	l->e = xreallocarray(l->e, l->n + 1, sizeof *l->e);
	audit_entry_copy(&l->e[l->n++], e);
	return 0;
}

void audit_list_free(struct audit_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		audit_entry_free(&l->e[i]);
	free(l->e);
	l->e = NULL;
	l->n = 0;
}

/* ---- The chain ----------------------------------------------------------- */

const char *audit_chain_step(struct audit_chain *c, const struct audit_entry *e, bool hash_ok)
{
	c->entries++;
	if (!c->chain_from || e->seq < c->chain_from) {
		if (e->version >= AUDIT_V2)
			return _("a chained entry where the log says the chain had not begun");
		c->unchained++;
		c->last_seq = e->seq;
		return NULL;
	}
	if (e->version < AUDIT_V2)
		return _("an entry without a hash inside the chain");
	/* The hash covers the previous hash, the key and the content: a gap
	 * in the numbers before a mismatch means an entry was cut out. */
	if (!hash_ok)
		return e->seq != c->last_seq + 1
		    ? _("the entry before it is missing (removed)")
		    : _("its content does not match its hash (edited)");
	memcpy(c->prev, e->hash, AUDIT_HASH_LEN);
	c->last_seq = e->seq;
	c->chained++;
	return NULL;
}

void audit_hex(const unsigned char *hash, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		out[2 * i] = d[hash[i] >> 4];
		out[2 * i + 1] = d[hash[i] & 15];
	}
	out[2 * AUDIT_HASH_LEN] = '\0';
}

/* ---- Undo ---------------------------------------------------------------- */

static json_t *load(const char *s)
{
	return s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
}

/* Sets item ch->item of array field key in obj back to ch's old value
 * (NULL: the item was added, so it goes). Removed positions are marked
 * with JSON null and dropped by the caller. */
static void revert_item(json_t *obj, const struct audit_change *ch)
{
	json_t *a = json_object_get(obj, ch->field);
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(obj, ch->field, a);
	}
	while (json_array_size(a) < ch->item)
		json_array_append_new(a, json_null());
	json_t *old = load(ch->old_json);
	json_array_set_new(a, ch->item - 1, old ? old : json_null());
}

static void drop_nulls(json_t *obj)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(obj, tmp, key, v)
	{
		if (!json_is_array(v))
			continue;
		for (size_t i = json_array_size(v); i-- > 0;)
			if (json_is_null(json_array_get(v, i)))
				json_array_remove(v, i);
		if (json_array_size(v) == 0)
			json_object_del(obj, key);
	}
}

int audit_revert(const struct audit_entry *e, struct case_record *c, struct cb_err *err)
{
	struct case_record out;
	int rc;

	if (e->version < AUDIT_V2)
		return cb_err_set(err, CB_EINVAL,
		    _("case %llu: the change to revision %u was recorded "
		      "before casebook kept field history, so it cannot be undone"),
		    (unsigned long long)e->case_id, e->new_rev);
	json_t *obj = casejson_from_case(c);
	for (size_t i = 0; i < e->n_changes; i++) {
		const struct audit_change *ch = &e->changes[i];
		if (ch->item) {
			revert_item(obj, ch);
			continue;
		}
		json_t *old = load(ch->old_json);
		if (old)
			json_object_set_new(obj, ch->field, old);
		else
			json_object_del(obj, ch->field);
	}
	drop_nulls(obj);
	rc = casejson_to_case(obj, &out, err);
	json_decref(obj);
	if (rc) {
		case_free(&out);
		cb_err_prefix(err, _("case %llu: undo"), (unsigned long long)e->case_id);
		return rc;
	}
	out.id = c->id;
	out.rev = c->rev;
	out.created = c->created;
	case_free(c);
	*c = out;
	return 0;
}

/* The value of ch's field (or item) in obj, the case as JSON; NULL when absent. */
static json_t *current_of(json_t *obj, const struct audit_change *ch)
{
	json_t *v = json_object_get(obj, ch->field);
	if (!ch->item)
		return v;
	return json_is_array(v) && ch->item <= json_array_size(v) ? json_array_get(v, ch->item - 1)
	                                                          : NULL;
}

static bool same_json(const json_t *a, const char *b)
{
	json_t *x = load(b);
	bool eq = (!a && !x) || (a && x && json_equal(a, x));
	json_decref(x);
	return eq;
}

int audit_holds(const struct audit_entry *e, const struct case_record *c, const char **field)
{
	json_t *obj = casejson_from_case(c);
	bool all_new = true, all_old = true;

	*field = NULL;
	for (size_t i = 0; i < e->n_changes; i++) {
		const struct audit_change *ch = &e->changes[i];
		json_t *cur = current_of(obj, ch);
		bool is_new = same_json(cur, ch->new_json), is_old = same_json(cur, ch->old_json);
		if (!is_new && !is_old && !*field)
			*field = ch->field;
		all_new = all_new && is_new;
		all_old = all_old && is_old;
	}
	json_decref(obj);
	if (all_new)
		return AUDIT_HOLDS_NEW;
	if (all_old)
		return AUDIT_HOLDS_OLD;
	if (!*field) /* some new, some old: the first field no longer new */
		*field = e->n_changes ? e->changes[0].field : "?";
	return AUDIT_HOLDS_OTHER;
}

/* ---- Changes to many cases ------------------------------------------------- */

void audit_group_changes(const char *set_json, const char *what, const struct audit_member *m,
    size_t n, struct audit_change **changes, size_t *nch)
{
	json_t *set = load(set_json), *cases = json_array();
	json_t *w = json_string(str_or_empty(what));

	for (size_t i = 0; i < n; i++)
		json_array_append_new(cases,
		    json_pack("[I, I, I, I]", (json_int_t)m[i].case_id, (json_int_t)m[i].seq,
		        (json_int_t)m[i].old_rev, (json_int_t)m[i].new_rev));
	*changes = NULL;
	*nch = 0;
	add_change(changes, nch, "set", 0, NULL, set ? set : json_object());
	add_change(changes, nch, "filter", 0, NULL, w);
	add_change(changes, nch, "cases", 0, NULL, cases);
	json_decref(set);
	json_decref(w);
	json_decref(cases);
}

const struct audit_change *audit_change_named(const struct audit_entry *e, const char *field)
{
	for (size_t i = 0; i < e->n_changes; i++)
		if (strcmp(e->changes[i].field, field) == 0)
			return &e->changes[i];
	return NULL;
}

int audit_group_members(const struct audit_entry *e, struct audit_member **m, size_t *n,
    struct cb_err *err)
{
	const struct audit_change *ch = audit_change_named(e, "cases");
	json_t *cases = ch ? load(ch->new_json) : NULL, *row;
	size_t i;

	*m = NULL;
	*n = 0;
	if (json_is_array(cases) && json_array_size(cases) > 0) {
		*m = xcalloc(json_array_size(cases), sizeof **m);
		json_array_foreach(cases, i, row)
		{
			json_int_t id, seq, o, nw;
			if (json_unpack(row, "[IIII]", &id, &seq, &o, &nw) != 0 || id <= 0 ||
			    seq <= 0)
				break;
			(*m)[(*n)++] = (struct audit_member){(uint64_t)id, (uint64_t)seq,
			    (uint32_t)o, (uint32_t)nw};
		}
	}
	bool ok = *n > 0 && *n == json_array_size(cases);
	json_decref(cases);
	if (!ok) {
		free(*m);
		*m = NULL;
		*n = 0;
		return cb_err_set(err, CB_ECORRUPT,
		    _("audit log entry %llu does not list its cases; it cannot be undone"),
		    (unsigned long long)e->seq);
	}
	return 0;
}

long audit_undo_target(const struct audit_entry *entries, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		const struct audit_entry *e = &entries[i];
		/* A save that changed no field has nothing to revert. */
		if (e->action != AUDIT_UPDATE || (e->version >= AUDIT_V2 && e->n_changes == 0))
			continue;
		bool undone = false;
		for (size_t j = i + 1; j < n && !undone; j++)
			undone = entries[j].action == AUDIT_UNDO && entries[j].undoes == e->seq;
		if (!undone)
			return (long)i;
	}
	return -1;
}

/* ---- Formatting ---------------------------------------------------------- */

/* Fields whose values are vocabulary keys or dates (shown bare); text is
 * shown in «» so that a name or a note reads as what was typed. */
static bool coded(const char *key)
{
	static const char *const keys[] = {"status", "verification", "sex", "confidentiality",
	    "date", "hearing", "type", "body", "exam"};
	for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static bool bare(const char *key, const char *s)
{
	if (!*s || !coded(key))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		        *s == '-'))
			return false;
	return true;
}

/* The field (measures or injuries) whose item a change is about while it
 * is written: its parts and type are named from that field's tables. */
static int item_field = FIELD_MEASURES;

/* A field's name as show prints it (display.h). */
static const char *name_shown(const char *field)
{
	int f = case_field_find(field);

	return f >= 0 ? display_field_name(f) : field;
}

static void put_value(struct buf *b, const char *key, const json_t *v)
{
	size_t i;
	json_t *x;
	const char *k;

	if (!v || json_is_null(v)) {
		buf_puts(b, "—");
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char shown[128];
		if (bare(key, s)) {
			buf_puts(b, display_coded(key, s, item_field, shown, sizeof shown));
			return;
		}
		buf_puts(b, "«");
		text_sanitize_put(b, s, strlen(s), 0);
		buf_puts(b, "»");
	} else if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_boolean(v)) {
		buf_puts(b, json_is_true(v) ? _("yes") : _("no"));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
		{
			if (i)
				buf_puts(b, ", ");
			put_value(b, key, x);
		}
	} else if (json_is_object(v)) {
		/* An item: its type first, then key=value. */
		put_value(b, "type", json_object_get(v, "type"));
		bool first = true;
		json_object_foreach((json_t *)v, k, x)
		{
			if (strcmp(k, "type") == 0)
				continue;
			buf_puts(b, first ? ":" : ",");
			first = false;
			buf_printf(b, "%s=", display_part_name(item_field, k));
			put_value(b, k, x);
		}
	}
}

/* "measures" -> "measure", "injuries" -> "injury". */
static void put_item_name(struct buf *b, const char *field)
{
	size_t n = strlen(field);
	if (n > 3 && strcmp(field + n - 3, "ies") == 0) {
		buf_put(b, field, n - 3);
		buf_putc(b, 'y');
	} else if (n > 1 && field[n - 1] == 's') {
		buf_put(b, field, n - 1);
	} else {
		buf_puts(b, field);
	}
}

static void put_change(struct buf *b, const struct audit_change *ch)
{
	json_t *o = load(ch->old_json), *nw = load(ch->new_json);
	const char *k;
	json_t *x;

	item_field = strcmp(ch->field, "injuries") == 0 ? FIELD_INJURIES : FIELD_MEASURES;
	if (!ch->item) {
		buf_printf(b, "%s ", name_shown(ch->field));
		put_value(b, ch->field, o);
		buf_puts(b, " → ");
		put_value(b, ch->field, nw);
	} else {
		if (strcmp(ch->field, "measures") == 0)
			buf_printf(b, _("measure %u"), (unsigned)ch->item);
		else if (strcmp(ch->field, "injuries") == 0)
			buf_printf(b, _("injury %u"), (unsigned)ch->item);
		else
			put_item_name(b, ch->field), buf_printf(b, " %u", (unsigned)ch->item);
		if (!o || !nw) {
			buf_printf(b, " %s: ", !o ? _("added") : _("removed"));
			put_value(b, ch->field, o ? o : nw);
		} else {
			/* A changed item: sub-field by sub-field. */
			bool first = true;
			json_object_foreach(nw, k, x)
			{
				json_t *y = json_object_get(o, k);
				if (y && json_equal(x, y))
					continue;
				buf_printf(b, "%s%s ", first ? " " : ", ",
				    display_part_name(item_field, k));
				first = false;
				put_value(b, k, y);
				buf_puts(b, " → ");
				put_value(b, k, x);
			}
			json_object_foreach(o, k, x)
			{
				if (json_object_get(nw, k))
					continue;
				buf_printf(b, "%s%s ", first ? " " : ", ",
				    display_part_name(item_field, k));
				first = false;
				put_value(b, k, x);
				buf_puts(b, " → —");
			}
		}
	}
	json_decref(o);
	json_decref(nw);
}

/* The translated words for an action, for the person actions' lines. */
static const char *audit_action_name(int action)
{
	switch (action) {
	case AUDIT_CREATE:
		return _("created");
	case AUDIT_UPDATE:
		return _("changed");
	case AUDIT_DELETE:
		return _("deleted");
	case AUDIT_UNDO:
		return _("undone");
	case AUDIT_PERSON_LINK:
		return _("linked to a person");
	case AUDIT_PERSON_UNLINK:
		return _("unlinked from its person");
	case AUDIT_PERSON_MERGE:
		return _("people merged");
	default:
		return "?";
	}
}

static void put_time(struct buf *b, int64_t t)
{
	char when[TEXT_TIME_MAX];

	/* Local time, its date in the user's form (datefmt.h). */
	buf_puts(b, datefmt_show_time(when, t));
}

/* "status → in_court; measures + fine" from an entry's "set" object. */
static void put_set(struct buf *b, const struct audit_entry *e)
{
	const struct audit_change *ch = audit_change_named(e, "set");
	json_t *set = ch ? load(ch->new_json) : NULL, *v;
	const char *k;
	bool first = true;

	json_object_foreach(set, k, v)
	{
		if (!first)
			buf_puts(b, "; ");
		first = false;
		bool items = strcmp(k, "measures") == 0;
		item_field = FIELD_MEASURES;
		buf_printf(b, "%s %s ", name_shown(k), items ? "+" : "→");
		if (json_is_string(v) && !*json_string_value(v))
			buf_puts(b, "—");
		else
			put_value(b, items ? "type" : k, v);
	}
	json_decref(set);
}

/* An entry under AUDIT_MANY: "change 12: status → in_court on 3 cases
 * (filter city:Almaty): 1, 4, 9", or its undo. */
static void put_group(struct buf *b, const struct audit_entry *e)
{
	const struct audit_change *f = audit_change_named(e, "filter"),
	                          *c = audit_change_named(e, "cases");
	json_t *what = f ? load(f->new_json) : NULL, *cases = c ? load(c->new_json) : NULL, *row;
	size_t n = json_array_size(cases), i;

	if (e->action == AUDIT_UNDO) {
		buf_printf(b, _("undo of change %llu, "), (unsigned long long)e->undoes);
		buf_printf(b,
		    ngettext("%zu case back as before", "%zu cases back as before",
		        (unsigned long)n),
		    n);
	} else {
		buf_printf(b, _("change %llu: "), (unsigned long long)e->seq);
		put_set(b, e);
		buf_printf(b, ngettext(" on %zu case", " on %zu cases", (unsigned long)n), n);
	}
	if (e->action != AUDIT_UNDO && json_is_string(what) && *json_string_value(what)) {
		char *clean = text_sanitize(json_string_value(what), 0);
		buf_puts(b, " (");
		buf_printf(b, _("filter %s"), clean);
		buf_putc(b, ')');
		free(clean);
	}
	buf_putc(b, ':');
	json_array_foreach(cases, i, row) buf_printf(b, "%s%lld", i ? ", " : " ",
	    (long long)json_integer_value(json_array_get(row, 0)));
	json_decref(what);
	json_decref(cases);
}

char *audit_format(const struct audit_entry *e)
{
	struct buf b = {0};

	put_time(&b, e->time);
	buf_putc(&b, ' ');
	text_sanitize_put(&b, e->user, strlen(e->user), 0);
	buf_puts(&b, ": ");
	if (e->case_id == AUDIT_MANY && (e->action == AUDIT_BULK || e->action == AUDIT_UNDO) &&
	    audit_change_named(e, "cases")) {
		put_group(&b, e);
		return buf_steal(&b);
	}
	switch (e->action) {
	case AUDIT_CREATE:
		buf_printf(&b, _("created (revision %u)"), e->new_rev);
		return buf_steal(&b);
	case AUDIT_DELETE:
		buf_printf(&b, _("deleted at revision %u"), e->old_rev);
		return buf_steal(&b);
	case AUDIT_RESTORE:
		buf_printf(&b, _("restored from the trash (revision %u → %u)"), e->old_rev,
		    e->new_rev);
		return buf_steal(&b);
	case AUDIT_PURGE:
		buf_printf(&b, _("purged from the trash for good (it was at revision %u)"),
		    e->old_rev);
		return buf_steal(&b);
	case AUDIT_UNDO:
		buf_printf(&b, _("undo (revision %u → %u): "), e->old_rev, e->new_rev);
		break;
	case AUDIT_PERSON_LINK:
	case AUDIT_PERSON_UNLINK:
	case AUDIT_PERSON_MERGE:
		buf_printf(&b, "%s: ", audit_action_name(e->action));
		break;
	default:
		break;
	}
	if (e->version < AUDIT_V2) {
		buf_printf(&b, _("changed revision %u → %u"), e->old_rev, e->new_rev);
	} else if (e->n_changes == 0) {
		buf_printf(&b, _("saved revision %u, no field changed"), e->new_rev);
	}
	for (size_t i = 0; i < e->n_changes; i++) {
		if (i)
			buf_puts(&b, "; ");
		put_change(&b, &e->changes[i]);
	}
	return buf_steal(&b);
}

char *audit_changes_format(const struct audit_change *ch, size_t n)
{
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, "; ");
		put_change(&b, &ch[i]);
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

static const char *action_key(int action)
{
	static const char *const k[] = {"?", "create", "update", "delete", "undo", "restore",
	    "purge", "bulk", "link", "unlink", "merge"};
	return action >= 1 && action < (int)(sizeof k / sizeof *k) ? k[action] : k[0];
}

json_t *audit_json(const struct audit_entry *e)
{
	char when[32], hex[2 * AUDIT_HASH_LEN + 1];
	time_t tt = (time_t)e->time;
	struct tm tm;
	json_t *o = json_object(), *ch = json_array();

	if (gmtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(when, sizeof when, "?");
	json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "user", json_string(e->user));
	json_object_set_new(o, "case", json_integer((json_int_t)e->case_id));
	json_object_set_new(o, "action", json_string(action_key(e->action)));
	json_object_set_new(o, "old_rev", json_integer(e->old_rev));
	json_object_set_new(o, "new_rev", json_integer(e->new_rev));
	if (e->undoes)
		json_object_set_new(o, "undoes", json_integer((json_int_t)e->undoes));
	if (e->version >= AUDIT_V2) {
		audit_hex(e->hash, hex);
		json_object_set_new(o, "hash", json_string(hex));
	}
	for (size_t i = 0; i < e->n_changes; i++) {
		const struct audit_change *c = &e->changes[i];
		json_t *x = json_object();
		json_object_set_new(x, "field", json_string(c->field));
		if (c->item)
			json_object_set_new(x, "item", json_integer(c->item));
		json_t *ov = load(c->old_json), *nv = load(c->new_json);
		json_object_set_new(x, "old", ov ? ov : json_null());
		json_object_set_new(x, "new", nv ? nv : json_null());
		json_array_append_new(ch, x);
	}
	/* Entries written before field history carry no field data. */
	if (e->version >= AUDIT_V2)
		json_object_set_new(o, "changes", ch);
	else
		json_decref(ch);
	return o;
}
