#!/bin/sh
# Tagging and bulk changes in the terminal UI (tmux, 80×24): t tags three
# cases (marked in the list, counted on the status line), ; sets their
# status after a question with their number, casebook show sees it, U
# undoes the change as a whole; T tags every case of the filter; S saves
# the filter as a search the command line can use; P offers the sheets or
# the list, and the list is saved as a document.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

for i in 1 2 3 4 5; do
	cb add name="Person $i" city=Oral status=open >/dev/null
done
cb add name="Other City" city=Taraz status=open >/dev/null
mkdir -p "$HOME/.config/casebook"
printf 'sheet_dir = %s/sheets\n' "$T" >"$HOME/.config/casebook/config"

tui_start b 80 24
see "start" b "6 of 6 cases"
keys b t t t
see "three tagged: counted on the status line" b "3 tagged"
case "$(screen b)" in
*"*     1"*"*     2"*"*     3"*) ok "the tagged rows are marked" ;;
*) not_ok "the tagged rows are marked" "$(screen b)" ;;
esac
lacks "an untagged row is not marked" "$(screen b)" "*     4"
keys b '\;'
see "; lists what can be done with the tagged cases" b "Set the status"
see "its title counts them" b "3 tagged cases"
keys b Enter
see "the status is chosen from its terms" b "in court"
keys b Down Down Enter
see "the question names the change and the number" b "Set status to in_court on 3 cases?"
keys b y
see "done: the change's number and how to undo it" b "Changed 3 cases (change"
for id in 1 2 3; do
	cb show $id
	contains "casebook show $id: in court" "$out" "status           in_court"
done
cb show 4
contains "an untagged case is unchanged" "$out" "status           open"
cb audit
contains "one audit entry lists the three cases" "$out" "status → in_court on 3 cases: 1, 2, 3"

keys b U
see "U asks before undoing" b "Undo change"
keys b y
see "U undid the change" b "undone: 3 cases as before"
for id in 1 2 3; do
	cb show $id
	contains "casebook show $id after undo: open again" "$out" "status           open"
done

# ; with nothing to change.
keys b '\;'
see "the menu again" b "Set the status"
keys b Enter
see "the terms again" b "in court"
keys b Enter
see "nothing to change when the cases are open already" b "Nothing to change"

# T: every case of the filter; ; untags.
keys b '\;'
see "the menu" b "Untag them all"
keys b End Enter
see "untagged" b "No case is tagged now."
keys b :
type_text b "city:Oral"
keys b Enter
see "the filter applies" b "5 of 6 cases"
keys b T
see "T tags every case of the filter" b "Tagged 5 cases of the filter"

# ; then Export: the tagged cases as CSV in sheet_dir, owner-only.
keys b '\;'
see "the menu for the export" b "Export them"
keys b End Up Enter
see "the export was saved" b "Saved to"
f=$(ls "$T"/sheets/export-*.csv 2>/dev/null | head -1)
if [ -n "$f" ]; then
	same "the export is 0600" "$(stat -c %a "$f")" 600
	same "the export has the 5 tagged cases and a header" "$(wc -l <"$f" | tr -d ' ')" 6
	contains "the export is casebook's CSV" "$(head -1 "$f")" "id,rev,name"
else
	not_ok "the export is in sheet_dir" "$(ls -la "$T/sheets" 2>&1)"
fi

# S saves the filter for everyone.
keys b S
see "S asks for a name" b "Save this filter as"
type_text b "oral_cases"
keys b Enter
see "saved" b "Saved as @oral_cases"
cb list @oral_cases --count
same "the command line uses the search saved in the TUI" "$out" "5"

# The filter pane lists the saved searches with their live counts; space
# on one makes it the filter.
keys b c
see "c clears the filter" b "6 of 6 cases"
cb add name="Person 6" city=Oral status=open >/dev/null
see "another user's case appears" b "7 of 7 cases"
keys b f
see "the filter pane lists saved searches" b "Saved searches"
see "with the live count (a case added since is counted)" b "@oral_cases"
case "$(screen b)" in
*"@oral_cases"*" 6"*) ok "the saved search's count is live: 6" ;;
*) not_ok "the saved search's count is live: 6" "$(screen b)" ;;
esac
keys b Down Space
see "space on a saved search filters by it" b "6 of 7 cases"
see "the filter shows @name" b "@oral_cases"
keys b Escape
not_see "Esc closes the pane" b "Saved searches"

# P: sheets or the list; the list goes to sheet_dir as a document.
keys b P
see "P asks: sheets or the list" b "The list as a table"
keys b Down Enter
see "the list was saved" b "Saved to"
f=$(ls "$T"/sheets/list-*.txt 2>/dev/null | head -1)
if [ -n "$f" ]; then
	ok "the list document is in sheet_dir"
	same "the list document is 0600" "$(stat -c %a "$f")" 600
	contains "the document has the filter" "$(cat "$f")" "Filter: @oral_cases"
	contains "and the count" "$(cat "$f")" "6 cases"
else
	not_ok "the list document is in sheet_dir" "$(ls -la "$T/sheets" 2>&1)"
fi
keys b q

# Tab completes @name in the filter line.
tui_start c 80 24
see "c: start" c "of 7 cases"
keys c :
type_text c "@or"
keys c Tab
see "Tab completes a saved search's name" c "Filter: @oral_cases"
keys c Enter
see "the completed filter applies" c "6 of 7 cases"
keys c :
keys c C-u
type_text c "@oral_cses"
keys c Enter
see "an unknown @name says did you mean" c "did you mean oral_cases?"
keys c q
