/* form.c — the add/edit form over every field of DESIGN.md §1. Text fields
 * are edited in place and checked with case_set_field as they are typed;
 * vocabulary fields come from pick lists; measures and injuries are lists
 * with their own sub-fields; notes can go through $EDITOR. Nothing is saved
 * until the whole case is valid; a save over someone else's change is
 * refused by the store and the user's input stays in the form. */
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* The kinds of form rows. A measure or an injury is a type row (FK_TYPE),
 * one row per further part (FK_PART, or FK_YESNO for the exam) and, after
 * the list, a row to add one (FK_ADD). */
enum fkind { FK_TEXT, FK_VOCAB, FK_NOTES, FK_TYPE, FK_PART, FK_YESNO, FK_ADD };

/* Longest item_def in parts (measure: 6). */
#define MAX_PARTS 8

/* Translates a part label, which may carry a gettext context before a
 * \004 (case_items.c marks the parts of a measure so: "fine" there is the
 * amount of a fine, not the measure of that name); untranslated, the text
 * after the context. */
static const char *ctx_text(const char *s)
{
	const char *t = gettext(s), *p;

	if (t != s)
		return t;
	p = strchr(s, '\004');
	return p ? p + 1 : s;
}

/* The exam chooser lists {not said, yes, no}; the model stores -1, 1, 0. Convert
 * through these two functions only, never by arithmetic on the value. */
static const char *const exam_labels[3] = {N_("not said"), N_("yes"), N_("no")};
static const int exam_values[3] = {-1, 1, 0};

static int exam_choice(int exam)
{
	for (int i = 0; i < 3; i++)
		if (exam_values[i] == exam)
			return i;
	return 0;
}

/* The measures (list 0) or injuries (list 1) being edited: the items as
 * the model holds them (parts set with item_set_part as they are typed)
 * and, for each, the edit line and message of every text part. */
struct flist {
	int field; /* FIELD_MEASURES or FIELD_INJURIES */
	const struct item_def *d;
	unsigned char *items; /* n items of d->size bytes */
	struct wline (*sub)[MAX_PARTS];
	char *(*err)[MAX_PARTS];
	size_t n;
	char *orig; /* CSV form when the form opened (or was rebased) */
};

struct fitem {
	int kind;
	int field; /* FK_TEXT, FK_VOCAB, FK_NOTES */
	int list; /* FK_TYPE, FK_PART, FK_YESNO, FK_ADD: 0 measures, 1 injuries */
	size_t idx; /* the item in its list */
	int part;
};

struct form {
	struct tui *t;
	WINDOW *w;
	uint64_t id;
	uint32_t rev;
	struct case_record base;
	struct wline text[FIELD__COUNT];
	char *orig[FIELD__COUNT];
	char *err[FIELD__COUNT];
	int vocab[FIELD__COUNT];
	int vocab_orig[FIELD__COUNT];
	struct flist lists[2];
	struct fitem *items;
	size_t nitems;
	int cur, top;
	char msg[1200];
	int msg_role;
};

/* Fields edited as one line of text (or, for notes, through $EDITOR). */
static bool is_text_field(int fl)
{
	int k = case_fields[fl].kind;
	return case_fields[fl].user_set &&
	    (k == KIND_TEXT || k == KIND_LIST || k == KIND_NUMBER || k == KIND_DATE);
}

static bool is_vocab_field(int fl)
{
	return case_fields[fl].user_set && case_fields[fl].kind == KIND_VOCAB;
}

static int *field_int(struct case_record *c, int fl)
{
	return (int *)((char *)c + case_fields[fl].off);
}

static void *list_item(const struct flist *l, size_t i)
{
	return l->items + i * l->d->size;
}

/* The value of an int part (the type, the exam) of item i. */
static int *part_int(const struct flist *l, size_t i, int part)
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
static void items_build(struct form *f)
{
	f->nitems = 0;
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (case_field_items(fl))
			items_build_list(f, fl == f->lists[0].field ? 0 : 1);
		else if (is_vocab_field(fl))
			item(f, (struct fitem){FK_VOCAB, fl, 0, 0, 0});
		else if (is_text_field(fl))
			item(f,
			    (struct fitem){fl == FIELD_NOTES ? FK_NOTES : FK_TEXT, fl, 0, 0, 0});
	}
	if (f->cur >= (int)f->nitems)
		f->cur = (int)f->nitems - 1;
}

static struct wline *item_line(struct form *f, const struct fitem *it)
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

static char **item_err(struct form *f, const struct fitem *it)
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

static bool has_newline(const struct wline *l)
{
	return wmemchr(l->s, L'\n', l->len) != NULL;
}

/* ---- Values and validation ------------------------------------------------ */

static char *list_text(const struct flist *l)
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
static void validate(struct form *f, const struct fitem *it)
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

/* Appends an item to list l: a copy of src, or (src NULL) a new one of type 0. */
static void list_push(struct flist *l, const void *src)
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
		wline_set(&l->sub[i][p], v);
		free(v);
	}
}

/* Removes item i of list l. */
static void list_remove(struct flist *l, size_t i)
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
static void list_load(struct flist *l, const struct case_record *c)
{
	size_t n;
	const unsigned char *src = case_items(c, l->field, &n);

	while (l->n)
		list_remove(l, l->n - 1);
	for (size_t i = 0; i < n; i++)
		list_push(l, src + i * l->d->size);
	free(l->orig);
	l->orig = list_text(l);
}

static void form_load(struct form *f, const struct case_record *c)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (is_text_field(fl)) {
			char *v = case_get_field(c, fl);
			wline_set(&f->text[fl], v);
			f->orig[fl] = v;
		} else if (is_vocab_field(fl)) {
			f->vocab[fl] = *field_int((struct case_record *)c, fl);
		}
	}
	memcpy(f->vocab_orig, f->vocab, sizeof f->vocab);
	f->lists[0] = (struct flist){.field = FIELD_MEASURES, .d = &item_measure};
	f->lists[1] = (struct flist){.field = FIELD_INJURIES, .d = &item_injury};
	for (int li = 0; li < 2; li++)
		list_load(&f->lists[li], c);
}

static void form_free(struct form *f)
{
	for (int i = 0; i < FIELD__COUNT; i++) {
		free(f->text[i].s);
		free(f->orig[i]);
		free(f->err[i]);
	}
	for (int li = 0; li < 2; li++) {
		struct flist *l = &f->lists[li];
		while (l->n)
			list_remove(l, l->n - 1);
		free(l->items);
		free(l->sub);
		free(l->err);
		free(l->orig);
	}
	free(f->items);
	case_free(&f->base);
	if (f->w)
		delwin(f->w);
}

static bool text_changed(struct form *f, int fl)
{
	char *s = wline_utf8(&f->text[fl]);
	bool ch = strcmp(s, str_or_empty(f->orig[fl])) != 0;
	free(s);
	return ch;
}

/* True when the list differs from its original, or a part holds text
 * that was refused (and so is not in the model yet). */
static bool list_changed(const struct flist *l)
{
	char *s = list_text(l);
	bool ch = strcmp(s, str_or_empty(l->orig)) != 0;
	free(s);
	for (size_t i = 0; i < l->n && !ch; i++)
		for (int p = 0; p < MAX_PARTS && !ch; p++)
			ch = l->err[i][p] != NULL;
	return ch;
}

static bool form_dirty(struct form *f)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (is_text_field(fl) && text_changed(f, fl))
			return true;
		if (is_vocab_field(fl) && f->vocab[fl] != f->vocab_orig[fl])
			return true;
	}
	return list_changed(&f->lists[0]) || list_changed(&f->lists[1]);
}

/* ---- Drawing ------------------------------------------------------------- */

#define LABEL_W 18

static char *item_label(const struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_VOCAB:
	case FK_NOTES:
		return xstrdup(_(case_fields[it->field].label));
	case FK_TYPE:
		return xasprintf(it->list == 0 ? _("Measure %zu") : _("Injury %zu"), it->idx + 1);
	case FK_PART:
	case FK_YESNO:
		return xasprintf("  %s", ctx_text(f->lists[it->list].d->parts[it->part].label));
	case FK_ADD:
		return xstrdup(_(case_fields[f->lists[it->list].field].label));
	}
	return xstrdup("");
}

static char *choice_text(const struct vocab *v, int i)
{
	return xasprintf("[ %s ▾ ]", vocab_label(v, i));
}

static void form_status(struct form *f, const char *text, int role)
{
	struct tui *t = f->t;

	tui_put(t->wstatus, 0, 0, text, t->cols, theme_attr(role));
	wnoutrefresh(t->wstatus);
}

/* Draws the form; returns false when the terminal is too small. */
static bool form_paint(struct form *f)
{
	struct tui *t = f->t;

	if (tui_check_size(t))
		return false;
	int h = t->rows - 1, width = t->cols;
	if (!f->w || getmaxy(f->w) != h || getmaxx(f->w) != width) {
		if (f->w)
			delwin(f->w);
		f->w = newwin(h, width, 0, 0);
	}
	WINDOW *w = f->w;
	char *title = f->id
	    ? xasprintf(_("Edit case %llu (rev %u)"), (unsigned long long)f->id, (unsigned)f->rev)
	    : xstrdup(_("Add a case"));
	tui_put(w, 0, 0, title, width, theme_attr(ROLE_HEADER));
	free(title);

	/* A long message (a conflict says who and when) is wrapped over the
	 * bottom rows of the form; the status line keeps the key hints. */
	struct strlist mlines = {0};
	if (f->msg[0]) {
		char *clean = text_sanitize(f->msg, 0);
		size_t n = strlen(clean), off = 0;
		while (off < n && mlines.n < 4) {
			size_t next,
			    len = text_wrap_next(clean + off, n - off, (size_t)width, &next);
			char *piece = xstrndup(clean + off, len);
			strlist_add(&mlines, piece);
			free(piece);
			off += next;
		}
		free(clean);
	}
	/* Each item is one row, plus one for its error message. */
	int body = h - 1 - (int)mlines.n;
	if (body < 1)
		body = 1;
	int *ys = xreallocarray(NULL, f->nitems + 1, sizeof *ys);
	int y = 0;
	for (size_t i = 0; i < f->nitems; i++) {
		ys[i] = y;
		char **e = item_err(f, &f->items[i]);
		y += 1 + (e && *e ? 1 : 0);
	}
	ys[f->nitems] = y;
	int cy0 = ys[f->cur], cy1 = ys[f->cur + 1];
	if (cy0 < f->top)
		f->top = cy0;
	if (cy1 > f->top + body)
		f->top = cy1 - body;
	if (f->top < 0)
		f->top = 0;

	int vw = width - LABEL_W - 1;
	int cur_y = 1, cur_x = LABEL_W;
	for (int r = 0; r < body; r++)
		tui_put(w, r + 1, 0, "", width, theme_attr(ROLE_NORMAL));
	for (size_t i = 0; i < f->nitems; i++) {
		int row = ys[i] - f->top + 1;
		if (row < 1 || row > body)
			continue;
		const struct fitem *it = &f->items[i];
		bool cur = (int)i == f->cur;
		char *label = item_label(f, it);
		tui_put(w, row, 0, label, LABEL_W, theme_attr(cur ? ROLE_SELECTED : ROLE_LABEL));
		free(label);
		struct wline *l = item_line(f, it);
		attr_t va = theme_attr(cur ? ROLE_INPUT : ROLE_NORMAL);
		char *v = NULL;
		if (it->kind == FK_NOTES && has_newline(l)) {
			char *s = wline_utf8(l);
			size_t lines = 1;
			for (char *p = s; *p; p++)
				lines += *p == '\n';
			char *first = xstrndup(s, strcspn(s, "\n"));
			char *clean = text_sanitize(first, 0);
			v = xasprintf(ngettext("%s … (%zu line; Enter: edit in $EDITOR)",
			                  "%s … (%zu lines; Enter: edit in $EDITOR)", lines),
			    clean, lines);
			free(clean);
			free(first);
			free(s);
			tui_put(w, row, LABEL_W, v, vw, va);
		} else if (l) {
			wline_draw(w, row, LABEL_W, vw, l, va);
			if (cur) {
				getyx(w, cur_y, cur_x);
			}
		} else {
			const struct flist *fl = &f->lists[it->list];
			switch (it->kind) {
			case FK_VOCAB:
				v = choice_text(case_fields[it->field].vocab, f->vocab[it->field]);
				break;
			case FK_TYPE:
				v = choice_text(fl->d->parts[0].vocab, *part_int(fl, it->idx, 0));
				break;
			case FK_YESNO:
				v = xasprintf("[ %s ▾ ]",
				    _(exam_labels[exam_choice(*part_int(fl, it->idx, it->part))]));
				break;
			case FK_ADD:
				v = xstrdup(it->list == 0 ? _("[ + add a measure (Enter) ]")
				                          : _("[ + add an injury (Enter) ]"));
				break;
			}
			tui_put(w, row, LABEL_W, v ? v : "", vw, va);
		}
		free(v);
		if (cur && !(l && !(it->kind == FK_NOTES && has_newline(l)))) {
			cur_y = row;
			cur_x = LABEL_W;
		}
		char **e = item_err(f, it);
		if (e && *e && row + 1 <= body) {
			char *m = xasprintf("↳ %s", *e);
			char *clean = text_sanitize(m, 0);
			tui_put(w, row + 1, LABEL_W, clean, vw, theme_attr(ROLE_ERROR));
			free(clean);
			free(m);
		}
	}
	free(ys);

	for (size_t i = 0; i < mlines.n; i++)
		tui_put(w, body + 1 + (int)i, 0, mlines.items[i], width,
		    theme_attr(f->msg_role == ROLE_ERROR ? ROLE_MESSAGE : ROLE_STATUS));
	strlist_free(&mlines);
	form_status(f,
	    _("^S save · Esc cancel · Space choose · ^X remove · ^E notes in editor · ? keys"),
	    ROLE_STATUS);
	wmove(w, cur_y, cur_x);
	wnoutrefresh(w);
	return true;
}

/* ---- Dialogs over the form ------------------------------------------------ */

static int form_key(struct form *f, int *key)
{
	for (;;) {
		form_paint(f);
		doupdate();
		if (tui_read_key(f->t, key) == ERR) {
			if (f->t->quit)
				return ERR;
			continue;
		}
		if (*key == KF(KEY_RESIZE)) {
			tui_layout(f->t);
			continue;
		}
		return OK;
	}
}

static bool form_confirm(struct form *f, const char *q)
{
	char *saved = xstrdup(f->msg);
	int role = f->msg_role;
	bool yes = false;

	snprintf(f->msg, sizeof f->msg, "%s %s", q, _("(y/n)"));
	f->msg_role = ROLE_ERROR;
	for (;;) {
		int key;
		if (form_key(f, &key) == ERR)
			break;
		int answer = keys_answer(key);
		if (answer == 1) {
			yes = true;
			break;
		}
		if (answer == 0)
			break;
	}
	snprintf(f->msg, sizeof f->msg, "%s", saved);
	f->msg_role = role;
	free(saved);
	return yes;
}

/* A pick list over the form: returns the chosen index or -1. */
static int pick(struct form *f, const char *title, const char *const *labels, int n, int cur)
{
	struct tui *t = f->t;
	WINDOW *pw = NULL;
	int top = 0, result = -1;

	if (cur < 0 || cur >= n)
		cur = 0;
	for (;;) {
		if (form_paint(f)) {
			int maxw = (int)text_width(title) + 4;
			for (int i = 0; i < n; i++)
				if ((int)text_width(labels[i]) + 6 > maxw)
					maxw = (int)text_width(labels[i]) + 6;
			int ph = n + 2 < t->rows - 2 ? n + 2 : t->rows - 2;
			int pwid = maxw < t->cols - 2 ? maxw : t->cols - 2;
			if (pw)
				delwin(pw);
			pw = newwin(ph, pwid, (t->rows - 1 - ph) / 2, (t->cols - pwid) / 2);
			int inner = ph - 2;
			if (cur < top)
				top = cur;
			if (cur >= top + inner)
				top = cur - inner + 1;
			theme_frame(pw, title);
			for (int i = 0; i < inner; i++) {
				int k = top + i;
				attr_t a = theme_attr(k == cur ? ROLE_SELECTED : ROLE_NORMAL);
				tui_put(pw, i + 1, 1, k < n ? labels[k] : "", pwid - 2, a);
			}
			wmove(pw, cur - top + 1, 1);
			wnoutrefresh(pw);
		}
		doupdate();
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (key == 27)
			break;
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER) || key == ' ') {
			result = cur;
			break;
		}
		int a = keys_action(KC_GLOBAL, key);
		if (a == ACT_UP && cur > 0)
			cur--;
		else if (a == ACT_DOWN && cur < n - 1)
			cur++;
		else if (a == ACT_TOP)
			cur = 0;
		else if (a == ACT_BOTTOM)
			cur = n - 1;
		else if (a == ACT_PGDN)
			cur = cur + 10 < n ? cur + 10 : n - 1;
		else if (a == ACT_PGUP)
			cur = cur > 10 ? cur - 10 : 0;
	}
	if (pw)
		delwin(pw);
	if (f->w)
		touchwin(f->w);
	return result;
}

static int pick_vocab(struct form *f, const struct vocab *v, int cur)
{
	const char **labels = xreallocarray(NULL, (size_t)v->count, sizeof *labels);
	char **owned = xreallocarray(NULL, (size_t)v->count, sizeof *owned);

	for (int i = 0; i < v->count; i++) {
		/* The key is what filters and CSV use; show it when the label
		 * does not already say it. */
		if (strcmp(vocab_label(v, i), vocab_key(v, i)) == 0)
			owned[i] = xstrdup(vocab_label(v, i));
		else
			owned[i] = xasprintf("%s (%s)", vocab_label(v, i), vocab_key(v, i));
		labels[i] = owned[i];
	}
	char *title = xasprintf(_("Choose %s"), _(v->name));
	int r = pick(f, title, labels, v->count, cur);
	free(title);
	for (int i = 0; i < v->count; i++)
		free(owned[i]);
	free(owned);
	free(labels);
	return r;
}

/* ---- $EDITOR --------------------------------------------------------------- */

/* A private directory for the notes file: 0700, owned by us. */
static char *private_dir(void)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	char *dir;
	struct stat sb;

	if (!str_empty(run) && stat(run, &sb) == 0 && sb.st_uid == getuid()) {
		dir = xasprintf("%s/casebook", run);
	} else {
		const char *home = getenv("HOME");
		if (str_empty(home))
			return NULL;
		char *cache = xasprintf("%s/.cache", home);
		if (mkdir(cache, 0700) && errno != EEXIST) {
			free(cache);
			return NULL;
		}
		free(cache);
		dir = xasprintf("%s/.cache/casebook", home);
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	if (lstat(dir, &sb) || !S_ISDIR(sb.st_mode) || sb.st_uid != getuid() || chmod(dir, 0700)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Whether an executable called name is in one of $PATH's directories. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");

	if (str_empty(path))
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		char *full = xasprintf("%.*s/%s", (int)(n ? n : 1), n ? path : ".", name);
		bool found = access(full, X_OK) == 0;
		free(full);
		if (found)
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

/* The editor for notes when neither VISUAL nor EDITOR is set: Debian's
 * sensible-editor (which honours the user's choice of editor), else nano,
 * which a newcomer can leave, and vi only as the last resort. */
static const char *default_editor(void)
{
	if (in_path("sensible-editor"))
		return "sensible-editor";
	if (in_path("nano"))
		return "nano";
	return "vi";
}

static void edit_notes(struct form *f)
{
	char *dir = private_dir();

	if (!dir) {
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("notes: no private directory for the editor's file (set XDG_RUNTIME_DIR or "
		      "HOME)"));
		f->msg_role = ROLE_ERROR;
		return;
	}
	char *path = xasprintf("%s/notes-XXXXXX", dir);
	free(dir);
	int fd = mkstemp(path); /* 0600 */
	if (fd < 0) {
		snprintf(f->msg, sizeof f->msg, _("notes: cannot create %s: %s"), path,
		    strerror(errno));
		f->msg_role = ROLE_ERROR;
		free(path);
		return;
	}
	char *notes = wline_utf8(&f->text[FIELD_NOTES]);
	size_t len = strlen(notes);
	bool ok =
	    util_write_all(fd, notes, len) == 0 && (len == 0 || util_write_all(fd, "\n", 1) == 0);
	close(fd);
	free(notes);
	const char *ed = getenv("VISUAL");
	if (str_empty(ed))
		ed = getenv("EDITOR");
	if (str_empty(ed))
		ed = default_editor();
	int status = -1;
	if (ok) {
		def_prog_mode();
		endwin();
		pid_t pid = fork();
		if (pid == 0) {
			char *cmd = xasprintf("%s \"$1\"", ed);
			execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
		reset_prog_mode();
		clearok(curscr, TRUE);
		tui_touch(f->t);
	}
	if (ok && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		/* The whole file, whatever its size: notes are never cut. */
		FILE *fp = fopen(path, "r");
		struct buf b = {0};
		char chunk[65536];
		size_t n;
		int rerr = fp ? 0 : errno;
		while (fp && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_put(&b, chunk, n);
		if (fp && ferror(fp))
			rerr = errno ? errno : EIO;
		if (fp)
			fclose(fp);
		while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
			b.len--;
		if (rerr) {
			snprintf(f->msg, sizeof f->msg,
			    _("notes: cannot read the editor's file: %s; notes unchanged"),
			    strerror(rerr));
			f->msg_role = ROLE_ERROR;
		} else if (b.len && memchr(b.p, '\0', b.len)) {
			/* Text stops at a NUL byte: keeping it would cut the notes. */
			snprintf(f->msg, sizeof f->msg, "%s",
			    _("notes: the edited file holds a NUL byte (not text); notes "
			      "unchanged"));
			f->msg_role = ROLE_ERROR;
		} else {
			wline_set(&f->text[FIELD_NOTES], buf_cstr(&b));
		}
		buf_free(&b);
	} else {
		snprintf(f->msg, sizeof f->msg,
		    _("notes: the editor \"%s\" failed; notes unchanged"), ed);
		f->msg_role = ROLE_ERROR;
	}
	unlink(path);
	free(path);
	struct fitem it = {FK_NOTES, FIELD_NOTES, 0, 0, 0};
	validate(f, &it);
}

/* ---- Saving ---------------------------------------------------------------- */

/* Validates everything; the index of the first bad item, or -1. */
static int validate_all(struct form *f)
{
	int first = -1;

	for (size_t i = 0; i < f->nitems; i++) {
		validate(f, &f->items[i]);
		char **e = item_err(f, &f->items[i]);
		if (e && *e && first < 0)
			first = (int)i;
	}
	return first;
}

/* Applies the user's changes to a copy of base (only the fields the user
 * changed, so a re-apply after a conflict keeps the other user's edits to
 * other fields). */
static int build_record(struct form *f, struct case_record *rec, struct cb_err *err)
{
	case_copy(rec, &f->base);
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		int rc = 0;
		if (is_text_field(fl) && (!f->id || text_changed(f, fl))) {
			char *s = wline_utf8(&f->text[fl]);
			rc = case_set_field(rec, fl, s, false, err);
			free(s);
		} else if (is_vocab_field(fl) && (!f->id || f->vocab[fl] != f->vocab_orig[fl])) {
			*field_int(rec, fl) = f->vocab[fl];
		}
		if (rc)
			return rc;
	}
	for (int li = 0; li < 2; li++) {
		const struct flist *l = &f->lists[li];
		if (!f->id || list_changed(l))
			case_set_items(rec, l->field, l->items, l->n);
	}
	return case_validate(rec, err);
}

/* After a conflict: the form shows the other user's version with this
 * user's changes on top (fields the user did not touch take the new values). */
static void form_rebase(struct form *f, const struct case_record *fresh)
{
	for (int fl = 0; fl < FIELD__COUNT; fl++) {
		if (is_vocab_field(fl)) {
			int nv = *field_int((struct case_record *)fresh, fl);
			if (f->vocab[fl] == f->vocab_orig[fl])
				f->vocab[fl] = nv;
			f->vocab_orig[fl] = nv;
		}
		if (!is_text_field(fl))
			continue;
		char *v = case_get_field(fresh, fl);
		if (!text_changed(f, fl)) {
			wline_set(&f->text[fl], v);
			free(f->err[fl]);
			f->err[fl] = NULL;
		}
		free(f->orig[fl]);
		f->orig[fl] = v;
	}
	for (int li = 0; li < 2; li++) {
		struct flist *l = &f->lists[li];
		char *mine = list_changed(l) ? list_text(l) : NULL;
		size_t n;
		const void *theirs = case_items(fresh, l->field, &n);
		if (!mine) {
			list_load(l, fresh);
			continue;
		}
		/* The user's items stay; the original becomes what the other user saved. */
		free(l->orig);
		l->orig = item_list_format(l->d, theirs, n);
		free(mine);
	}
	items_build(f);
}

/* Returns the saved id, or 0 when the form stays open. */
static uint64_t form_save(struct form *f)
{
	struct case_record rec;
	struct cb_err err = {0};
	int bad = validate_all(f);

	if (bad >= 0) {
		f->cur = bad;
		snprintf(f->msg, sizeof f->msg, "%s",
		    _("Not saved: fix the fields marked ↳ first."));
		f->msg_role = ROLE_ERROR;
		return 0;
	}
	case_init(&rec);
	int rc = build_record(f, &rec, &err);
	if (rc == 0)
		rc = f->id ? store_update(f->t->st, &rec, f->rev, &err)
		           : store_add(f->t->st, &rec, &err);
	uint64_t id = rec.id;
	case_free(&rec);
	if (rc == 0)
		return id ? id : f->id;
	if (rc == CB_ECONFLICT) {
		/* Someone else saved first: take their version as the new base;
		 * the user's changed fields stay in the form for a second ^S. */
		struct case_record fresh;
		struct cb_err e2 = {0};
		if (store_get(f->t->st, f->id, &fresh, &e2) == 0) {
			form_rebase(f, &fresh);
			case_free(&f->base);
			f->base = fresh;
			f->rev = fresh.rev;
		} else {
			case_free(&fresh);
		}
		snprintf(f->msg, sizeof f->msg, "%s. %s", err.msg,
		    _("Your input is kept: ^S saves it over the new version, Esc discards it."));
	} else {
		snprintf(f->msg, sizeof f->msg, _("Not saved: %s"), err.msg);
	}
	f->msg_role = ROLE_ERROR;
	return 0;
}

/* ---- The loop ---------------------------------------------------------------- */

/* Adds a measure or an injury of a type the user picks, and moves onto
 * its first part. */
static void add_item(struct form *f, int li)
{
	struct flist *l = &f->lists[li];
	int type = pick_vocab(f, l->d->parts[0].vocab, 0);

	if (type < 0)
		return;
	list_push(l, NULL);
	*part_int(l, l->n - 1, 0) = type;
	items_build(f);
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
	list_remove(&f->lists[it->list], it->idx);
	items_build(f);
}

/* The vocabulary and value slot of a choice row (field, type), or NULL. */
static const struct vocab *choice_slot(struct form *f, const struct fitem *it, int **slot)
{
	if (it->kind == FK_VOCAB) {
		*slot = &f->vocab[it->field];
		return case_fields[it->field].vocab;
	}
	if (it->kind == FK_TYPE) {
		*slot = part_int(&f->lists[it->list], it->idx, 0);
		return f->lists[it->list].d->parts[0].vocab;
	}
	return NULL;
}

/* Enter or Space on a choice item. */
static void choose(struct form *f)
{
	struct fitem *it = &f->items[f->cur];
	int *slot, r;
	const struct vocab *v = choice_slot(f, it, &slot);

	if (v) {
		r = pick_vocab(f, v, *slot);
		if (r >= 0)
			*slot = r;
		return;
	}
	switch (it->kind) {
	case FK_YESNO: {
		const char *labels[3] = {_(exam_labels[0]), _(exam_labels[1]), _(exam_labels[2])};
		int *exam = part_int(&f->lists[it->list], it->idx, it->part);
		r = pick(f, _("Forensic or medical exam"), labels, 3, exam_choice(*exam));
		if (r >= 0)
			*exam = exam_values[r];
		break;
	}
	case FK_ADD:
		add_item(f, it->list);
		break;
	case FK_NOTES:
		edit_notes(f);
		break;
	default:
		break;
	}
}

static bool is_choice(const struct form *f, const struct fitem *it)
{
	if (it->kind == FK_NOTES)
		return has_newline(&f->text[FIELD_NOTES]);
	return it->kind != FK_TEXT && it->kind != FK_PART;
}

uint64_t form_run(struct tui *t, uint64_t id)
{
	struct form f;
	struct cb_err err = {0};
	uint64_t saved = 0;

	memset(&f, 0, sizeof f);
	f.t = t;
	f.id = id;
	case_init(&f.base);
	if (id) {
		case_free(&f.base);
		if (store_get(t->st, id, &f.base, &err)) {
			tui_message(t, ROLE_ERROR, "%s", err.msg);
			case_init(&f.base);
			form_free(&f);
			return 0;
		}
		f.rev = f.base.rev;
	}
	form_load(&f, &f.base);
	items_build(&f);

	while (!t->quit) {
		int key;
		if (form_key(&f, &key) == ERR)
			break;
		struct fitem *it = &f.items[f.cur];
		struct wline *l = item_line(&f, it);
		int a = keys_action(KC_FORM, key);
		bool choice = is_choice(&f, it);
		f.msg[0] = '\0';
		/* F1 shows the help from every field, as the help says. */
		if (key == KF(KEY_F(1))) {
			help_show(t);
			continue;
		}

		/* Text items take printable keys (space included) and editing keys. */
		if (!choice && l && a != ACT_SAVE && a != ACT_BACK && a != ACT_NEXT_FIELD &&
		    a != ACT_PREV_FIELD && a != ACT_PGUP && a != ACT_PGDN && a != ACT_EDITOR &&
		    a != ACT_REMOVE_ITEM) {
			if (wline_key(l, key))
				validate(&f, it);
			continue;
		}
		if (choice && (key == '\r' || key == '\n' || key == KF(KEY_ENTER)))
			a = ACT_PICK;
		if (choice && it->kind != FK_NOTES &&
		    (key == KF(KEY_LEFT) || key == KF(KEY_RIGHT))) {
			int d = key == KF(KEY_RIGHT) ? 1 : -1;
			int *slot;
			const struct vocab *v = choice_slot(&f, it, &slot);
			if (v) {
				*slot = (*slot + d + v->count) % v->count;
			} else if (it->kind == FK_YESNO) {
				int *exam = part_int(&f.lists[it->list], it->idx, it->part);
				*exam = exam_values[(exam_choice(*exam) + d + 3) % 3];
			}
			continue;
		}
		switch (a) {
		case ACT_NEXT_FIELD:
			if (l)
				validate(&f, it);
			if (f.cur + 1 < (int)f.nitems)
				f.cur++;
			break;
		case ACT_PREV_FIELD:
			if (l)
				validate(&f, it);
			if (f.cur > 0)
				f.cur--;
			break;
		case ACT_PGDN:
			f.cur = f.cur + 10 < (int)f.nitems ? f.cur + 10 : (int)f.nitems - 1;
			break;
		case ACT_PGUP:
			f.cur = f.cur > 10 ? f.cur - 10 : 0;
			break;
		case ACT_PICK:
			choose(&f);
			break;
		case ACT_EDITOR:
			edit_notes(&f);
			break;
		case ACT_REMOVE_ITEM:
			remove_item(&f);
			break;
		case ACT_SAVE:
			saved = form_save(&f);
			if (saved)
				goto out;
			break;
		case ACT_BACK:
			if (!form_dirty(&f) || form_confirm(&f, _("Discard your changes?")))
				goto out;
			break;
		default:
			if (key == '?')
				help_show(t);
			break;
		}
	}
out:
	form_free(&f);
	tui_touch(t);
	if (saved)
		tui_message(t, ROLE_STATUS, id ? _("Saved case %llu.") : _("Added case %llu."),
		    (unsigned long long)saved);
	return saved;
}
