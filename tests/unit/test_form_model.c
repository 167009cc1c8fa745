/* test_form_model.c — the form's round trip over every field: each field
 * and each part of a measure and an injury is set through the form's own
 * model (the text a row holds, the index a pick list returns, as the keys
 * set them) to each of its values — every vocabulary term, yes / no / not
 * said, a value and empty — saved, compared with the case as `casebook
 * show --json` writes it, and reopened in the form, whose row must show
 * what was chosen. (The form once stored the exam answer inverted.) No
 * terminal is needed: the model never draws. */
#include "unit.h"

#include <jansson.h>

#include "casejson.h"
#include "store.h"
#include "tui/tui.h"

struct fx {
	char *dir;
	struct store *st;
	uint64_t id;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	struct cb_err err;
	char path[4200];
	struct case_record c;

	x->dir = unit_tmpdir();
	snprintf(path, sizeof path, "%s/db", x->dir);
	if (store_open(&x->st, path, NULL, &err) != 0)
		return -1;
	case_init(&c);
	case_assign(&c, "name=Round Trip", &err);
	if (store_add(x->st, &c, &err) != 0)
		return -1;
	x->id = c.id;
	case_free(&c);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->st);
	unit_rmdir(x->dir);
	free(x);
	return 0;
}

/* The row of field fl (or of part `part` of item 0 of list li when fl < 0). */
static const struct fitem *row(struct form *f, int fl, int li, int part)
{
	for (size_t i = 0; i < f->nitems; i++) {
		const struct fitem *it = &f->items[i];
		if (fl >= 0 &&
		    (it->kind == FK_TEXT || it->kind == FK_NOTES || it->kind == FK_VOCAB) &&
		    it->field == fl)
			return it;
		if (fl < 0 &&
		    (it->kind == FK_TYPE || it->kind == FK_PART || it->kind == FK_YESNO) &&
		    it->list == li && it->idx == 0 && it->part == part)
			return it;
	}
	fail_msg("no row for field %d list %d part %d", fl, li, part);
	return NULL;
}

/* Opens the stored case in a form (the model only). */
static void open_form(struct fx *x, struct form *f)
{
	struct case_record c;
	struct cb_err err;
	assert_int_equal(store_get(x->st, x->id, &c, &err), 0);
	form_setup(f, NULL, &c);
	case_free(&c);
}

/* Saves the form as ^S does and returns the stored case as JSON. */
static json_t *save(struct fx *x, struct form *f)
{
	struct case_record rec, back;
	struct cb_err err = {0};

	case_init(&rec);
	if (form_build_record(f, &rec, &err) != 0)
		fail_msg("not saved: %s", err.msg);
	assert_int_equal(store_update(x->st, &rec, f->rev, &err), 0);
	case_free(&rec);
	assert_int_equal(store_get(x->st, x->id, &back, &err), 0);
	json_t *j = casejson_from_case(&back);
	case_free(&back);
	return j;
}

/* The text form of JSON value v ("" when NULL). */
static char *text_of(json_t *v)
{
	if (!v)
		return xstrdup("");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* What the reopened form's row shows, compared with want. */
static void assert_shows(struct fx *x, int fl, int li, int part, const char *want)
{
	struct form f;
	open_form(x, &f);
	const struct fitem *it = row(&f, fl, li, part);
	struct wline *l = form_item_line(&f, it);
	char *v = l && it->kind != FK_NOTES ? wline_utf8(l) : form_item_value(&f, it);
	if (!strstr(v, want))
		fail_msg("field %d part %d: the form shows \"%s\", wanted \"%s\"", fl, part, v,
		    want);
	free(v);
	form_teardown(&f);
}

/* A sample value of each text field kind, and empty. */
static const char *sample(int fl)
{
	switch (case_fields[fl].kind) {
	case KIND_NUMBER:
		return "1987";
	case KIND_DATE:
		return fl == FIELD_HEARING ? "2021-06-10" : "2021-05";
	case KIND_LIST:
		return "первый|second";
	default:
		return fl == FIELD_NOTES ? "Заметка, строка" : "Текст «поля»";
	}
}

static void test_text_fields(void **state)
{
	struct fx *x = *state;

	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (!form_is_text_field(fl))
			continue;
		for (int k = 0; k < 2; k++) {
			const char *v = k == 0 ? sample(fl) : (fl == FIELD_NAME ? "N" : "");
			struct form f;
			open_form(x, &f);
			const struct fitem *it = row(&f, fl, 0, 0);
			wline_set(form_item_line(&f, it), v);
			form_validate(&f, it);
			json_t *j = save(x, &f);
			form_teardown(&f);
			json_t *got = json_object_get(j, case_fields[fl].name);
			char *s = text_of(got);
			/* Lists come back as JSON arrays; compare their CSV form. */
			if (json_is_array(got)) {
				free(s);
				struct buf b = {0};
				for (size_t i = 0; i < json_array_size(got); i++) {
					if (i)
						buf_putc(&b, '|');
					buf_puts(&b, json_string_value(json_array_get(got, i)));
				}
				s = xstrdup(buf_cstr(&b));
				buf_free(&b);
			}
			if (strcmp(s, v) != 0)
				fail_msg("%s: saved \"%s\", show --json says \"%s\"",
				    case_fields[fl].name, v, s);
			free(s);
			json_decref(j);
			if (*v)
				assert_shows(x, fl, 0, 0, v);
		}
	}
}

static void test_vocab_fields(void **state)
{
	struct fx *x = *state;

	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (!form_is_vocab_field(fl))
			continue;
		const struct vocab *v = case_fields[fl].vocab;
		for (int i = 0; i < v->count; i++) {
			struct form f;
			open_form(x, &f);
			const struct fitem *it = row(&f, fl, 0, 0);
			/* The pick list shows the term's label at index i. */
			assert_string_equal(form_choice_label(&f, it, i), vocab_label(v, i));
			form_choose(&f, it, i);
			json_t *j = save(x, &f);
			form_teardown(&f);
			assert_string_equal(json_string_value(
			                        json_object_get(j, case_fields[fl].name)),
			    vocab_key(v, i));
			json_decref(j);
			assert_shows(x, fl, 0, 0, vocab_label(v, i));
		}
	}
}

/* Gives the stored case one item of list li (of its type 0) through the form. */
static void add_item(struct fx *x, int li)
{
	struct form f;
	open_form(x, &f);
	while (f.lists[li].n)
		form_list_remove(&f.lists[li], f.lists[li].n - 1);
	form_list_push(&f.lists[li], NULL);
	form_items_build(&f);
	json_decref(save(x, &f));
	form_teardown(&f);
}

/* The value of part `part` of the first item of list li in JSON j. */
static json_t *part_of(json_t *j, int li, const char *part)
{
	json_t *items = json_object_get(j, li == 0 ? "measures" : "injuries");
	return json_object_get(json_array_get(items, 0), part);
}

static void test_item_parts(void **state)
{
	struct fx *x = *state;
	static const char *const text_samples[] = {"15", "100 MRP", "2021-04-26", "KoAP 488 part 6",
	    "Алмалинский суд", "neck", "со слов"};

	for (int li = 0; li < 2; li++) {
		add_item(x, li);
		struct form f0;
		open_form(x, &f0);
		const struct item_def *d = f0.lists[li].d;
		form_teardown(&f0);
		for (int p = 0; p < d->nparts; p++) {
			const struct part_def *pd = &d->parts[p];
			int nvals = pd->kind == KIND_VOCAB ? pd->vocab->count
			    : pd->kind == KIND_YESNO       ? 3
			                                   : 2;
			for (int i = 0; i < nvals; i++) {
				struct form f;
				open_form(x, &f);
				const struct fitem *it = row(&f, -1, li, p);
				const char *want_show = NULL, *want_text = NULL;
				char numbuf[64];
				if (pd->kind == KIND_VOCAB || pd->kind == KIND_YESNO) {
					want_show = form_choice_label(&f, it, i);
					form_choose(&f, it, i);
				} else {
					/* A value of the part's kind, then empty. */
					const char *s = "";
					if (i == 0) {
						s = pd->kind == KIND_NUMBER ? "15"
						    : pd->kind == KIND_DATE
						    ? "2021-04-26"
						    : text_samples[(li * 3 + p) % 7];
					}
					snprintf(numbuf, sizeof numbuf, "%s", s);
					wline_set(form_item_line(&f, it), numbuf);
					form_validate(&f, it);
					want_text = numbuf;
					want_show = numbuf;
				}
				json_t *j = save(x, &f);
				form_teardown(&f);
				json_t *got = part_of(j, li, pd->name);
				if (pd->kind == KIND_VOCAB) {
					assert_string_equal(json_string_value(got),
					    vocab_key(pd->vocab, i));
				} else if (pd->kind == KIND_YESNO) {
					/* The label chosen is the answer stored: yes is true, no
					 * false, not said absent. */
					const char *label = form_exam_labels[i];
					if (strcmp(label, "yes") == 0)
						assert_true(json_is_true(got));
					else if (strcmp(label, "no") == 0)
						assert_true(json_is_false(got));
					else
						assert_null(got);
				} else {
					char *s = text_of(got);
					if (strcmp(s, want_text) != 0)
						fail_msg("%s %s: saved \"%s\", show --json says "
						         "\"%s\"",
						    d->name, pd->name, want_text, s);
					free(s);
				}
				json_decref(j);
				if (*want_show)
					assert_shows(x, -1, li, p, want_show);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vocab_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_item_parts, setup, teardown),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
