/* store_person.c — people in the store, the writing side: the databases
 * of store_person_int.h kept in step with the cases inside the case's own
 * write transaction, the building of people from an older database, and
 * the link, unlink and merge operations with their audit entries. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "person.h"
#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

/* People kept in a transaction's queue (store_person_queue.c) before it is
 * written out in the middle of the transaction. */
#define QUEUE_MAX 65536

/* ---- Records ------------------------------------------------------------ */

/* V2 adds the mixed mark (person_record.sex_mixed) as the sex byte's top
 * bit; a V1 record is read with the mark unknown. */
enum { PERSON_ENC_V1 = 1, PERSON_ENC_V2 = 2 };
#define SEX_MIXED_BIT 0x80

/* Writes v as n little-endian bytes at w; returns the byte after them. */
static unsigned char *put_le(unsigned char *w, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		*w++ = (unsigned char)v;
	return w;
}

void person_encode(const struct person_record *p, struct buf *out)
{
	size_t need = 1 + 4 + 4 + 2 + 1 + 8 + 2 + 4;

	for (size_t i = 0; i < p->names.n; i++) {
		size_t len = strlen(p->names.items[i]);
		need += 2 + (len > 0xffff ? 0xffff : len);
	}
	buf_reserve(out, need); /* one reservation: the bytes are written in place */
	unsigned char *start = out->p + out->len, *w = start;
	*w++ = PERSON_ENC_V2;
	w = put_le(w, p->rev, 4);
	w = put_le(w, p->n_cases, 4);
	w = put_le(w, (uint32_t)p->birth_year & 0xffff, 2);
	*w++ = (unsigned char)(p->sex | (p->sex_mixed > 0 ? SEX_MIXED_BIT : 0));
	w = put_le(w, p->merged_into, 8);
	w = put_le(w, p->names.n & 0xffff, 2);
	for (size_t i = 0; i < p->names.n; i++) {
		size_t len = strlen(p->names.items[i]);
		if (len > 0xffff)
			len = 0xffff;
		w = put_le(w, len, 2);
		memcpy(w, p->names.items[i], len);
		w += len;
	}
	w = put_le(w, (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), start, (size_t)(w - start)), 4);
	out->len += (size_t)(w - start);
}

struct reader {
	const unsigned char *p;
	size_t n, at;
	bool bad;
};

static uint64_t get_n(struct reader *r, int bytes)
{
	uint64_t v = 0;
	if (r->at + (size_t)bytes > r->n) {
		r->bad = true;
		return 0;
	}
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | r->p[r->at + (size_t)i];
	r->at += (size_t)bytes;
	return v;
}

int person_decode(const void *v, size_t n, uint64_t id, struct person_record *p, struct cb_err *err)
{
	struct reader r = {v, n, 0, false};

	person_record_init(p);
	p->id = id;
	if (n < 5 ||
	    crc32_z(crc32_z(0, Z_NULL, 0), v, n - 4) !=
	        (uint32_t)(r.p[n - 4] | r.p[n - 3] << 8 | r.p[n - 2] << 16 |
	            (uint32_t)r.p[n - 1] << 24))
		return cb_err_set(err, CB_ECORRUPT,
		    _("person %llu is damaged: restore it from a backup (its bytes do not "
		      "match their checksum)"),
		    (unsigned long long)id);
	r.n = n - 4;
	uint64_t version = get_n(&r, 1);
	if (version != PERSON_ENC_V1 && version != PERSON_ENC_V2)
		r.bad = true;
	p->rev = (uint32_t)get_n(&r, 4);
	p->n_cases = (uint32_t)get_n(&r, 4);
	p->birth_year = (int)get_n(&r, 2);
	p->sex = (int)get_n(&r, 1);
	p->sex_mixed = -1;
	if (version == PERSON_ENC_V2) {
		p->sex_mixed = (p->sex & SEX_MIXED_BIT) != 0;
		p->sex &= ~SEX_MIXED_BIT;
	}
	p->merged_into = get_n(&r, 8);
	size_t names = (size_t)get_n(&r, 2);
	if (r.at + 2 * names > r.n)
		r.bad = true; /* each name takes two bytes at least */
	if (names && !r.bad)
		p->names.items = xreallocarray(NULL, names, sizeof *p->names.items);
	for (size_t i = 0; i < names && !r.bad; i++) {
		size_t len = (size_t)get_n(&r, 2);
		if (r.at + len > r.n) {
			r.bad = true;
			break;
		}
		char *s = xmalloc(len + 1);
		memcpy(s, r.p + r.at, len);
		s[len] = 0;
		r.at += len;
		p->names.items[p->names.n++] = s;
	}
	if (r.bad || r.at != r.n || p->sex > SEX_UNKNOWN ||
	    (p->sex_mixed > 0 && p->sex != SEX_UNKNOWN)) {
		person_record_free(p);
		return cb_err_set(err, CB_ECORRUPT,
		    _("person %llu cannot be read: restore it from a backup"),
		    (unsigned long long)id);
	}
	return 0;
}

/* ---- Small helpers shared with the reading side ---------------------------- */

const struct person_dbs *store_person_dbs(struct store *st)
{
	return &st->pdb;
}

int person_read(MDB_txn *txn, const struct person_dbs *d, uint64_t id, struct person_record *p,
    struct cb_err *err)
{
	MDB_val k = {sizeof id, &id}, v;
	int rc = mdb_get(txn, d->persons, &k, &v);

	if (rc) {
		person_record_init(p);
		p->id = id;
		return rc;
	}
	return person_decode(v.mv_data, v.mv_size, id, p, err);
}

int person_link_get(MDB_txn *txn, const struct person_dbs *d, uint64_t case_id, uint64_t *pid,
    unsigned *flags)
{
	MDB_val k = {sizeof case_id, &case_id}, v;
	int rc = mdb_get(txn, d->case_person, &k, &v);

	*pid = 0;
	if (flags)
		*flags = 0;
	if (rc)
		return rc;
	if (v.mv_size != 9)
		return MDB_CORRUPTED;
	memcpy(pid, v.mv_data, 8);
	if (flags)
		*flags = ((unsigned char *)v.mv_data)[8];
	return 0;
}

int person_case_ids(MDB_txn *txn, const struct person_dbs *d, uint64_t pid, struct idarr *out)
{
	MDB_cursor *c;
	MDB_val k = {sizeof pid, &pid}, v;
	int rc = mdb_cursor_open(txn, d->person_cases, &c);

	if (rc)
		return rc;
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
	if (rc == 0)
		rc = mdb_cursor_get(c, &k, &v, MDB_GET_MULTIPLE);
	while (rc == 0) {
		idarr_append(out, v.mv_data, v.mv_size / sizeof(uint64_t));
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_MULTIPLE);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

void person_record_keys(const struct person_record *p, struct strlist *keys)
{
	for (size_t i = 0; i < p->names.n; i++) {
		char k[PERSON_KEY_MAX];
		bool seen = false;
		if (person_key(p->names.items[i], k) == 0)
			continue;
		for (size_t j = 0; j < keys->n && !seen; j++)
			seen = strcmp(keys->items[j], k) == 0;
		if (!seen)
			strlist_add(keys, k);
	}
}

void person_key_parts_each(const char *key, void (*fn)(void *ctx, const char *part, size_t len),
    void *ctx)
{
	char buf[PERSON_KEY_MAX];
	const char *w[PERSON_PARTIAL_WORDS + 1];
	size_t wl[PERSON_PARTIAL_WORDS + 1];
	int n = 0;

	snprintf(buf, sizeof buf, "%s", key);
	for (char *p = strtok(buf, " "); p; p = strtok(NULL, " ")) {
		if (n == PERSON_PARTIAL_WORDS)
			return; /* too many words: matched only as a whole */
		wl[n] = strlen(p);
		w[n++] = p;
	}
	if (n < 2)
		return;
	for (unsigned mask = 1; mask + 1 < (1u << n); mask++) {
		char part[PERSON_KEY_MAX];
		size_t len = 0;
		for (int i = 0; i < n; i++) {
			if (!(mask & (1u << i)))
				continue;
			if (len)
				part[len++] = ' ';
			memcpy(part + len, w[i], wl[i]);
			len += wl[i];
		}
		part[len] = 0;
		fn(ctx, part, len);
	}
}

static void add_part(void *ctx, const char *part, size_t len)
{
	(void)len;
	strlist_add(ctx, part);
}

void person_key_parts(const char *key, struct strlist *out)
{
	person_key_parts_each(key, add_part, out);
}

/* ---- Index upkeep ------------------------------------------------------- */

static int put_id(struct store_txn *tx, MDB_dbi dbi, const void *key, size_t klen, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {klen, (void *)key}, v = {sizeof id, &id};
	int rc = mdb_put(tx->txn, dbi, &k, &v, MDB_NODUPDATA);
	if (rc && rc != MDB_KEYEXIST)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

static int del_id(struct store_txn *tx, MDB_dbi dbi, const void *key, size_t klen, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {klen, (void *)key}, v = {sizeof id, &id};
	int rc = mdb_del(tx->txn, dbi, &k, &v);
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

static bool has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

/* Moves person pid's entries in one text-keyed index from keys a to keys b. */
static int move_keys(struct store_txn *tx, MDB_dbi dbi, const struct strlist *a,
    const struct strlist *b, uint64_t pid, struct cb_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < a->n && rc == 0; i++)
		if (!has(b, a->items[i]))
			rc = del_id(tx, dbi, a->items[i], strlen(a->items[i]), pid, err);
	for (size_t i = 0; i < b->n && rc == 0; i++)
		if (!has(a, b->items[i]))
			rc = put_id(tx, dbi, b->items[i], strlen(b->items[i]), pid, err);
	return rc;
}

static void all_parts(const struct strlist *keys, struct strlist *parts)
{
	for (size_t i = 0; i < keys->n; i++) {
		struct strlist p = {0};
		person_key_parts(keys->items[i], &p);
		for (size_t j = 0; j < p.n; j++)
			if (!has(parts, p.items[j]))
				strlist_add(parts, p.items[j]);
		strlist_free(&p);
	}
}

static int count_entry(struct store_txn *tx, uint32_t n, uint64_t pid, bool put, struct cb_err *err)
{
	unsigned char k[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
	    (unsigned char)(n >> 8), (unsigned char)n};
	if (n == 0)
		return 0;
	return put ? put_id(tx, tx->st->pdb.count, k, 4, pid, err)
	           : del_id(tx, tx->st->pdb.count, k, 4, pid, err);
}

static int write_record(struct store_txn *tx, const struct person_record *p, struct cb_err *err)
{
	uint64_t id = p->id;
	tx->enc.len = 0;
	person_encode(p, &tx->enc);
	MDB_val k = {sizeof id, &id}, v = {tx->enc.len, tx->enc.p};
	int rc = mdb_put(tx->txn, tx->st->pdb.persons, &k, &v, 0);
	if (rc)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

/* Recomputes person pid from its cases (known: one of them already in
 * memory, or NULL) and moves its index entries; writes the record with
 * rev + 1 when anything changed. */
static int refresh(struct store_txn *tx, uint64_t pid, const struct case_record *known,
    struct cb_err *err)
{
	const struct person_dbs *d = &tx->st->pdb;
	struct person_record old, now;
	struct idarr ids = {0};
	struct strlist ok = {0}, nk = {0}, op = {0}, np = {0}, oy = {0}, ny = {0};
	struct case_record *cases = NULL;
	size_t n = 0;
	int rc = person_read(tx->txn, d, pid, &old, err);

	if (rc == CB_ECORRUPT)
		return rc;
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("reading people"), err);
	if ((rc = person_case_ids(tx->txn, d, pid, &ids)) != 0) {
		rc = store_txn_fail(tx, rc, _("reading people"), err);
		goto out;
	}
	cases = xcalloc(ids.n ? ids.n : 1, sizeof *cases);
	for (; n < ids.n; n++) {
		if (known && known->id == ids.v[n]) {
			case_copy(&cases[n], known);
			continue;
		}
		if ((rc = store_get_in(tx->txn, tx->st->cases, ids.v[n], &cases[n], err)) != 0) {
			n++;
			goto out;
		}
	}
	person_record_init(&now);
	now.id = pid;
	now.rev = old.rev;
	now.merged_into = n ? 0 : old.merged_into;
	person_derive(&now, cases, n);
	person_record_keys(&old, &ok);
	person_record_keys(&now, &nk);
	all_parts(&ok, &op);
	all_parts(&nk, &np);
	person_year_keys(&ok, old.n_cases ? old.birth_year : 0, &oy);
	person_year_keys(&nk, now.n_cases ? now.birth_year : 0, &ny);
	if ((rc = move_keys(tx, d->key, &ok, &nk, pid, err)) == 0 &&
	    (rc = move_keys(tx, d->years, &oy, &ny, pid, err)) == 0 &&
	    (rc = move_keys(tx, d->part, &op, &np, pid, err)) == 0 && old.n_cases != now.n_cases &&
	    (rc = count_entry(tx, old.n_cases, pid, false, err)) == 0)
		rc = count_entry(tx, now.n_cases, pid, true, err);
	/* A record of before without the mixed mark is rewritten only when
	 * something else changes too. */
	bool same = rc == 0 && old.n_cases == now.n_cases && old.sex == now.sex &&
	    (old.sex_mixed < 0 || old.sex_mixed == now.sex_mixed) &&
	    old.birth_year == now.birth_year && old.merged_into == now.merged_into &&
	    old.names.n == now.names.n;
	for (size_t i = 0; same && i < now.names.n; i++)
		same = strcmp(old.names.items[i], now.names.items[i]) == 0;
	if (rc == 0 && !same) {
		now.rev++;
		rc = write_record(tx, &now, err);
	}
	person_record_free(&now);
out:
	for (size_t i = 0; i < n; i++)
		case_free(&cases[i]);
	free(cases);
	free(ids.v);
	strlist_free(&ok), strlist_free(&nk), strlist_free(&op), strlist_free(&np);
	strlist_free(&oy), strlist_free(&ny);
	person_record_free(&old);
	return rc;
}

/* ---- Links -------------------------------------------------------------- */

static int link_put(struct store_txn *tx, uint64_t cid, uint64_t pid, unsigned flags,
    struct cb_err *err)
{
	unsigned char v9[9];
	memcpy(v9, &pid, 8);
	v9[8] = (unsigned char)flags;
	MDB_val k = {sizeof cid, &cid}, v = {sizeof v9, v9};
	int rc = mdb_put(tx->txn, tx->st->pdb.case_person, &k, &v, 0);
	if (rc)
		return store_txn_fail(tx, rc, _("saving people"), err);
	if ((rc = person_block_put(tx, cid, pid, err)) != 0)
		return rc;
	return put_id(tx, tx->st->pdb.person_cases, &pid, sizeof pid, cid, err);
}

static int link_del(struct store_txn *tx, uint64_t cid, uint64_t pid, struct cb_err *err)
{
	MDB_val k = {sizeof cid, &cid};
	int rc = mdb_del(tx->txn, tx->st->pdb.case_person, &k, NULL);
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("saving people"), err);
	if ((rc = person_block_del(tx, cid, pid, err)) != 0)
		return rc;
	return del_id(tx, tx->st->pdb.person_cases, &pid, sizeof pid, cid, err);
}

int store_person_new_id(struct store_txn *tx, uint64_t *out, struct cb_err *err)
{
	if (!tx->persons_counter) {
		tx->next_person = 1;
		int rc = store_meta_get_u64(tx->txn, tx->st->meta, "next_person", &tx->next_person);
		if (rc)
			return store_txn_fail(tx, rc, _("reading the counters"), err);
		tx->persons_counter = true;
	}
	*out = tx->next_person++;
	return 0;
}

int store_person_txn_end(struct store_txn *tx, struct cb_err *err)
{
	char s[24];
	int rc = person_q_flush(tx, err);
	if (rc)
		return rc;
	if (!tx->persons_counter)
		return 0;
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->next_person);
	return store_txn_meta_put(tx, "next_person", s, err);
}

/* True when what the person is derived from differs between a and b. */
static bool person_fields_differ(const struct case_record *a, const struct case_record *b)
{
	if (a->sex != b->sex || a->birth_year != b->birth_year || a->aliases.n != b->aliases.n ||
	    strcmp(a->name ? a->name : "", b->name ? b->name : "") != 0 ||
	    strcmp(a->name_latin ? a->name_latin : "", b->name_latin ? b->name_latin : "") != 0)
		return true;
	for (size_t i = 0; i < a->aliases.n; i++)
		if (strcmp(a->aliases.items[i], b->aliases.items[i]) != 0)
			return true;
	return false;
}

/* Links case c (stored already) by the rule: to its match, else to
 * reuse (a person it just left that is now empty), else to a new person.
 * fresh: c was just added (its id the largest), so the fast paths apply. */
static int link_by_rule(struct store_txn *tx, const struct case_record *c, uint64_t reuse,
    bool fresh, struct cb_err *err)
{
	struct case_keys ck;
	uint64_t pid;
	int rc;

	case_keys_make(c, &ck);
	if (ck.n == 0) {
		case_keys_free(&ck);
		return 0; /* unidentified: no person */
	}
	size_t matched = 0;
	rc = person_find_match(tx, &ck, c->birth_year, &pid, &matched, err);
	if (rc == 0 && fresh) {
		rc = person_link_fresh(tx, c, &ck, pid, matched, err);
	} else if (rc == 0) {
		if (!pid)
			pid = reuse;
		if (!pid)
			rc = store_person_new_id(tx, &pid, err);
		if (rc == 0 && (rc = link_put(tx, c->id, pid, 0, err)) == 0)
			rc = refresh(tx, pid, c, err);
	}
	case_keys_free(&ck);
	return rc;
}

int store_person_case_changed(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err)
{
	const struct person_dbs *d = &tx->st->pdb;
	uint64_t pid = 0;
	unsigned flags = 0;
	int rc;

	if (!d->built)
		return 0;
	if (!old) {
		/* A new case: queued; a queue grown big (building people from a
		 * large database in one transaction) is written out meanwhile. */
		rc = link_by_rule(tx, new, 0, true, err);
		if (rc == 0 && person_q_size(tx) >= QUEUE_MAX)
			rc = person_q_flush(tx, err);
		return rc;
	}
	if ((rc = person_q_flush(tx, err)) != 0)
		return rc;
	if (old && (rc = person_link_get(tx->txn, d, id, &pid, &flags)) != 0 && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("reading people"), err);
	if (pid && new && !str_empty(new->name) && !person_fields_differ(old, new))
		return 0; /* nothing the person is made of changed */
	if (pid && new && !str_empty(new->name) && (flags & PLINK_MANUAL))
		return refresh(tx, pid, new, err); /* linked by hand: stays */
	if (pid) {
		if ((rc = link_del(tx, id, pid, err)) != 0 ||
		    (rc = refresh(tx, pid, NULL, err)) != 0)
			return rc;
	}
	if (!new)
		return 0;
	uint64_t reuse = 0;
	if (pid) {
		struct idarr left = {0};
		if ((rc = person_case_ids(tx->txn, d, pid, &left)) != 0)
			return store_txn_fail(tx, rc, _("reading people"), err);
		reuse = left.n ? 0 : pid;
		free(left.v);
	}
	return link_by_rule(tx, new, reuse, old == NULL, err);
}

int store_person_refresh(struct store_txn *tx, uint64_t pid, struct cb_err *err)
{
	int rc = person_q_flush(tx, err);
	if (rc)
		return rc;
	return refresh(tx, pid, NULL, err);
}

int store_person_mark_merged(struct store_txn *tx, uint64_t from, uint64_t into, struct cb_err *err)
{
	struct person_record p;
	int rc = person_q_flush(tx, err);

	if (rc)
		return rc;
	rc = person_read(tx->txn, &tx->st->pdb, from, &p, err);
	if (rc == 0) {
		p.merged_into = into;
		rc = write_record(tx, &p, err);
	} else if (rc != CB_ECORRUPT) {
		rc = store_txn_fail(tx, rc, _("reading people"), err);
	}
	person_record_free(&p);
	return rc ? rc : refresh(tx, from, NULL, err);
}

int store_person_not_built(struct store *st, struct cb_err *err)
{
	return cb_err_set(err, CB_EREADONLY,
	    _("people are not built yet in %s (a database made by an earlier version): open it "
	      "once without -r, by a user who may write to it"),
	    st->path);
}

const char *store_person_progress(uint64_t done, uint64_t total)
{
	static char line[160];
	snprintf(line, sizeof line, _("building people from the cases: %llu of %llu"),
	    (unsigned long long)done, (unsigned long long)total);
	return line;
}

int store_person_open(MDB_txn *txn, MDB_dbi meta, bool readonly, bool empty, struct person_dbs *d)
{
	static const struct {
		const char *name;
		unsigned flags;
		size_t off;
	} dbs[] = {
	    {"persons", MDB_INTEGERKEY, offsetof(struct person_dbs, persons)},
	    {"case_person", MDB_INTEGERKEY, offsetof(struct person_dbs, case_person)},
	    {"person_cases", MDB_INTEGERKEY | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
	        offsetof(struct person_dbs, person_cases)},
	    {"person_key", MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
	        offsetof(struct person_dbs, key)},
	    {"person_part", MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
	        offsetof(struct person_dbs, part)},
	    {"person_count", MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
	        offsetof(struct person_dbs, count)},
	};
	MDB_val v;
	int rc;

	memset(d, 0, sizeof *d);
	for (size_t i = 0; i < sizeof dbs / sizeof *dbs; i++) {
		MDB_dbi *h = (MDB_dbi *)((char *)d + dbs[i].off);
		rc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | (readonly ? 0 : MDB_CREATE), h);
		if (rc == MDB_NOTFOUND && readonly)
			return 0; /* an older database, read only: no people */
		if (rc)
			return rc;
	}
	d->present = true;
	if ((rc = person_blocks_open(txn, meta, readonly, d)) != 0 ||
	    (rc = person_years_open(txn, meta, readonly, d)) != 0)
		return rc;
	rc = store_meta_get_raw(txn, meta, "persons_built", &v);
	if (rc == 0) {
		d->built = true;
	} else if (rc != MDB_NOTFOUND) {
		return rc;
	} else if (empty && !readonly) {
		d->built = true;
		rc = store_meta_put_raw(txn, meta, "persons_built", "1");
	} else {
		rc = 0;
	}
	return rc;
}
