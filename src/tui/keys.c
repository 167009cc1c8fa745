/* keys.c — the one key table: it drives the dispatcher, the `?` help screen
 * and the key list of the man page (tui_keys_mdoc). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util.h"

#define CTRL(c) ((c)&0x1f)
#define ESC 27

struct binding {
	int context; /* enum key_context */
	int action; /* enum action */
	int keys[12]; /* 0-terminated */
	const char *names;
	const char *help;
};

static const struct binding bindings[] = {
    {KC_GLOBAL, ACT_DOWN, {KF(KEY_DOWN), 'j'}, N_("Down, j"), N_("Move down one line")},
    {KC_GLOBAL, ACT_UP, {KF(KEY_UP), 'k'}, N_("Up, k"), N_("Move up one line")},
    {KC_GLOBAL, ACT_PGDN, {KF(KEY_NPAGE), CTRL('f')}, N_("PgDn, ^F"), N_("Move down one page")},
    {KC_GLOBAL, ACT_PGUP, {KF(KEY_PPAGE), CTRL('b')}, N_("PgUp, ^B"), N_("Move up one page")},
    {KC_GLOBAL, ACT_TOP, {'g', KF(KEY_HOME)}, N_("g, Home"), N_("Go to the first case")},
    {KC_GLOBAL, ACT_BOTTOM, {'G', KF(KEY_END)}, N_("G, End"), N_("Go to the last case")},
    {KC_LIST, ACT_OPEN, {'\n', '\r', KF(KEY_ENTER)}, N_("Enter"),
        N_("Show the whole case on the full screen")},
    {KC_GLOBAL, ACT_NEXT_PANE, {'\t'}, N_("Tab"), N_("Go to the next pane")},
    {KC_GLOBAL, ACT_SEARCH, {'/'}, N_("/"),
        N_("Search by name: the list narrows as you type (Enter keeps, Esc undoes)")},
    {KC_GLOBAL, ACT_FILTER, {'f'}, N_("f"), N_("Open or close the filter pane")},
    {KC_GLOBAL, ACT_FILTER_LINE, {':'}, N_(":"),
        N_("Type a filter, as on the command line (city:Almaty injury:bruise)")},
    {KC_FILTER, ACT_TOGGLE, {' ', '\n', '\r', KF(KEY_ENTER)}, N_("Space, Enter"),
        N_("Filter pane: select or unselect a value (Enter on the filter line edits it)")},
    {KC_FILTER, ACT_FIND_GROUP, {'1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-'},
        N_("1-9, 0, -"),
        N_("Filter pane: go to a group (the keys on its top lines), then type the start of any "
           "word of a value to find it, in any script (Backspace, Esc). Days held: the days of "
           "detention and administrative arrest of all the case's measures, added up")},
    {KC_FILTER, ACT_EXPAND, {KF(KEY_RIGHT)}, N_("Right"),
        N_("Filter pane: show the days of the month under the cursor (date group)")},
    {KC_FILTER, ACT_COLLAPSE, {KF(KEY_LEFT)}, N_("Left"),
        N_("Filter pane: hide the days of the month again")},
    {KC_GLOBAL, ACT_CLEAR, {'c'}, N_("c"), N_("Clear the filter and the search")},
    {KC_GLOBAL, ACT_SORT, {'s'}, N_("s"),
        N_("Sort by the next key (id, date, name, city, hearing)")},
    {KC_GLOBAL, ACT_ADD, {'a'}, N_("a"), N_("Add a case")},
    {KC_GLOBAL, ACT_EDIT, {'e'}, N_("e"), N_("Edit the selected case")},
    {KC_GLOBAL, ACT_DELETE, {'d', KF(KEY_DC)}, N_("d, Delete"),
        N_("Delete the selected case (asks first)")},
    {KC_GLOBAL, ACT_PRINT, {'p'}, N_("p"), N_("Print the sheet of the selected case")},
    {KC_GLOBAL, ACT_PRINT_ALL, {'P'}, N_("P"),
        N_("Print every case in the list: their sheets, or the list as a table (asks which)")},
    {KC_GLOBAL, ACT_TAG, {'t'}, N_("t"), N_("Tag or untag the selected case")},
    {KC_GLOBAL, ACT_TAG_ALL, {'T'}, N_("T"), N_("Tag every case of the filter")},
    {KC_GLOBAL, ACT_APPLY, {';'}, N_(";"),
        N_("Apply to the tagged cases: set status, lawyer, verification or confidentiality, add "
           "a measure, print, export (asks with their number)")},
    {KC_GLOBAL, ACT_UNDO_CHANGE, {'U'}, N_("U"),
        N_("Undo the last change made to several cases, as a whole (asks first)")},
    {KC_GLOBAL, ACT_SAVE_SEARCH, {'S'}, N_("S"),
        N_("Save the filter under a name, for everyone (@name in any filter)")},
    {KC_GLOBAL, ACT_HISTORY, {'h'}, N_("h"), N_("Show the history of the selected case")},
    {KC_GLOBAL, ACT_TRASH, {'D'}, N_("D"),
        N_("Show the trash: the deleted cases, who deleted them and when")},
    {KC_GLOBAL, ACT_PERSON, {'o'}, N_("o"),
        N_("Other cases of this person: names, timeline and totals")},
    {KC_GLOBAL, ACT_HELP, {'?', KF(KEY_F(1))}, N_("?, F1"), N_("Show this help")},
    {KC_GLOBAL, ACT_MESSAGES, {'M'}, N_("M"),
        N_("Show the messages of this session (a message cut on the status line is whole here)")},
    {KC_GLOBAL, ACT_REDRAW, {CTRL('l')}, N_("^L"), N_("Redraw the screen")},
    {KC_GLOBAL, ACT_BACK, {ESC}, N_("Esc"), N_("Back: close the pane, view or search")},
    {KC_GLOBAL, ACT_QUIT, {'q'}, N_("q"), N_("Quit")},
    {KC_PAGER, ACT_BACK, {ESC, 'q', '\n', '\r', KF(KEY_ENTER)}, N_("Esc, q"),
        N_("Views (help, history, case): close the view")},
    {KC_PERSON, ACT_OPEN, {'\n', '\r', KF(KEY_ENTER)}, N_("Enter"),
        N_("Person view: open the case under the cursor")},
    {KC_PERSON, ACT_LINK, {'l'}, N_("l"),
        N_("Person view: link another case to this person (asks first)")},
    {KC_PERSON, ACT_UNLINK, {'u'}, N_("u"),
        N_("Person view: split the case under the cursor off this person (asks first)")},
    {KC_PERSON, ACT_MERGE, {'m'}, N_("m"),
        N_("Person view: merge another person into this one (asks first)")},
    {KC_PERSON, ACT_BACK, {ESC, 'q'}, N_("Esc, q"), N_("Person view: close it")},
    {KC_FORM, ACT_NEXT_FIELD, {KF(KEY_DOWN), '\t', '\n', '\r', KF(KEY_ENTER)},
        N_("Down, Tab, Enter"), N_("Form: next field")},
    {KC_FORM, ACT_PREV_FIELD, {KF(KEY_UP), KF(KEY_BTAB)}, N_("Up, Shift-Tab"),
        N_("Form: previous field")},
    {KC_FORM, ACT_PGDN, {KF(KEY_NPAGE)}, N_("PgDn"), N_("Form: next page of fields")},
    {KC_FORM, ACT_PGUP, {KF(KEY_PPAGE)}, N_("PgUp"), N_("Form: previous page of fields")},
    {KC_FORM, ACT_PICK, {KF(KEY_F(4))}, N_("Enter, F4"),
        N_("Form: choose from the list (status, sex, measure and injury types, ...; a letter "
           "typed on a choice opens it narrowed to the terms it starts); add a measure or "
           "injury")},
    {KC_FORM, ACT_EDITOR, {CTRL('e')}, N_("^E"), N_("Form: edit the notes in $EDITOR")},
    {KC_FORM, ACT_REMOVE_ITEM, {CTRL('x'), KF(KEY_F(8))}, N_("^X, F8"),
        N_("Form: remove the measure or injury under the cursor")},
    {KC_FORM, ACT_COMPLETE, {KF(KEY_RIGHT)}, N_("Right"),
        N_("Form, city: at the end of the text, take the first place offered (from the "
           "gazetteer and the cases)")},
    {KC_FORM, ACT_SAVE, {CTRL('s'), KF(KEY_F(2))}, N_("^S, F2"),
        N_("Form: save (only when every field is valid)")},
    {KC_FORM, ACT_BACK, {ESC}, N_("Esc"), N_("Form: cancel (asks when something changed)")},
    {KC_TRASH, ACT_RESTORE, {'r'}, N_("r"), N_("Trash: restore the selected case")},
    {KC_HISTORY, ACT_REVERT, {'u'}, N_("u"),
        N_("History: revert the selected change (refused when a later change touched its "
           "fields)")},
    {KC_CHOICE, ACT_RESUME, {'r'}, N_("r"),
        N_("Resume the unsaved draft; or restore the case deleted meanwhile with your changes")},
    {KC_CHOICE, ACT_DISCARD, {'d'}, N_("d"), N_("Discard the draft, or your changes")},
    {KC_CHOICE, ACT_SAVE_NEW, {'n'}, N_("n"),
        N_("Save your changes as a new case (the case was deleted meanwhile)")},
    {KC_CHOICE, ACT_TAKE_THEIRS, {'t'}, N_("t"),
        N_("A field you and a colleague both changed: take their value")},
    {KC_CHOICE, ACT_KEEP_MINE, {'m'}, N_("m"), N_("A field you both changed: keep yours")},
    {KC_CHOICE, ACT_EDIT_FIELD, {'e'}, N_("e"),
        N_("A field you both changed: edit it in the form, their value shown")},
    {KC_CHOICE, ACT_BACK, {ESC}, N_("Esc"),
        N_("Choose nothing for now: the draft stays, the form stays open")},
    /* Answers are words, not key positions: д (да) and и (иә) say yes, н
     * (нет) and ж (жоқ) say no, whatever the layout; й is q on ЙЦУКЕН. */
    {KC_DIALOG, ACT_YES, {'y', 'Y', L'д', L'Д', L'и', L'И'}, N_("y"), N_("Answer yes")},
    {KC_DIALOG, ACT_NO, {'n', 'N', 'q', 'Q', ESC, L'н', L'Н', L'ж', L'Ж', L'й', L'Й'},
        N_("n, q, Esc"), N_("Answer no")},
};

#define NKEYS (int)(sizeof bindings[0].keys / sizeof bindings[0].keys[0])

/* One keyboard, two layouts: the character each key types on the Latin
 * (QWERTY) layout, and the one the same key types on the Russian (ЙЦУКЕН)
 * layout. The Kazakh layout has the same letters on these keys (its own
 * letters are on the digit row), so this one table serves both. A letter
 * command also answers to its Cyrillic twin: j is also о, q is also й. */
static const char latin_keys[] =
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~";
static const wchar_t cyrillic_keys[] =
    L"йцукенгшщзхъфывапролджэячсмитьбюёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ";

_Static_assert(sizeof latin_keys == sizeof cyrillic_keys / sizeof cyrillic_keys[0],
    "the two layouts name the same keys");

/* The Latin character typed by the key that types c on ЙЦУКЕН; c itself
 * when c is not one of those letters. */
static int latin_twin(int c)
{
	if (c < 0x80 || c >= 0x40000000)
		return c;
	for (size_t i = 0; cyrillic_keys[i]; i++)
		if ((int)cyrillic_keys[i] == c)
			return (unsigned char)latin_keys[i];
	return c;
}

/* The Cyrillic letter on the key that types the Latin c; 0 when none. */
static wchar_t cyrillic_twin(int c)
{
	const char *p = c > 0 && c < 0x80 ? strchr(latin_keys, c) : NULL;

	return p ? cyrillic_keys[p - latin_keys] : 0;
}

static const char *const context_names[KC__COUNT] = {
    [KC_GLOBAL] = N_("Everywhere"),
    [KC_LIST] = N_("List"),
    [KC_FILTER] = N_("Filter pane"),
    [KC_FORM] = N_("Add and edit form"),
    [KC_PAGER] = N_("Views"),
    [KC_PERSON] = N_("Person view"),
    [KC_DIALOG] = N_("Questions (y/n)"),
    [KC_TRASH] = N_("Trash view"),
    [KC_HISTORY] = N_("History view"),
    [KC_CHOICE] = N_("Questions with choices"),
};

static int lookup(int context, int key)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (bindings[i].context != context)
			continue;
		for (int k = 0; k < NKEYS && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return bindings[i].action;
	}
	return ACT_NONE;
}

/* The action of key in context, falling back to the global keys (not in
 * the form, whose keys type text, nor in a question, which takes answers
 * only). */
static int action_of(int context, int key)
{
	int a = lookup(context, key);

	if (a == ACT_NONE && context != KC_GLOBAL && context != KC_FORM && context != KC_DIALOG &&
	    context != KC_CHOICE)
		a = lookup(KC_GLOBAL, key);
	return a;
}

int keys_action(int context, int key)
{
	int a = action_of(context, key);

	/* A question's Cyrillic answers are its own keys: the key of y types
	 * н (нет) on ЙЦУКЕН, so no layout twin may stand in for a letter. */
	if (a == ACT_NONE && context != KC_DIALOG && latin_twin(key) != key)
		a = action_of(context, latin_twin(key));
	return a;
}

int keys_answer(int key)
{
	int a = keys_action(KC_DIALOG, key);

	return a == ACT_YES ? 1 : a == ACT_NO ? 0 : -1;
}

int keys_read(WINDOW *w, int *key)
{
	wint_t ch;
	int r = wget_wch(w, &ch);

	if (r == ERR)
		return ERR;
	*key = r == KEY_CODE_YES ? KF(ch) : (int)ch;
	return OK;
}

/* The Cyrillic letter shown beside key k of binding b: the layout twin of
 * a command letter, or, in a question, the Cyrillic answer key itself
 * (lower case); 0 when none. */
static wchar_t shown_twin(const struct binding *b, int k)
{
	int key = b->keys[k];

	if (b->context != KC_DIALOG)
		return cyrillic_twin(key);
	return key >= 0x80 && key < 0x40000000 && iswlower((wint_t)key) ? (wchar_t)key : 0;
}

/* The Cyrillic twins of a binding's letter keys, as " (о)", for the help
 * and the man page; mdoc spells them \[u043E]. Empty when there are none. */
static void twins_text(const struct binding *b, bool mdoc, struct buf *out)
{
	bool any = false;

	for (int k = 0; k < NKEYS && b->keys[k]; k++) {
		wchar_t c = shown_twin(b, k);
		if (!c)
			continue;
		buf_puts(out, any ? ", " : " (");
		if (mdoc) {
			buf_printf(out, "\\[u%04X]", (unsigned)c);
		} else {
			char mb[8];
			mbstate_t ms;
			memset(&ms, 0, sizeof ms);
			size_t len = wcrtomb(mb, c, &ms);
			if (len != (size_t)-1)
				buf_printf(out, "%.*s", (int)len, mb);
		}
		any = true;
	}
	if (any)
		buf_puts(out, ")");
}

void keys_help(struct strlist *out)
{
	for (int c = 0; c < KC__COUNT; c++) {
		if (c == KC_LIST)
			continue; /* shown with the global keys */
		strlist_add(out, "");
		strlist_add(out, _(context_names[c]));
		for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
			const struct binding *b = &bindings[i];
			if (b->context != c && !(c == KC_GLOBAL && b->context == KC_LIST))
				continue;
			struct buf nb = {0};
			buf_puts(&nb, _(b->names));
			twins_text(b, false, &nb);
			char *names = xstrdup(buf_cstr(&nb));
			buf_free(&nb);
			int w = (int)text_width(names);
			char *line =
			    xasprintf("  %s%*s  %s", names, w < 18 ? 18 - w : 0, "", _(b->help));
			strlist_add(out, line);
			free(line);
			free(names);
		}
	}
}

/* Writes s as an mdoc argument: backslashes doubled, quotes escaped. */
static void mdoc_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '"')
			fputs("\\(dq", out);
		else
			fputc(*s, out);
	}
}

/* The key list of the man page (mdoc), from the key table, in the
 * language of the current locale; the page gives its heading. */
void tui_keys_mdoc(FILE *out)
{
	fputs(".\\\" Generated from src/tui/keys.c by tui_keys_mdoc(); do not edit.\n", out);
	for (int c = 0; c < KC__COUNT; c++) {
		if (c == KC_LIST)
			continue;
		fputs(".Pp\n", out);
		mdoc_text(out, _(context_names[c]));
		fputs(":\n.Bl -tag -width 16n -compact\n", out);
		for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
			const struct binding *b = &bindings[i];
			if (b->context != c && !(c == KC_GLOBAL && b->context == KC_LIST))
				continue;
			fputs(".It Sy \"", out);
			if (strlen(_(b->names)) == 1)
				fputs("\\&", out); /* a lone ":" or "/" is not punctuation */
			mdoc_text(out, _(b->names));
			struct buf tw = {0};
			twins_text(b, true, &tw);
			fputs(buf_cstr(&tw), out);
			buf_free(&tw);
			fputs("\"\n", out);
			const char *h = _(b->help);
			if (*h == '.' || *h == '\'')
				fputs("\\&", out);
			mdoc_text(out, h);
			fputs("\n", out);
		}
		fputs(".El\n", out);
	}
}

/* Escape sequences of common terminals (xterm, vt220, the Linux console,
 * rxvt, PuTTY) for keys their terminfo entry may not name: vt100 has no
 * PgDn or End, a vt220 entry lacks the cursor keys of application mode.
 * A sequence the terminal already knows, or that is a prefix of one it
 * knows, is left alone. */
static const struct {
	const char *seq;
	int code;
} fallbacks[] = {
    {"\033[5~", KEY_PPAGE},
    {"\033[6~", KEY_NPAGE},
    {"\033[1~", KEY_HOME},
    {"\033[4~", KEY_END},
    {"\033[7~", KEY_HOME},
    {"\033[8~", KEY_END},
    {"\033[H", KEY_HOME},
    {"\033[F", KEY_END},
    {"\033OH", KEY_HOME},
    {"\033OF", KEY_END},
    {"\033[2~", KEY_IC},
    {"\033[3~", KEY_DC},
    {"\033[A", KEY_UP},
    {"\033[B", KEY_DOWN},
    {"\033[C", KEY_RIGHT},
    {"\033[D", KEY_LEFT},
    {"\033OA", KEY_UP},
    {"\033OB", KEY_DOWN},
    {"\033OC", KEY_RIGHT},
    {"\033OD", KEY_LEFT},
    {"\033[Z", KEY_BTAB},
    {"\033OP", KEY_F(1)},
    {"\033OQ", KEY_F(2)},
    {"\033OR", KEY_F(3)},
    {"\033OS", KEY_F(4)},
    {"\033[11~", KEY_F(1)},
    {"\033[12~", KEY_F(2)},
    {"\033[13~", KEY_F(3)},
    {"\033[14~", KEY_F(4)},
    {"\033[[A", KEY_F(1)},
    {"\033[[B", KEY_F(2)},
    {"\033[[C", KEY_F(3)},
    {"\033[[D", KEY_F(4)},
    {"\033[[E", KEY_F(5)},
    {"\033[15~", KEY_F(5)},
    {"\033[17~", KEY_F(6)},
    {"\033[18~", KEY_F(7)},
    {"\033[19~", KEY_F(8)},
    {"\033[20~", KEY_F(9)},
    {"\033[21~", KEY_F(10)},
};

void keys_terminal_init(void)
{
	for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++)
		if (key_defined(fallbacks[i].seq) == 0)
			define_key(fallbacks[i].seq, fallbacks[i].code);
}
