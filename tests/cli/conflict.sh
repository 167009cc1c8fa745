#!/bin/sh
# Three-way merge of edit --rev N: a colleague's change since revision N
# and this edit's are merged field by field; a field both changed is
# refused with both values (exit 1) and nothing is saved.
. "$(dirname "$0")/../lib.sh"

cb add name='Иван Петров' lawyer='Адвокат А' status=open city=Almaty \
	measures='admin_arrest:days=15'
# A colleague changes the lawyer (revision 2).
cb edit 1 --rev 1 lawyer='Адвокат Б'

# Another field, from revision 1: merged with theirs, nothing lost.
expect_rc "edit --rev 1 of another field merges" 0 edit 1 --rev 1 city=Astana
contains "says it merged" "$out" "merged with the changes made since revision 1"
cb show 1 --json
contains "their lawyer is kept" "$out" '"lawyer": "Адвокат Б"'
contains "my city is saved" "$out" '"city": "Astana"'
contains "the merge is revision 3" "$out" '"rev": 3'

# The same field, from revision 1: refused, naming it with both values.
expect_rc "both changed the lawyer: refused" 1 edit 1 --rev 1 lawyer='Адвокат В' status=appeal
contains "the refusal names the field" "$err" "lawyer: theirs «Адвокат Б», yours «Адвокат В»"
contains "the refusal names who changed it" "$err" "changed by $(id -un)"
contains "the refusal says nothing was saved" "$err" "nothing was saved"
lacks "a field only I changed is no conflict" "$err" "status:"
same "the refusal is one line" "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1
cb show 1 --json
contains "nothing saved: lawyer" "$out" '"lawyer": "Адвокат Б"'
contains "nothing saved: status" "$out" '"status": "open"'
contains "nothing saved: rev" "$out" '"rev": 3'

# Both made the same change: no conflict.
expect_rc "the same value on both sides merges" 0 edit 1 --rev 1 lawyer='Адвокат Б' status=appeal
cb show 1 --json
contains "my status saved" "$out" '"status": "appeal"'
contains "and their city kept" "$out" '"city": "Astana"'

# Measures: a colleague's new measure and my status change merge.
cb show 1 --json
cb edit 1 --rev 4 'measures=admin_arrest:days=15|fine:fine=100 MRP'
expect_rc "a change of measures by them merges with mine" 0 edit 1 --rev 4 notes='seen in court'
cb show 1 --json
contains "their fine kept" "$out" '"fine": "100 MRP"'
contains "my notes saved" "$out" '"notes": "seen in court"'
expect_rc "both changed measures: refused" 1 edit 1 --rev 4 'measures=detention'
contains "measures conflict names both values" "$err" "measures: theirs «admin_arrest:days=15|fine:fine=100 MRP», yours «detention»"

# A revision the case never had.
expect_rc "edit --rev of a future revision" 1 edit 1 --rev 99 city=X
contains "it is refused as a conflict" "$err" "nothing was saved"
expect_rc "check after merges" 0 check
