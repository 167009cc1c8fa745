/* test_audit.c — audit entries: the field diff, revert (undo) back to the
 * old case, the version-2 encoding and its hash, the undo target, and the
 * line people read. */
#include "unit.h"

#include "audit.h"
#include "casejson.h"
#include "util.h"

static const char *const base[][2] = {
    {"name", "Нинагуль Джуманиязова"},
    {"city", "Алматы"},
    {"lawyer", "Адвокат А"},
    {"status", "open"},
    {"measures", "admin_arrest:days=15|fine:fine=100 MRP"},
    {"injuries", "bruise:exam=no|burn"},
    {"aliases", "Нинагүл"},
};

static const char *const changed[][2] = {
    {"name", "Нинагуль Джуманиязова"},
    {"lawyer", "Адвокат Б"},
    {"status", "in_court"},
    {"measures", "admin_arrest:days=20|fine:fine=100 MRP|detention"},
    {"injuries", "bruise:exam=yes"},
    {"aliases", "Нинагүл|N"},
    {"notes", "новое"},
};

/* The case as JSON text without bookkeeping fields, to compare cases. */
static char *shape(const struct case_record *c)
{
	json_t *o = casejson_from_case(c);
	json_object_del(o, "id");
	json_object_del(o, "rev");
	json_object_del(o, "created");
	json_object_del(o, "updated");
	json_object_del(o, "updated_by");
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static const struct audit_change *find(const struct audit_change *ch, size_t n, const char *field,
    uint32_t item)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ch[i].field, field) == 0 && ch[i].item == item)
			return &ch[i];
	return NULL;
}

static void test_diff_and_revert(void **state)
{
	struct case_record a, b;
	struct audit_change *ch;
	struct cb_err err = {0};
	size_t n;

	(void)state;
	unit_case_fill(&a, base, sizeof base / sizeof base[0]);
	unit_case_fill(&b, changed, sizeof changed / sizeof changed[0]);
	audit_diff(&a, &b, &ch, &n);
	const struct audit_change *c = find(ch, n, "lawyer", 0);
	assert_non_null(c);
	assert_string_equal(c->old_json, "\"Адвокат А\"");
	assert_string_equal(c->new_json, "\"Адвокат Б\"");
	c = find(ch, n, "city", 0);
	assert_non_null(c);
	assert_null(c->new_json);
	c = find(ch, n, "notes", 0);
	assert_non_null(c);
	assert_null(c->old_json);
	/* Items: 1 changed, 2 the same (not listed), 3 added; injury 2 removed. */
	assert_non_null(find(ch, n, "measures", 1));
	assert_null(find(ch, n, "measures", 2));
	c = find(ch, n, "measures", 3);
	assert_non_null(c);
	assert_null(c->old_json);
	c = find(ch, n, "injuries", 2);
	assert_non_null(c);
	assert_null(c->new_json);
	assert_null(find(ch, n, "name", 0));
	assert_null(find(ch, n, "updated", 0));

	/* Reverting the entry turns the new case back into the old one. */
	struct audit_entry e = {.version = AUDIT_V2,
	    .action = AUDIT_UPDATE,
	    .changes = ch,
	    .n_changes = n};
	assert_int_equal(audit_revert(&e, &b, &err), 0);
	char *sa = shape(&a), *sb = shape(&b);
	assert_string_equal(sb, sa);
	free(sa);
	free(sb);

	/* An identical case has no changes. */
	struct audit_change *none;
	size_t nn;
	audit_diff(&a, &b, &none, &nn);
	assert_int_equal(nn, 0);
	audit_changes_free(none, nn);
	audit_changes_free(ch, n);
	case_free(&a);
	case_free(&b);
}

static void test_format(void **state)
{
	struct case_record a, b;
	struct audit_entry e = {.version = AUDIT_V2,
	    .action = AUDIT_UPDATE,
	    .time = 1764615000,
	    .old_rev = 1,
	    .new_rev = 2};

	(void)state;
	snprintf(e.user, sizeof e.user, "aigul");
	unit_case_fill(&a, base, sizeof base / sizeof base[0]);
	unit_case_fill(&b, base, sizeof base / sizeof base[0]);
	struct cb_err err = {0};
	assert_int_equal(case_set_field(&b, case_field_find("lawyer"), "Адвокат Б", true, &err), 0);
	assert_int_equal(case_set_field(&b, case_field_find("city"), "almaty", true, &err), 0);
	assert_int_equal(case_set_field(&b, case_field_find("injuries"), "bruise:exam=yes|burn",
	                     true, &err),
	    0);
	assert_int_equal(case_set_field(&b, case_field_find("measures"),
	                     "admin_arrest:days=15|fine:fine=100 MRP|admin_arrest:days=3", true,
	                     &err),
	    0);
	audit_diff(&a, &b, &e.changes, &e.n_changes);
	char *line = audit_format(&e);
	assert_non_null(strstr(line, " aigul: "));
	assert_non_null(strstr(line, "lawyer «Адвокат А» → «Адвокат Б»"));
	assert_non_null(strstr(line, "injury 1 exam no → yes"));
	/* Text that happens to look like a term is still shown as text. */
	assert_non_null(strstr(line, "city «Алматы» → «almaty»"));
	assert_non_null(strstr(line, "measure 3 added: admin_arrest:days=3"));
	free(line);
	audit_entry_free(&e);

	/* A version-1 entry shows its revisions, as before. */
	struct audit_entry old = {.version = AUDIT_V1,
	    .action = AUDIT_UPDATE,
	    .old_rev = 1,
	    .new_rev = 2};
	line = audit_format(&old);
	assert_non_null(strstr(line, "changed revision 1 → 2"));
	free(line);
	case_free(&a);
	case_free(&b);
}

static void test_encoding(void **state)
{
	struct case_record a, b;
	struct audit_entry e = {.seq = 9,
	                       .case_id = 4,
	                       .time = 1764615000,
	                       .version = AUDIT_V2,
	                       .action = AUDIT_UNDO,
	                       .old_rev = 3,
	                       .new_rev = 4,
	                       .undoes = 7},
	                   d;
	struct buf out = {0};
	struct cb_err err = {0};
	bool ok;

	(void)state;
	snprintf(e.user, sizeof e.user, "aigul");
	memset(e.prev, 0xab, sizeof e.prev);
	unit_case_fill(&a, base, sizeof base / sizeof base[0]);
	unit_case_fill(&b, changed, sizeof changed / sizeof changed[0]);
	audit_diff(&a, &b, &e.changes, &e.n_changes);
	audit_encode(&e, &out);
	assert_int_equal(audit_decode(out.p, out.len, 4, 9, e.prev, &d, &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(d.version, AUDIT_V2);
	assert_int_equal(d.undoes, 7);
	assert_int_equal(d.new_rev, 4);
	assert_string_equal(d.user, "aigul");
	assert_memory_equal(d.prev, e.prev, AUDIT_HASH_LEN);
	assert_memory_equal(d.hash, e.hash, AUDIT_HASH_LEN);
	assert_int_equal(d.n_changes, e.n_changes);
	for (size_t i = 0; i < d.n_changes; i++)
		assert_string_equal(d.changes[i].field, e.changes[i].field);
	audit_entry_free(&d);

	/* Under another key (moved), the hash no longer matches. */
	assert_int_equal(audit_decode(out.p, out.len, 5, 9, e.prev, &d, &ok, &err), 0);
	assert_false(ok);
	audit_entry_free(&d);
	/* After another entry (the one before it removed), neither. */
	unsigned char other[AUDIT_HASH_LEN];
	memset(other, 0xac, sizeof other);
	assert_int_equal(audit_decode(out.p, out.len, 4, 9, other, &d, &ok, &err), 0);
	assert_false(ok);
	audit_entry_free(&d);

	/* Any one byte changed after the marker is detected: the entry is
	 * either rejected or its hash fails, never accepted. */
	for (size_t i = 4; i < out.len; i++) {
		out.p[i] ^= 0x01;
		int rc = audit_decode(out.p, out.len, 4, 9, e.prev, &d, &ok, &err);
		if (rc == 0) {
			assert_false(ok);
			audit_entry_free(&d);
		}
		out.p[i] ^= 0x01;
	}
	buf_free(&out);
	audit_entry_free(&e);
	case_free(&a);
	case_free(&b);
}

/* What a case still holds of an entry's changes decides a bulk undo. */
static void test_holds(void **state)
{
	struct case_record a, b, c;
	struct audit_entry e = {.version = AUDIT_V2, .action = AUDIT_UPDATE, .case_id = 7};
	struct cb_err err = {0};
	const char *field;

	(void)state;
	unit_case_fill(&a, base, sizeof base / sizeof base[0]);
	unit_case_fill(&b, base, sizeof base / sizeof base[0]);
	assert_int_equal(case_set_field(&b, case_field_find("status"), "in_court", false, &err), 0);
	assert_int_equal(case_set_field(&b, case_field_find("measures"),
	                     "admin_arrest:days=15|fine:fine=100 MRP", false, &err),
	    0);
	audit_diff(&a, &b, &e.changes, &e.n_changes);
	assert_int_equal(audit_holds(&e, &b, &field), AUDIT_HOLDS_NEW);
	assert_int_equal(audit_holds(&e, &a, &field), AUDIT_HOLDS_OLD);
	/* Another field changed since: still the change's values. */
	case_copy(&c, &b);
	assert_int_equal(case_set_field(&c, case_field_find("notes"), "later", false, &err), 0);
	assert_int_equal(audit_holds(&e, &c, &field), AUDIT_HOLDS_NEW);
	/* The status changed again: neither, and the field is named. */
	assert_int_equal(case_set_field(&c, case_field_find("status"), "closed", false, &err), 0);
	assert_int_equal(audit_holds(&e, &c, &field), AUDIT_HOLDS_OTHER);
	assert_string_equal(field, "status");
	case_free(&c);
	case_free(&a);
	case_free(&b);
	audit_entry_free(&e);
}

/* An entry about several cases lists them and reads them back. */
static void test_group(void **state)
{
	struct audit_member m[3] = {{3, 10, 1, 2}, {5, 11, 4, 5}, {9000000000ULL, 12, 1, 2}};
	struct audit_entry e = {.version = AUDIT_V2,
	    .action = AUDIT_BULK,
	    .case_id = AUDIT_MANY,
	    .seq = 13,
	    .time = 1764615000};
	struct audit_member *got;
	struct cb_err err = {0};
	size_t n;

	(void)state;
	snprintf(e.user, sizeof e.user, "aigul");
	audit_group_changes("{\"status\":\"in_court\"}", "city:Almaty", m, 3, &e.changes,
	    &e.n_changes);
	assert_int_equal(audit_group_members(&e, &got, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(got, m, sizeof m);
	free(got);
	char *line = audit_format(&e);
	assert_non_null(strstr(line,
	    "change 13: status → in_court on 3 cases (filter city:Almaty): "
	    "3, 5, 9000000000"));
	free(line);
	/* Encoded, hashed and decoded like any entry. */
	struct buf b = {0};
	struct audit_entry d;
	bool ok;
	audit_encode(&e, &b);
	assert_int_equal(audit_decode(b.p, b.len, AUDIT_MANY, 13, e.prev, &d, &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(audit_group_members(&d, &got, &n, &err), 0);
	assert_int_equal(n, 3);
	free(got);
	audit_entry_free(&d);
	buf_free(&b);
	audit_entry_free(&e);
	/* An entry without its list cannot be undone. */
	struct audit_entry empty = {.version = AUDIT_V2, .action = AUDIT_BULK, .seq = 4};
	assert_int_equal(audit_group_members(&empty, &got, &n, &err), CB_ECORRUPT);
	assert_non_null(strstr(err.msg, "does not list its cases"));
}

static void test_undo_target(void **state)
{
	struct audit_entry h[] = {
	    {.seq = 1, .action = AUDIT_CREATE}, {.seq = 2, .action = AUDIT_UPDATE},
	    {.seq = 5, .action = AUDIT_UPDATE}, {.seq = 6, .action = AUDIT_UNDO, .undoes = 5},
	    {.seq = 8, .action = AUDIT_UPDATE},
	    {.seq = 9, .action = AUDIT_UPDATE, .version = AUDIT_V2}, /* saved, nothing changed */
	};

	(void)state;
	assert_int_equal(audit_undo_target(h, 6), 4);
	h[4].action = AUDIT_UNDO;
	h[4].undoes = 2;
	assert_int_equal(audit_undo_target(h, 5), -1);
	assert_int_equal(audit_undo_target(h, 4), 1);
	assert_int_equal(audit_undo_target(h, 1), -1);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diff_and_revert),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_encoding),
	    cmocka_unit_test(test_undo_target),
	    cmocka_unit_test(test_holds),
	    cmocka_unit_test(test_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
