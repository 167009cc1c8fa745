/* form.c — the add/edit form over every field of DESIGN.md §1: its model
 * (the rows, the values being typed and their checks) and its key loop.
 * Text fields are edited in place and checked with case_set_field as they
 * are typed; vocabulary fields come from pick lists; measures and injuries
 * are lists with their own sub-fields. Drawing and the pick lists are in
 * form_draw.c, the $EDITOR round trip for notes in form_editor.c, saving
 * and the rebase after a conflict in form_save.c. Nothing is saved until
 * the whole case is valid; a save over someone else's change is refused by
 * the store and the user's input stays in the form. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "datefmt.h"
#include "merge.h"
#include "store_trash.h"
#include "util.h"

/* The exam chooser lists {not said, yes, no}; the model stores -1, 1, 0. Convert
 * through these two functions only, never by arithmetic on the value. */
const char *const form_exam_labels[3] = {N_("not said"), N_("yes"), N_("no")};
static const int form_exam_values[3] = {-1, 1, 0};

int form_exam_choice(int exam)
{
	for (int i = 0; i < 3; i++)
		if (form_exam_values[i] == exam)
			return i;
	return 0;
}

/* Fields edited as one line of text (or, for notes, through $EDITOR). */
bool form_is_text_field(int fl)
{
	int k = case_fields[fl].kind;
	return case_fields[fl].user_set &&
	    (k == KIND_TEXT || k == KIND_LIST || k == KIND_NUMBER || k == KIND_DATE);
}

bool form_is_vocab_field(int fl)
{
	return case_fields[fl].user_set && case_fields[fl].kind == KIND_VOCAB;
}

int *form_field_int(struct case_record *c, int fl)
{
	return (int *)((char *)c + case_fields[fl].off);
}

static void *list_item(const struct flist *l, size_t i)
{
	return l->items + i * l->d->size;
}

/* The value of an int part (the type, the exam) of item i. */
int *form_part_int(const struct flist *l, size_t i, int part)
{
	return (int *)((char *)list_item(l, i) + l->d->parts[part].off);
}

/* ---- Items ------------------------------------------------------------- */

static void item(struct form *f, struct fitem it)
{
	f->items = xreallocarray(f->items, f->nitems + 1, sizeof *f->items);
	f->items[f->nitems++] = it;
}

static void items_build_list(struct form *f, int li)
{
	const struct flist *l = &f->lists[li];

	for (size_t i = 0; i < l->n; i++) {
		item(f, (struct fitem){FK_TYPE, 0, li, i, 0});
		for (int p = 1; p < l->d->nparts; p++)
			item(f,
			    (struct fitem){l->d->parts[p].kind == KIND_YESNO ? FK_YESNO : FK_PART,
			        0, li, i, p});
	}
	item(f, (struct fitem){FK_ADD, 0, li, 0, 0});
}

/* The rows in field order: fields, then each measure or injury with its parts. */
void form_items_build(struct form *f)
{
	f->nitems = 0;
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (case_field_items(fl))
			items_build_list(f, fl == f->lists[0].field ? 0 : 1);
		else if (form_is_vocab_field(fl))
			item(f, (struct fitem){FK_VOCAB, fl, 0, 0, 0});
		else if (form_is_text_field(fl))
			item(f,
			    (struct fitem){fl == FIELD_NOTES ? FK_NOTES : FK_TEXT, fl, 0, 0, 0});
	}
	if (f->cur >= (int)f->nitems)
		f->cur = (int)f->nitems - 1;
}

struct wline *form_item_line(struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES:
		return &f->text[it->field];
	case FK_PART:
		return &f->lists[it->list].sub[it->idx][it->part];
	default:
		return NULL;
	}
}

char **form_item_err(struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES:
		return &f->err[it->field];
	case FK_PART:
		return &f->lists[it->list].err[it->idx][it->part];
	default:
		return NULL;
	}
}

bool form_has_newline(const struct wline *l)
{
	return wmemchr(l->s, L'\n', l->len) != NULL;
}

/* ---- Values and validation ------------------------------------------------ */

char *form_list_text(const struct flist *l)
{
	return item_list_format(l->d, l->items, l->n);
}

static void set_err(char **slot, int rc, const struct cb_err *err)
{
	free(*slot);
	*slot = rc ? xstrdup(err->msg) : NULL;
}

/* Checks one item; its message is shown under it. A valid part goes into
 * the model item at once. */
void form_validate(struct form *f, const struct fitem *it)
{
	struct cb_err err = {0};
	struct case_record scratch;
	char *s;
	int rc;

	switch (it->kind) {
	case FK_TEXT:
	case FK_NOTES:
		s = wline_utf8(&f->text[it->field]);
		case_init(&scratch);
		rc = case_set_field(&scratch, it->field, s, false, &err);
		case_free(&scratch);
		set_err(&f->err[it->field], rc, &err);
		free(s);
		break;
	case FK_PART: {
		struct flist *l = &f->lists[it->list];
		s = wline_utf8(&l->sub[it->idx][it->part]);
		rc = item_set_part(l->d, list_item(l, it->idx), it->part, s, &err);
		set_err(&l->err[it->idx][it->part], rc, &err);
		free(s);
		break;
	}
	default:
		break;
	}
}

/* An ISO date's text in the form the user reads dates in (datefmt.h);
 * anything else as it is. The form takes either form back. */
static const char *shown_date(const char *iso)
{
	static char buf[DATEFMT_BUFSZ];
	struct pdate d;

	if (!iso || !*iso || datefmt_parse(iso, &d, NULL) != 0)
		return iso;
	return datefmt_show(d, buf);
}

/* Appends an item to list l: a copy of src, or (src NULL) a new one of type 0. */
void form_list_push(struct flist *l, const void *src)
{
	size_t i = l->n++;

	l->items = xreallocarray(l->items, l->n, l->d->size);
	l->sub = xreallocarray(l->sub, l->n, sizeof *l->sub);
	l->err = xreallocarray(l->err, l->n, sizeof *l->err);
	memset(l->sub[i], 0, sizeof l->sub[i]);
	memset(l->err[i], 0, sizeof l->err[i]);
	if (src)
		item_copy(l->d, list_item(l, i), src);
	else
		item_init(l->d, list_item(l, i));
	for (int p = 1; p < l->d->nparts; p++) {
		char *v = item_get_part(l->d, list_item(l, i), p);
		wline_set(&l->sub[i][p], l->d->parts[p].kind == KIND_DATE ? shown_date(v) : v);
		free(v);
	}
}

/* Removes item i of list l. */
void form_list_remove(struct flist *l, size_t i)
{
	item_free(l->d, list_item(l, i));
	for (int p = 0; p < MAX_PARTS; p++) {
		free(l->sub[i][p].s);
		free(l->err[i][p]);
	}
	size_t rest = l->n - i - 1;
	memmove(list_item(l, i), list_item(l, i + 1), rest * l->d->size);
	memmove(&l->sub[i], &l->sub[i + 1], rest * sizeof *l->sub);
	memmove(&l->err[i], &l->err[i + 1], rest * sizeof *l->err);
	l->n--;
}

/* Replaces list l with the items of record c. */
void form_list_load(struct flist *l, const struct case_record *c)
{
	size_t n;
	const unsigned char *src = case_items(c, l->field, &n);

	while (l->n)
		form_list_remove(l, l->n - 1);
	for (size_t i = 0; i < n; i++)
		form_list_push(l, src + i * l->d->size);
	free(l->orig);
	l->orig = form_list_text(l);
}

char *form_field_text(const struct case_record *c, int fl)
{
	char *v = case_get_field(c, fl);

	if (case_fields[fl].kind == KIND_DATE) {
		char *shown = xstrdup(shown_date(v));
		free(v);
		v = shown;
	}
	return v;
}

static void form_load(struct form *f, const struct case_record *c)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (form_is_text_field(fl)) {
			char *v = form_field_text(c, fl);
			wline_set(&f->text[fl], v);
			f->orig[fl] = v;
		} else if (form_is_vocab_field(fl)) {
			f->vocab[fl] = *form_field_int((struct case_record *)c, fl);
		}
	}
	memcpy(f->vocab_orig, f->vocab, sizeof f->vocab);
	f->lists[0] = (struct flist){.field = FIELD_MEASURES, .d = &item_measure};
	f->lists[1] = (struct flist){.field = FIELD_INJURIES, .d = &item_injury};
	for (int li = 0; li < 2; li++)
		form_list_load(&f->lists[li], c);
}

void form_teardown(struct form *f)
{
	for (int i = 0; i < FIELD__COUNT; i++) {
		free(f->text[i].s);
		free(f->orig[i]);
		free(f->err[i]);
	}
	for (int li = 0; li < 2; li++) {
		struct flist *l = &f->lists[li];
		while (l->n)
			form_list_remove(l, l->n - 1);
		free(l->items);
		free(l->sub);
		free(l->err);
		free(l->orig);
	}
	free(f->items);
	case_free(&f->base);
	form_place_free(f);
	buf_free(&f->draft_last);
	if (f->w)
		delwin(f->w);
}

void form_setup(struct form *f, struct tui *t, const struct case_record *base)
{
	memset(f, 0, sizeof *f);
	f->t = t;
	f->id = base->id;
	f->rev = base->rev;
	case_init(&f->base);
	case_copy(&f->base, base);
	form_load(f, &f->base);
	form_items_build(f);
}

bool form_part_is_line(const struct flist *l, int p)
{
	return p > 0 && l->d->parts[p].kind != KIND_YESNO;
}

bool form_text_changed(struct form *f, int fl)
{
	char *s = wline_utf8(&f->text[fl]);
	bool ch = strcmp(s, str_or_empty(f->orig[fl])) != 0;
	free(s);
	return ch;
}

/* True when the list differs from its original, or a part holds text
 * that was refused (and so is not in the model yet). */
bool form_list_changed(const struct flist *l)
{
	char *s = form_list_text(l);
	bool ch = strcmp(s, str_or_empty(l->orig)) != 0;
	free(s);
	for (size_t i = 0; i < l->n && !ch; i++)
		for (int p = 0; p < MAX_PARTS && !ch; p++)
			ch = l->err[i][p] != NULL;
	return ch;
}

bool form_dirty(struct form *f)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (form_is_text_field(fl) && form_text_changed(f, fl))
			return true;
		if (form_is_vocab_field(fl) && f->vocab[fl] != f->vocab_orig[fl])
			return true;
	}
	return form_list_changed(&f->lists[0]) || form_list_changed(&f->lists[1]);
}

/* ---- The loop ---------------------------------------------------------------- */

/* Adds a measure or an injury of a type the user picks (typed: what was
 * typed on the add row, the chooser's type-ahead), and moves onto its
 * first part. */
static void add_item(struct form *f, int li, const char *typed)
{
	struct flist *l = &f->lists[li];
	int type = form_pick_vocab(f, l->d->parts[0].vocab, 0, typed);

	if (type < 0)
		return;
	form_list_push(l, NULL);
	*form_part_int(l, l->n - 1, 0) = type;
	form_items_build(f);
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].kind == FK_PART && f->items[i].list == li &&
		    f->items[i].idx == l->n - 1) {
			f->cur = (int)i;
			break;
		}
}

static void remove_item(struct form *f)
{
	const struct fitem *it = &f->items[f->cur];

	if (it->kind != FK_TYPE && it->kind != FK_PART && it->kind != FK_YESNO) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("^X removes a measure or an injury: move onto one first."));
		f->msg_role = ROLE_STATUS;
		return;
	}
	form_list_remove(&f->lists[it->list], it->idx);
	form_items_build(f);
}

/* The vocabulary and value slot of a choice row (field, type), or NULL. */
static const struct vocab *choice_slot(struct form *f, const struct fitem *it, int **slot)
{
	if (it->kind == FK_VOCAB) {
		*slot = &f->vocab[it->field];
		return case_fields[it->field].vocab;
	}
	if (it->kind == FK_TYPE) {
		*slot = form_part_int(&f->lists[it->list], it->idx, 0);
		return f->lists[it->list].d->parts[0].vocab;
	}
	return NULL;
}

/* Entry i of the pick list of a choice row (a vocabulary, a type, the
 * exam), as the pick list shows and sets it (tui.h). */
void form_choose(struct form *f, const struct fitem *it, int i)
{
	int *slot;

	if (choice_slot(f, it, &slot))
		*slot = i;
	else if (it->kind == FK_YESNO)
		*form_part_int(&f->lists[it->list], it->idx, it->part) = form_exam_values[i];
}

const char *form_choice_label(const struct form *f, const struct fitem *it, int i)
{
	int *slot;
	const struct vocab *v = choice_slot((struct form *)f, it, &slot);

	if (v)
		return vocab_label(v, i);
	return it->kind == FK_YESNO ? _(form_exam_labels[i]) : "";
}

/* The chooser of a choice row that has one (a vocabulary, a type, the
 * exam; labels: room for the exam's three), or false. */
static bool choice_of(struct form *f, const struct fitem *it, struct form_choice *c,
    const char *labels[3])
{
	int *slot;
	const struct vocab *v = choice_slot(f, it, &slot);

	if (v) {
		*c = (struct form_choice){.v = v, .n = v->count, .cur = *slot};
		return true;
	}
	if (it->kind != FK_YESNO)
		return false;
	for (int i = 0; i < 3; i++)
		labels[i] = form_choice_label(f, it, i);
	*c = (struct form_choice){_("Forensic or medical exam"), NULL, labels, form_exam_labels, 3,
	    form_exam_choice(*form_part_int(&f->lists[it->list], it->idx, it->part)), NULL};
	return true;
}

/* Enter or F4 on a choice item, or (typed not NULL) a letter typed on it. */
static void choose(struct form *f, const char *typed)
{
	struct fitem *it = &f->items[f->cur];
	struct form_choice c;
	const char *labels[3];
	int r;

	if (choice_of(f, it, &c, labels)) {
		c.typed = typed;
		r = c.v ? form_pick_vocab(f, c.v, c.cur, typed) : form_pick(f, &c);
		if (r >= 0)
			form_choose(f, it, r);
		return;
	}
	switch (it->kind) {
	case FK_ADD:
		add_item(f, it->list, typed);
		break;
	case FK_NOTES:
		form_edit_notes(f);
		break;
	default:
		break;
	}
}

/* A printable key typed on a choice row (it is not edited in place): the
 * row's chooser opens narrowed to what the key starts; a key that starts
 * nothing there, and Space, say so instead of being dropped. */
static void choice_typed(struct form *f, int key)
{
	const struct fitem *it = &f->items[f->cur];
	struct form_choice c;
	const char *labels[3];
	char typed[8] = "";
	mbstate_t ps = {0};
	size_t n = wcrtomb(typed, (wchar_t)key, &ps);
	bool any = false;

	if (n == (size_t)-1)
		n = 0;
	typed[n] = '\0';
	if (it->kind == FK_NOTES) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("These notes have several lines: Enter or ^E edits them in $EDITOR."));
		f->msg_role = ROLE_STATUS;
		return;
	}
	if (key == ' ') {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("Space does not change a choice: type the start of a term, or Enter or F4 "
		      "for the list, Left and Right for the next."));
		f->msg_role = ROLE_STATUS;
		return;
	}
	if (it->kind == FK_ADD) {
		const struct vocab *v = f->lists[it->list].d->parts[0].vocab;
		c = (struct form_choice){.v = v, .n = v->count};
	} else if (!choice_of(f, it, &c, labels)) {
		return;
	}
	for (int i = 0; i < c.n && !any; i++)
		any = form_choice_fits(&c, i, typed);
	if (!any) {
		char *clean = text_sanitize(typed, 0);
		snprintf(f->msg, sizeof f->msg,
		    _("No %s starts with \"%s\": type the start of a term in any language, or "
		      "Enter for the list."),
		    c.v ? _(c.v->name) : _("answer"), clean);
		free(clean);
		f->msg_role = ROLE_ERROR;
		return;
	}
	choose(f, typed);
}

static bool is_choice(const struct form *f, const struct fitem *it)
{
	if (it->kind == FK_NOTES)
		return form_has_newline(&f->text[FIELD_NOTES]);
	return it->kind != FK_TEXT && it->kind != FK_PART;
}

/* Moves a choice item (a vocabulary, a type, the exam) d steps (Left -1,
 * Right +1) through its values, round the end. */
static void step_choice(struct form *f, const struct fitem *it, int d)
{
	int *slot;
	const struct vocab *v = choice_slot(f, it, &slot);

	if (v) {
		*slot = (*slot + d + v->count) % v->count;
	} else if (it->kind == FK_YESNO) {
		int *exam = form_part_int(&f->lists[it->list], it->idx, it->part);
		*exam = form_exam_values[(form_exam_choice(*exam) + d + 3) % 3];
	}
}

/* Does action a (read as key) on the current item. True when the form
 * closes: *saved is then the id saved, or 0 (discarded). */
static bool form_act(struct form *f, int a, int key, uint64_t *saved)
{
	struct fitem *it = &f->items[f->cur];
	struct wline *l = form_item_line(f, it);

	if ((a == ACT_NEXT_FIELD || a == ACT_PREV_FIELD) && it->kind == FK_TEXT &&
	    it->field == FIELD_CITY)
		form_city_left(f);
	switch (a) {
	case ACT_NEXT_FIELD:
		if (l)
			form_validate(f, it);
		if (f->cur + 1 < (int)f->nitems)
			f->cur++;
		break;
	case ACT_PREV_FIELD:
		if (l)
			form_validate(f, it);
		if (f->cur > 0)
			f->cur--;
		break;
	case ACT_PGDN:
		f->cur = f->cur + 10 < (int)f->nitems ? f->cur + 10 : (int)f->nitems - 1;
		break;
	case ACT_PGUP:
		f->cur = f->cur > 10 ? f->cur - 10 : 0;
		break;
	case ACT_PICK:
		choose(f, NULL);
		break;
	case ACT_EDITOR:
		form_edit_notes(f);
		break;
	case ACT_REMOVE_ITEM:
		remove_item(f);
		break;
	case ACT_SAVE:
		*saved = form_save(f);
		return *saved != 0 || f->discarded;
	case ACT_BACK:
		if (!form_dirty(f) ||
		    tui_confirm_over(f->t, _("Discard your changes?"), form_repaint, f))
			return true;
		break;
	default:
		if (key == '?')
			help_show(f->t);
		break;
	}
	return false;
}

/* The form's key loop: the saved id, or 0 when it closed without saving
 * (or a quit signal ended it: t->quit). */
static uint64_t form_loop(struct form *f)
{
	struct tui *t = f->t;
	uint64_t saved = 0;

	while (!t->quit) {
		int key;
		if (form_key(f, &key) == ERR)
			break;
		struct fitem *it = &f->items[f->cur];
		struct wline *l = form_item_line(f, it);
		int a = keys_action(KC_FORM, key);
		bool choice = is_choice(f, it);
		f->msg[0] = '\0';
		/* Right after the form offered a possible duplicate, o shows that
		 * person (the key, as everywhere, for "other cases"). */
		uint64_t dup = f->dup_person;
		f->dup_person = 0;
		if (dup && keys_action(KC_GLOBAL, key) == ACT_PERSON) {
			tui_person_view(t, dup);
			continue;
		}
		/* F1 shows the help from every field, as the help says. */
		if (key == KF(KEY_F(1))) {
			help_show(t);
			continue;
		}

		bool city = it->kind == FK_TEXT && it->field == FIELD_CITY;
		if (city && a == ACT_COMPLETE && form_city_accept(f)) {
			form_validate(f, it);
			continue;
		}
		/* Text items take printable keys (space included) and editing keys. */
		if (!choice && l && a != ACT_SAVE && a != ACT_BACK && a != ACT_NEXT_FIELD &&
		    a != ACT_PREV_FIELD && a != ACT_PGUP && a != ACT_PGDN && a != ACT_EDITOR &&
		    a != ACT_REMOVE_ITEM) {
			if (wline_key(l, key)) {
				form_validate(f, it);
				if (city)
					form_city_typed(f);
			}
			continue;
		}
		if (choice && (key == '\r' || key == '\n' || key == KF(KEY_ENTER)))
			a = ACT_PICK;
		/* Letters on a choice open its chooser narrowed to them; '?' is
		 * the help, as on every screen. */
		if (choice && a == ACT_NONE && key != '?' && !(key & 0x40000000) && key >= 0x20 &&
		    iswprint((wint_t)key)) {
			choice_typed(f, key);
			continue;
		}
		if (choice && it->kind != FK_NOTES &&
		    (key == KF(KEY_LEFT) || key == KF(KEY_RIGHT))) {
			step_choice(f, it, key == KF(KEY_RIGHT) ? 1 : -1);
			continue;
		}
		if (form_act(f, a, key, &saved))
			break;
	}
	return saved;
}

/* Runs the set-up form f and frees it. A quit signal leaves its draft
 * written; a save or a discard removes it. */
static uint64_t form_finish(struct form *f)
{
	struct tui *t = f->t;
	uint64_t saved = form_loop(f);

	if (t->quit && !saved)
		form_draft_tick(f, true);
	else
		form_draft_drop(f);
	if (saved && f->note[0])
		tui_message(t, ROLE_STATUS, "%s", f->note);
	else if (saved)
		tui_message(t, ROLE_STATUS,
		    saved == f->id ? _("Saved case %llu.") : _("Added case %llu."),
		    (unsigned long long)saved);
	form_teardown(f);
	tui_touch(t);
	return saved;
}

uint64_t form_run(struct tui *t, uint64_t id)
{
	struct form f;
	struct case_record base;
	struct cb_err err = {0};

	if (id && store_get(t->st, id, &base, &err)) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		case_free(&base);
		return 0;
	}
	if (!id)
		case_init(&base);
	form_setup(&f, t, &base);
	case_free(&base);
	form_draft_init(&f);
	return form_finish(&f);
}

/* The case a draft of case id edits, at the revision it started from:
 * rebuilt from the log when the case changed since (so the save merges
 * three ways), from the trash when it was deleted meanwhile (so the save
 * offers a restore). */
static int draft_base(struct tui *t, const struct draft *d, struct case_record *base,
    struct cb_err *err)
{
	struct trash_entry e;
	int rc = merge_base_at(t->st, d->case_id, d->base_rev, base, err);

	if (rc == CB_EINVAL) {
		case_free(base);
		rc = store_get(t->st, d->case_id, base, err);
	}
	if (rc != CB_ENOTFOUND)
		return rc;
	case_free(base);
	if (store_trash_get(t->st, d->case_id, &e, NULL) != 0) {
		trash_entry_free(&e);
		/* Purged: the draft can still be saved as a new case. */
		case_init(base);
		base->id = d->case_id;
		base->rev = d->base_rev;
		return 0;
	}
	*base = e.c;
	return 0;
}

uint64_t form_run_draft(struct tui *t, const struct draft *d)
{
	struct form f;
	struct case_record base;
	struct cb_err err = {0};

	if (!d->case_id)
		case_init(&base);
	else if (draft_base(t, d, &base, &err) != 0) {
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		case_free(&base);
		return 0;
	}
	form_setup(&f, t, &base);
	case_free(&base);
	form_draft_init(&f);
	f.rev = d->base_rev;
	f.draft_token = d->token;
	f.draft_case = d->case_id;
	f.draft_resumed = true;
	form_draft_apply(&f, d);
	return form_finish(&f);
}
