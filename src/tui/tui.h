/* tui.h — private interfaces between the files of the terminal UI.
 * app.c: main loop, layout, status line, the list's query; term.c:
 * terminal set-up and restore; input.c: dialogs and the line editor;
 * actions.c: what the main screen's actions do;
 * list.c, detail.c, filter.c: the three panes; form*.c: add/edit;
 * help.c: pagers (help, history, full detail); keys.c: the key table;
 * theme.c: colour roles. Nothing here touches LMDB or parses filters. */
#ifndef CASEBOOK_TUI_H
#define CASEBOOK_TUI_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

#include "case.h"
#include "drafts.h"
#include <tui.h> /* include/tui.h, the public face; "tui.h" here is private */
#include "query.h"
#include "store.h"
#include "text.h"

/* ---- theme.c ------------------------------------------------------------ */

enum role {
	ROLE_NORMAL,
	ROLE_HEADER,
	ROLE_SELECTED,
	ROLE_SELECTED_DIM,
	ROLE_STATUS,
	ROLE_ERROR,
	ROLE_LABEL,
	ROLE_FACET_ON,
	ROLE_DIM,
	ROLE_MESSAGE,
	ROLE_BORDER,
	ROLE_INPUT,
	ROLE__COUNT
};

/* Chooses colour or monochrome (NO_COLOR, no colours) and sets up pairs. */
void theme_init(void);
/* The attributes (colour pair included) of a role in the active theme. */
attr_t theme_attr(int role);
/* Writes s (sanitized) at y,x in exactly width columns: whole and padded
 * when it fits, else cut and ended with an ellipsis. */
void theme_put_fitted(WINDOW *w, int y, int x, const char *s, int width, attr_t attr);
/* Draws a whole border around w with title (may be NULL) in its top edge. */
void theme_frame(WINDOW *w, const char *title);

/* ---- keys.c -------------------------------------------------------------- */

/* Function keys (KEY_*) are tagged so they never collide with characters
 * (KEY_UP is 0403, which is also a Cyrillic letter). */
#define KF(k) ((int)(k) | 0x40000000)

enum key_context {
	KC_GLOBAL,
	KC_LIST,
	KC_FILTER,
	KC_FORM,
	KC_PAGER,
	KC_DIALOG,
	KC_TRASH, /* the trash view */
	KC_HISTORY, /* a case's history */
	KC_CHOICE, /* a question with lettered choices (draft, conflict, deleted case) */
	KC_PERSON, /* the person view */
	KC__COUNT
};

enum action {
	ACT_NONE,
	ACT_UP,
	ACT_DOWN,
	ACT_PGUP,
	ACT_PGDN,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_OPEN,
	ACT_NEXT_PANE,
	ACT_SEARCH,
	ACT_FILTER,
	ACT_FILTER_LINE,
	ACT_TOGGLE,
	ACT_FIND_GROUP,
	ACT_EXPAND,
	ACT_COLLAPSE,
	ACT_CLEAR,
	ACT_SORT,
	ACT_ADD,
	ACT_EDIT,
	ACT_DELETE,
	ACT_PRINT,
	ACT_PRINT_ALL,
	ACT_HISTORY,
	ACT_HELP,
	ACT_QUIT,
	ACT_BACK,
	ACT_REDRAW,
	ACT_MESSAGES,
	ACT_TAG,
	ACT_TAG_ALL,
	ACT_APPLY,
	ACT_UNDO_CHANGE,
	ACT_SAVE_SEARCH,
	ACT_PERSON,
	/* the person view */
	ACT_LINK,
	ACT_UNLINK,
	ACT_MERGE,
	/* form */
	ACT_SAVE,
	ACT_PICK,
	ACT_NEXT_FIELD,
	ACT_PREV_FIELD,
	ACT_EDITOR,
	ACT_REMOVE_ITEM,
	ACT_COMPLETE,
	/* questions */
	ACT_YES,
	ACT_NO,
	/* views */
	ACT_TRASH,
	ACT_RESTORE,
	ACT_REVERT,
	/* questions with choices */
	ACT_RESUME,
	ACT_DISCARD,
	ACT_SAVE_NEW,
	ACT_TAKE_THEIRS,
	ACT_KEEP_MINE,
	ACT_EDIT_FIELD,
};

/* The action bound to key in context (falling back to the global keys). */
int keys_action(int context, int key);
/* Help lines ("Down, j    Move down"), grouped by context. */
void keys_help(struct strlist *out);
/* The answer key gives to a yes/no question, from the table's KC_DIALOG
 * keys: 1 yes (y, д for да, и for иә), 0 no (n, н for нет, ж for жоқ, q
 * or й, Esc), -1 neither; either case. */
int keys_answer(int key);
/* Reads one key into *key (tagged with KF for function keys); returns
 * ERR on timeout. */
int keys_read(WINDOW *w, int *key);
/* Teaches curses the PgDn, End, F1... sequences of common terminals that
 * the terminal's description lacks (after initscr). */
void keys_terminal_init(void);

/* ---- app.c, input.c ------------------------------------------------------- */

enum pane { PANE_LIST, PANE_DETAIL, PANE_FILTER };

#define NFACET 11
#define LIST_CACHE 256

struct list_row {
	uint64_t id; /* 0: empty slot */
	char *name, *city, *date, *status;
};

struct facet_group {
	const char *field; /* "city", ... */
	struct strlist sel; /* selected facet keys */
	struct strlist open; /* date: the months whose days are shown */
	struct facet *f; /* values with counts */
	size_t n;
	char *basis; /* the filter the counts were made with */
	uint64_t basis_gen; /* and the database generation */
	bool stale; /* counts out of date: shown as "…" until the
	             * group is on screen and counted again */
};

struct tui {
	struct store *st;
	bool readonly;

	int rows, cols;
	bool wide, too_small;
	WINDOW *wlist, *wdetail, *wfilter, *wstatus;
	WINDOW *input; /* a 1x1 pad: reading from it never refreshes the screen */
	int focus; /* enum pane */
	bool filter_open;
	bool beside; /* the filter pane open beside the list (80 columns) */

	char *filter_line; /* the filter line as typed */
	char *search; /* `/` name prefix */
	struct facet_group groups[NFACET];
	int sort_idx;
	struct query_result *res;
	size_t nres;
	uint64_t total;
	uint64_t gen;
	char *filter_text; /* the combined filter in effect */
	bool facets_stale;
	struct query_fcache *fcache; /* the facet counts' per-case tables */

	size_t top, cur;
	uint64_t cur_id;
	struct list_row cache[LIST_CACHE];

	struct case_record detail; /* the selected case, decoded */
	uint64_t detail_id; /* 0: none */
	uint64_t detail_person; /* its person, 0: none */
	struct strlist detail_others; /* one line for each other case of the person */
	int detail_scroll;

	int ftop, fcur; /* filter pane: first shown row, cursor row */
	int keep_group; /* after a recount, put the cursor back on this value */
	char *keep_key;
	bool seeking; /* filter pane: typing finds a value of seek_group */
	int seek_group;
	char seek[64]; /* what was typed, UTF-8 */

	char msg[1024];
	int msg_role;
	struct strlist log; /* every message of the session, for M */
	uint64_t *tags; /* tagged cases, sorted (tags.c) */
	size_t ntags, cap_tags;
	uint64_t last_change; /* the session's newest change to several cases, for U */
	bool saved_stale; /* the saved searches changed: the filter pane reads them again */
	struct saved_row {
		char *name;
		long count; /* cases it matches now; -1: it cannot run */
	} * saved; /* the saved searches, for the filter pane (filter_saved.c) */
	size_t nsaved;
	uint64_t saved_gen; /* the database generation they were counted at */
	struct strlist saved_sel; /* the ones chosen: @name terms of the filter */
	bool warned; /* the configuration's warnings are in the log */
	bool quit;
};

/* Writes s (UTF-8, already sanitized) at y,x clipped to width columns and
 * pads with spaces to exactly width columns. Returns the columns written
 * before padding. */
int tui_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr);
/* Sets the status message (printf-style). */
void tui_message(struct tui *t, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Draws every pane and the status line into the virtual screen (wnoutrefresh). */
void tui_draw(struct tui *t);
/* Re-creates the windows for the current terminal size. */
void tui_layout(struct tui *t);
/* Re-runs the query (filter, search, facets, sort), keeping the selected case. */
void tui_requery(struct tui *t);
/* Drops the decoded rows and selected case (after a write). */
void tui_invalidate(struct tui *t);
/* Asks a yes/no question on the status line over the main screen; handles
 * resizes. False for no, and when a quit signal arrives. */
bool tui_confirm(struct tui *t, const char *question);
/* The same over what paint(ctx) draws (a screen of its own, such as the
 * form) instead of the main screen. */
bool tui_confirm_over(struct tui *t, const char *question, void (*paint)(void *ctx), void *ctx);
/* A question answered by one of the lettered choices of context
 * (KC_CHOICE: r, d, n, t, m, e; Esc): the action of the key pressed,
 * ACT_BACK for Esc and when a quit signal arrives. paint as for
 * tui_confirm_over. */
int tui_choose(struct tui *t, const char *question, int context, void (*paint)(void *ctx),
    void *ctx);
/* Edits a line on the status line. on_change, when set, is called after
 * every change; complete, when set, on Tab, and its result (malloc'd, or
 * NULL for no change) replaces the text. Returns the new text (malloc'd)
 * or NULL on Esc. */
char *tui_readline(struct tui *t, const char *prompt, const char *initial,
    void (*on_change)(struct tui *t, const char *text),
    char *(*complete)(struct tui *t, const char *text));
/* True when the terminal is below the minimum size (draws the notice). */
bool tui_check_size(struct tui *t);
/* Edit actions refused on a read-only database say why; returns true then. */
bool tui_refuse_readonly(struct tui *t);
/* Edits the filter line on the status line and applies it. */
void tui_filter_line(struct tui *t);
/* Reads a key (see keys_read); notices quit signals (sets t->quit). */
int tui_read_key(struct tui *t, int *key);
/* Shows what was drawn (doupdate) and reads one key, for a dialog or a
 * form's own loop: MODAL_KEY with *key set,
 * MODAL_AGAIN after a resize (layout done) or a poll timeout (redraw and
 * read again) or after F1 showed the help, MODAL_QUIT when a quit
 * signal arrived. */
enum { MODAL_KEY, MODAL_AGAIN, MODAL_QUIT };
int tui_modal_key(struct tui *t, int *key);
/* Marks every pane for a full repaint (after an overlay closes). */
void tui_touch(struct tui *t);
/* A wide-character line being edited. */
struct wline {
	wchar_t *s;
	size_t len, cap, cur;
};
/* Replaces the text (cursor at the end). */
void wline_set(struct wline *l, const char *utf8);
/* The text as UTF-8, malloc'd. */
char *wline_utf8(const struct wline *l);
/* Applies an editing key; true when the text changed. */
bool wline_key(struct wline *l, int key);
/* Draws l at y,x in width columns, scrolled so the cursor shows; leaves the
 * window's cursor at the editing position. */
void wline_draw(WINDOW *w, int y, int x, int width, const struct wline *l, attr_t attr);
/* Moves to the next sort order and re-runs the query. */
void tui_sort_next(struct tui *t);
/* True when the facet counts on screen are out of date and no key is
 * waiting: the caller counts them (filter_refresh) and draws again. */
bool tui_facets_due(struct tui *t);

/* ---- term.c -------------------------------------------------------------- */

/* Reads the configuration, starts curses and installs the signal handlers
 * that restore the terminal (a crash) or end the main loop (quit signals). */
void tui_term_init(void);
/* Ends curses, once; safe to call again. */
void tui_term_restore(void);
/* The quit signal (SIGTERM, SIGHUP, SIGINT) that arrived, or 0. */
int tui_quit_signal(void);
/* Forgets the quit signal that arrived (Ctrl-C in the form asks instead). */
void tui_quit_clear(void);

/* ---- actions.c ----------------------------------------------------------- */

/* Does what key means on the main screen (the pane with focus first). */
void tui_dispatch(struct tui *t, int key);

/* ---- tags.c -------------------------------------------------------------- */

/* True when case id is tagged. */
bool tags_has(const struct tui *t, uint64_t id);
/* t: tags or untags the selected case and moves to the next. */
void tags_toggle(struct tui *t);
/* T: tags every case of the filter. */
void tags_all(struct tui *t);
void tags_free(struct tui *t);
/* ;: asks what to do with the tagged cases (set a field, add a measure,
 * print sheets or the list, export, untag) and does it, asking with the
 * number of cases before changing them. */
void tags_apply(struct tui *t);
/* U: undoes the session's newest change to several cases (asks first). */
void tags_undo_change(struct tui *t);
/* P: asks "the sheets of N cases, or the list as a table?" and prints. */
void tags_print_all(struct tui *t);
/* S: saves the filter in effect under a name (a saved search). */
void tags_save_search(struct tui *t);
/* A pick list over the main screen: the chosen index, or -1. */
int tui_pick(struct tui *t, const char *title, const char *const *labels, int n, int cur);
/* The drawing of a pick list (tui_pick and the form's choosers). */
WINDOW *tui_pick_paint(struct tui *t, WINDOW *old, const char *title, const char *const *labels,
    int n, int cur, int *top, int pad);

/* ---- list.c -------------------------------------------------------------- */

/* Rows the list window shows (its height minus the header). */
int list_height(const struct tui *t);
void list_draw(struct tui *t);
/* Moves the selection by delta rows (clamped) and keeps it visible. */
void list_move(struct tui *t, long delta);
void list_goto(struct tui *t, size_t row);
void list_cache_clear(struct tui *t);
/* Places the hardware cursor on the selected row. */
void list_cursor(struct tui *t);

/* ---- detail.c ------------------------------------------------------------ */

struct dline {
	char *label; /* NULL: continuation */
	char *text;
	int role;
	bool indented; /* a table row drawn from column 2 under its label */
};

/* Lines of the detail view of c for width columns; others (may be NULL)
 * are the one-line summaries of the other cases of its person. */
void detail_lines(const struct case_record *c, const struct strlist *others, int width,
    struct dline **out, size_t *n);
void detail_lines_free(struct dline *l, size_t n);
/* Draws one dline at row y of w. */
void detail_draw_line(WINDOW *w, int y, int x, const struct dline *l, int width);
void detail_draw(struct tui *t);
/* Loads the selected case into t->detail if needed. */
void detail_load(struct tui *t);

/* ---- filter.c ------------------------------------------------------------ */

/* Builds the filter text from the filter line, the selected facet values and
 * the search prefix; skip names a facet field to leave out (or NULL). */
char *filter_compose(const struct tui *t, const char *skip_field, bool with_line);
/* Recounts the facet groups that are out of date and on screen (when the
 * pane is visible); the others are marked stale and counted once shown. */
void filter_refresh(struct tui *t);
void filter_draw(struct tui *t);
/* Handles a key while the filter pane has focus; true when used. */
bool filter_key(struct tui *t, int action, int key);
void filter_clear(struct tui *t);
void filter_free(struct tui *t);
/* Tab in the filter line (filter_complete.c): text with its last term's
 * field name or vocabulary term completed, or NULL when nothing can be
 * added; several candidates are listed in t->msg. */
char *filter_complete(struct tui *t, const char *text);

/* ---- filter_date.c ------------------------------------------------------- */

/* True when value i of g has a row in the pane: all but the days of a
 * month not opened (a chosen day always has one). */
bool filter_value_shown(const struct facet_group *g, size_t i);
/* How many of g's values have rows. */
size_t filter_values_shown(const struct facet_group *g);
/* Columns a value's row is indented by: a day under its month. */
int filter_value_indent(const struct facet_group *g, size_t i);
/* The count the bar of value i is measured against: the largest of its
 * level (months, or the days of its month; the whole group otherwise). */
uint64_t filter_bar_max(const struct facet_group *g, size_t i);
/* The label of a date ("▸ 05.2021", "01.05.2021") or days ("1–5") value in
 * buf, or NULL for the other groups. */
const char *filter_value_label(const struct facet_group *g, const struct facet *f, char *buf,
    size_t cap);
/* Opens or closes the month of date value i; returns the index of the
 * month's own value (the cursor goes there), or -1 for another group. */
long filter_month_open(struct facet_group *g, size_t i, bool open);

/* ---- filter_saved.c ------------------------------------------------------ */

/* Reads the saved searches and their counts again when the database
 * changed since they were counted. */
void saved_refresh(struct tui *t);
void saved_free(struct tui *t);
bool saved_selected(const struct tui *t, const char *name);
/* Chooses or drops saved search idx and re-runs the query. */
void saved_toggle(struct tui *t, size_t idx);
/* Appends the chosen searches' @name terms to b. */
void saved_compose(const struct tui *t, struct buf *b);

/* ---- form.c -------------------------------------------------------------- */

/* Add (id 0) or edit case id. Returns the id saved, or 0 when cancelled. */
uint64_t form_run(struct tui *t, uint64_t id);

/* ---- The form's own: form.c, form_draw.c, form_editor.c, form_save.c ----- */

/* The kinds of form rows. A measure or an injury is a type row (FK_TYPE),
 * one row per further part (FK_PART, or FK_YESNO for the exam) and, after
 * the list, a row to add one (FK_ADD). */
enum fkind { FK_TEXT, FK_VOCAB, FK_NOTES, FK_TYPE, FK_PART, FK_YESNO, FK_ADD };

/* Longest item_def in parts (measure: 6). */
#define MAX_PARTS 8

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
	uint64_t dup_person; /* the possible duplicate just offered: o shows it */
	bool dup_warned; /* offered once: the next ^S saves */
	struct form_place *place; /* the city's type-ahead (form_place.c) */
	bool discarded; /* a question closed the form without saving */
	char note[300]; /* said once the form closes saved (e.g. merged) */
	/* The draft (form_draft.c): which, when last written, what. */
	uint64_t draft_token, draft_case;
	double draft_at;
	struct buf draft_last;
	bool draft_written, draft_resumed;
};

/* form.c: the model. */
/* Fields edited as one line of text (or, for notes, through $EDITOR), and
 * fields chosen from a vocabulary. */
bool form_is_text_field(int fl);
bool form_is_vocab_field(int fl);
/* The int slot of vocabulary field fl in c. */
int *form_field_int(struct case_record *c, int fl);
/* The value of an int part (the type, the exam) of item i of l. */
int *form_part_int(const struct flist *l, size_t i, int part);
/* Rebuilds the rows in field order (after an item is added or removed). */
void form_items_build(struct form *f);
/* The edit line and the message slot of a row, or NULL for a choice row. */
struct wline *form_item_line(struct form *f, const struct fitem *it);
char **form_item_err(struct form *f, const struct fitem *it);
/* True when the line holds a newline (notes then go through $EDITOR). */
bool form_has_newline(const struct wline *l);
/* List l in its CSV form (malloc'd). */
char *form_list_text(const struct flist *l);
/* Field fl of c as the form shows it: case_get_field's text, a date in
 * the user's form (datefmt_show). */
char *form_field_text(const struct case_record *c, int fl);
/* Checks one row and sets its message; a valid part goes into the model. */
void form_validate(struct form *f, const struct fitem *it);
/* Replaces list l with the items of record c. */
void form_list_load(struct flist *l, const struct case_record *c);
/* True when text field fl, or list l, differs from what the form opened with. */
bool form_text_changed(struct form *f, int fl);
bool form_list_changed(const struct flist *l);
/* The exam chooser's labels {not said, yes, no} and the index of a stored
 * exam value (-1, 1, 0) among them. */
extern const char *const form_exam_labels[3];
int form_exam_choice(int exam);

/* form_draw.c: drawing and the dialogs over the form. */
/* Draws the form and reads one key (tui_modal_key); ERR when a quit
 * signal arrived. */
int form_key(struct form *f, int *key);
/* Draws form (a struct form *), for tui_confirm_over. */
void form_repaint(void *form);
/* A chooser over the form: its entries' labels as shown, the vocabulary
 * they are the terms of (NULL for the exam's answers, then matched by
 * their labels and names, the English labels), the entry highlighted at
 * first and what was typed on the field to open it (type-ahead; NULL or
 * "" for nothing). */
struct form_choice {
	const char *title;
	const struct vocab *v;
	const char *const *labels;
	const char *const *names;
	int n, cur;
	const char *typed;
};
/* True when entry i of c fits typed text (starts a word of one of its names). */
bool form_choice_fits(const struct form_choice *c, int i, const char *typed);
/* Runs chooser c with type-ahead: the chosen index, or -1. */
int form_pick(struct form *f, const struct form_choice *c);
/* A chooser of vocabulary v's terms by their labels, opened on term cur
 * with typed (NULL: nothing) as type-ahead. */
int form_pick_vocab(struct form *f, const struct vocab *v, int cur, const char *typed);

/* form_editor.c. Edits the notes in $EDITOR; a failure leaves them as they were. */
void form_edit_notes(struct form *f);

/* form_place.c: the city's type-ahead. After a key changed the city: the
 * places and the cases' cities it may be, offered on the message line. */
void form_city_typed(struct form *f);
/* Right at the end of the city: takes the first offer (and fills an empty
 * region); false when there is none, and Right moves the cursor. */
bool form_city_accept(struct form *f);
/* Leaving the city: a city the gazetteer knows fills an empty region. */
void form_city_left(struct form *f);
void form_place_free(struct form *f);

/* form_save.c. Saves the form: the saved id, or 0 when the form stays open
 * (a message says why; after a conflict the form is rebased). */
uint64_t form_save(struct form *f);

/* form.c, for form_draft.c and the unit test of the model. */
/* Sets up form f over base (case_init'ed when adding; t may be NULL
 * for the model alone), and frees what it holds. */
void form_setup(struct form *f, struct tui *t, const struct case_record *base);
void form_teardown(struct form *f);
/* Appends an item to list l (a copy of src, or a new one of type 0), and
 * removes item i. */
void form_list_push(struct flist *l, const void *src);
void form_list_remove(struct flist *l, size_t i);
/* True when part p of l's items is typed on a line (not chosen). */
bool form_part_is_line(const struct flist *l, int p);
/* What choosing entry i of a choice row's pick list does, and the label
 * that entry shows (the same as the pick list). */
void form_choose(struct form *f, const struct fitem *it, int i);
const char *form_choice_label(const struct form *f, const struct fitem *it, int i);
/* True when anything differs from what the form opened with. */
bool form_dirty(struct form *f);
/* Opens the form on a draft left by an earlier run: the saved id, or 0. */
uint64_t form_run_draft(struct tui *t, const struct draft *d);
/* form_draw.c: the text a choice row shows (malloc'd; NULL for none). */
char *form_item_value(const struct form *f, const struct fitem *it);
/* form_save.c: the case the form's changes make on its base. */
int form_build_record(struct form *f, struct case_record *rec, struct cb_err *err);

/* form_draft.c. The form as a draft and back; writing it (at most every
 * few seconds, or at once when now); removing it (saved or discarded);
 * the offer of every draft left behind, on start. */
void form_draft_capture(struct form *f, struct draft *d);
void form_draft_apply(struct form *f, const struct draft *d);
void form_draft_init(struct form *f);
void form_draft_tick(struct form *f, bool now);
void form_draft_drop(struct form *f);
void tui_drafts_offer(struct tui *t);

/* ---- listview.c, views.c ------------------------------------------------ */

/* A full-screen list of entries with a selection (the trash, a history). */
struct listview_item {
	char *text;
	uint64_t key; /* the case id, the audit entry's seq */
};
struct listview {
	const char *title, *hint, *empty;
	struct listview_item *items;
	size_t n, sel, top;
	void (*build)(struct tui *t, struct listview *v, void *ctx);
	struct tui *t;
	WINDOW *w;
};
void listview_add(struct listview *v, const char *text, uint64_t key);
void listview_clear(struct listview *v);
/* Runs the view: keys of context first (act does them on the selected
 * entry and returns true when the entries must be built again), then the
 * views' own; Esc closes it. */
void listview_run(struct tui *t, struct listview *v, int context,
    bool (*act)(struct tui *t, struct listview *v, int action, void *ctx), void *ctx);
/* Draws a listview (a struct listview *) under a question. */
void listview_repaint(void *view);
/* The trash (r restores) and a case's history (u reverts a change). */
void trash_show(struct tui *t);
void history_show(struct tui *t, uint64_t id);

/* ---- help.c -------------------------------------------------------------- */

/* Shows the keys on the full screen; what was under it comes back. */
void help_show(struct tui *t);
/* The messages of the session (M), oldest first, on the full screen. */
void messages_show(struct tui *t);
void detail_full(struct tui *t);
/* Case id on the full screen (from the person view). */
void detail_full_case(struct tui *t, uint64_t id);

/* ---- person.c ------------------------------------------------------------ */

/* The person view of person_id: names, totals and the timeline of their
 * cases, with link, unlink and merge; returns when the user closes it. */
void tui_person_view(struct tui *t, uint64_t person_id);
/* Opens the person view of case id's person, or says why there is none. */
void tui_person_of_case(struct tui *t, uint64_t id);

#endif
