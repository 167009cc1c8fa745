/* store_person_check.c — `casebook check` for people: every identified
 * case is linked to exactly one person and that person lists it; every
 * link and every listed case agree both ways, and the packed blocks of
 * links with the links; each person's record holds what its cases imply;
 * every key, part and count index entry belongs to a person that has it
 * and every one a person needs is there. Read through
 * the check's snapshot, changing nothing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "person.h"
#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

struct pcheck {
	struct store *st;
	MDB_txn *txn;
	const struct person_dbs *d;
	void (*report)(const char *line, void *ctx);
	void *ctx;
	uint64_t problems;
};

static void problem(struct pcheck *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct pcheck *ck, const char *fmt, ...)
{
	char line[768];
	va_list ap;

	ck->problems++;
	if (!ck->report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ck->report(line, ck->ctx);
}

/* True when (key k, id) is in dbi. */
static bool has_entry(struct pcheck *ck, MDB_dbi dbi, const void *k, size_t klen, uint64_t id)
{
	MDB_cursor *c;
	MDB_val key = {klen, (void *)k}, v = {sizeof id, &id};
	bool found = false;
	if (mdb_cursor_open(ck->txn, dbi, &c) == 0) {
		found = mdb_cursor_get(c, &key, &v, MDB_GET_BOTH) == 0;
		mdb_cursor_close(c);
	}
	return found;
}

/* Every case: identified ones linked and listed by their person, the others unlinked. */
static int check_cases(struct pcheck *ck)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(ck->txn, ck->st->cases, &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct case_record rec;
		struct strlist keys = {0};
		uint64_t id, pid;
		memcpy(&id, k.mv_data, sizeof id);
		case_init(&rec);
		if (codec_decode(v.mv_data, v.mv_size, &rec, NULL) != 0) {
			case_free(&rec);
			continue; /* the record check names it */
		}
		person_case_keys(&rec, &keys);
		int lr = person_link_get(ck->txn, ck->d, id, &pid, NULL);
		if (keys.n && lr != 0)
			problem(ck, _("people: case %llu has a name but no person"),
			    (unsigned long long)id);
		else if (!keys.n && lr == 0)
			problem(ck, _("people: case %llu has no name but is linked to person %llu"),
			    (unsigned long long)id, (unsigned long long)pid);
		else if (lr == 0 && !has_entry(ck, ck->d->person_cases, &pid, sizeof pid, id))
			problem(ck,
			    _("people: case %llu is linked to person %llu, who does not list it"),
			    (unsigned long long)id, (unsigned long long)pid);
		strlist_free(&keys);
		case_free(&rec);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Every listed case of every person links back to that person. */
static int check_lists(struct pcheck *ck)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(ck->txn, ck->d->person_cases, &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t pid, cid, linked;
		memcpy(&pid, k.mv_data, sizeof pid);
		memcpy(&cid, v.mv_data, sizeof cid);
		if (person_link_get(ck->txn, ck->d, cid, &linked, NULL) != 0 || linked != pid)
			problem(ck,
			    _("people: person %llu lists case %llu, which is linked to person "
			      "%llu"),
			    (unsigned long long)pid, (unsigned long long)cid,
			    (unsigned long long)linked);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A block entry (store_person_blocks.c) that disagrees with the links. */
static void block_problem(void *ctx, uint64_t cid, uint64_t pid, uint64_t linked)
{
	struct pcheck *ck = ctx;
	if (cid == 0)
		problem(ck, _("people: %llu links of cases, but %llu in the blocks of links"),
		    (unsigned long long)pid, (unsigned long long)linked);
	else
		problem(ck,
		    _("people: the blocks of links put case %llu with person %llu, but it is "
		      "linked to person %llu"),
		    (unsigned long long)cid, (unsigned long long)pid, (unsigned long long)linked);
}

/* An entry of person_key_year (store_person_year.c) no person needs. */
static void year_problem(void *ctx, uint64_t pid, const char *key)
{
	problem(ctx, _("people: a stray index entry for person %llu (%s)"), (unsigned long long)pid,
	    key);
}

/* One person: the record against its cases and the indexes it needs. */
static int check_person(struct pcheck *ck, const struct person_record *p, uint64_t next)
{
	struct idarr ids = {0};
	struct person_record want;
	struct strlist keys = {0}, parts = {0};
	int rc = person_case_ids(ck->txn, ck->d, p->id, &ids);

	if (rc)
		return rc;
	if (p->id >= next)
		problem(ck, _("people: person %llu is past the id counter (%llu)"),
		    (unsigned long long)p->id, (unsigned long long)next);
	struct case_record *cases = xcalloc(ids.n ? ids.n : 1, sizeof *cases);
	size_t n = 0;
	bool unreadable = false;
	for (; n < ids.n; n++) {
		int r = store_get_in(ck->txn, ck->st->cases, ids.v[n], &cases[n], NULL);
		if (r == 0)
			continue;
		/* A damaged record is named by the record check; a missing one here. */
		if (r == CB_ENOTFOUND)
			problem(ck, _("people: person %llu lists case %llu, which does not exist"),
			    (unsigned long long)p->id, (unsigned long long)ids.v[n]);
		case_free(&cases[n]);
		unreadable = true;
		break;
	}
	person_record_init(&want);
	person_derive(&want, cases, n);
	bool same = unreadable ||
	    (want.n_cases == p->n_cases && want.sex == p->sex && want.birth_year == p->birth_year &&
	        (p->sex_mixed < 0 || want.sex_mixed == p->sex_mixed) && want.names.n == p->names.n);
	for (size_t i = 0; same && !unreadable && i < want.names.n; i++)
		same = strcmp(want.names.items[i], p->names.items[i]) == 0;
	if (!same)
		problem(ck,
		    _("people: person %llu does not hold what its %zu cases say (names, sex, "
		      "birth year or count)"),
		    (unsigned long long)p->id, ids.n);
	person_record_keys(p, &keys);
	for (size_t i = 0; i < keys.n; i++) {
		struct strlist pp = {0};
		if (!has_entry(ck, ck->d->key, keys.items[i], strlen(keys.items[i]), p->id))
			problem(ck, _("people: person %llu missing under name key \"%s\""),
			    (unsigned long long)p->id, keys.items[i]);
		person_key_parts(keys.items[i], &pp);
		if (ck->d->years_ok && p->n_cases) {
			struct strlist one = {.items = &keys.items[i], .n = 1}, yk = {0};
			person_year_keys(&one, p->birth_year, &yk);
			if (yk.n &&
			    !has_entry(ck, ck->d->years, yk.items[0], strlen(yk.items[0]), p->id)) {
				char shown[PERSON_KEY_MAX + 8];
				snprintf(shown, sizeof shown, "%s %04d", keys.items[i],
				    p->birth_year);
				problem(ck, _("people: person %llu missing under name key \"%s\""),
				    (unsigned long long)p->id, shown);
			}
			strlist_free(&yk);
		}
		for (size_t j = 0; j < pp.n; j++)
			if (!has_entry(ck, ck->d->part, pp.items[j], strlen(pp.items[j]), p->id))
				problem(ck, _("people: person %llu missing under name part \"%s\""),
				    (unsigned long long)p->id, pp.items[j]);
		strlist_free(&pp);
	}
	unsigned char cnt[4] = {(unsigned char)(p->n_cases >> 24),
	    (unsigned char)(p->n_cases >> 16), (unsigned char)(p->n_cases >> 8),
	    (unsigned char)p->n_cases};
	if (p->n_cases && !has_entry(ck, ck->d->count, cnt, 4, p->id))
		problem(ck, _("people: person %llu missing from the case counts"),
		    (unsigned long long)p->id);
	for (size_t i = 0; i < n; i++)
		case_free(&cases[i]);
	free(cases);
	free(ids.v);
	strlist_free(&keys);
	strlist_free(&parts);
	person_record_free(&want);
	return 0;
}

static int check_persons(struct pcheck *ck, uint64_t *persons)
{
	uint64_t next = 1;
	MDB_cursor *c;
	MDB_val k, v;
	int rc = store_meta_get_u64(ck->txn, ck->st->meta, "next_person", &next);

	if (rc || (rc = mdb_cursor_open(ck->txn, ck->d->persons, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct person_record p;
		struct cb_err err;
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		if (person_decode(v.mv_data, v.mv_size, id, &p, &err) != 0) {
			problem(ck, "people: %s", err.msg);
			continue;
		}
		if (p.n_cases)
			(*persons)++;
		rc = check_person(ck, &p, next);
		person_record_free(&p);
		if (rc)
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Every entry of a text-keyed index (key, part) or of the counts belongs
 * to a person that has that key, part or count. */
static int check_index(struct pcheck *ck, MDB_dbi dbi, int what)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(ck->txn, dbi, &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct person_record p;
		struct strlist keys = {0}, parts = {0};
		char key[PERSON_KEY_MAX];
		uint64_t pid;
		bool ok = false;
		memcpy(&pid, v.mv_data, sizeof pid);
		snprintf(key, sizeof key, "%.*s", (int)k.mv_size, (const char *)k.mv_data);
		if (person_read(ck->txn, ck->d, pid, &p, NULL) == 0) {
			person_record_keys(&p, &keys);
			if (what == 2) {
				const unsigned char *b = k.mv_data;
				ok = k.mv_size == 4 &&
				    ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				        (uint32_t)b[2] << 8 | b[3]) == p.n_cases;
			} else if (what == 0) {
				for (size_t i = 0; i < keys.n && !ok; i++)
					ok = strcmp(keys.items[i], key) == 0;
			} else {
				for (size_t i = 0; i < keys.n; i++)
					person_key_parts(keys.items[i], &parts);
				for (size_t i = 0; i < parts.n && !ok; i++)
					ok = strcmp(parts.items[i], key) == 0;
			}
		}
		if (!ok)
			problem(ck, _("people: a stray index entry for person %llu (%s)"),
			    (unsigned long long)pid, what == 2 ? _("case count") : key);
		person_record_free(&p);
		strlist_free(&keys);
		strlist_free(&parts);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_person_check(struct store *st, MDB_txn *txn, void (*report)(const char *line, void *ctx),
    void *ctx, uint64_t *persons, uint64_t *problems)
{
	struct pcheck ck = {st, txn, &st->pdb, report, ctx, 0};
	int rc;

	*persons = 0;
	*problems = 0;
	if (!st->pdb.built)
		return 0;
	if ((rc = check_cases(&ck)) == 0 && (rc = check_lists(&ck)) == 0 &&
	    (rc = person_blocks_check(txn, &st->pdb, block_problem, &ck)) == 0 &&
	    (rc = person_years_check(txn, &st->pdb, year_problem, &ck)) == 0 &&
	    (rc = check_persons(&ck, persons)) == 0 &&
	    (rc = check_index(&ck, st->pdb.key, 0)) == 0 &&
	    (rc = check_index(&ck, st->pdb.part, 1)) == 0)
		rc = check_index(&ck, st->pdb.count, 2);
	*problems = ck.problems;
	return rc;
}
