#!/bin/sh
# TUI: Tab in the filter line completes field names and vocabulary terms;
# terms typed in Russian filter like their keys; a near miss is refused
# with the nearest term named.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы injuries=head_trauma measures=fine >/dev/null
cb add name="Асель Нурова" city=Алматы injuries='bruise|burn' measures=detention >/dev/null
cb add name="Болат Ким" city=Тараз measures=admin_arrest:days=5 >/dev/null

tui_start a 80 24
see "start" a "3 of 3 cases"
keys a :
type_text a "inj"
keys a Tab
see "Tab completes a field name" a "Filter: injury:"
type_text a "he"
keys a Tab
see "Tab completes a term" a "Filter: injury:head_trauma"
keys a Enter
see "the completed filter applies" a "1 of 3 cases"

keys a :
keys a C-u
type_text a "injury:b"
keys a Tab
see "several terms are listed" a "bruise burn"
see "and the line is left as typed" a "Filter: injury:b "
type_text a "u"
keys a Tab
see "one more letter picks one" a "Filter: injury:burn"
not_see "the list is gone" a "bruise burn"
keys a Enter
see "burn applies" a "1 of 3 cases"

keys a :
keys a C-u
type_text a "measure:штр"
keys a Tab
see "a Russian prefix completes to the key" a "Filter: measure:fine"
keys a Enter
see "fine applies" a "1 of 3 cases"

keys a :
keys a C-u
type_text a "measure:задержание"
keys a Enter
see "a Russian label filters" a "1 of 3 cases"

keys a q
see "quits" a "casebook-exited-0"

# At 80 columns the status line's prefixes push the suggestion past the
# edge, so the near miss is read on a wider terminal.
tui_start b 120 24
see "start wide" b "3 of 3 cases"
keys b :
type_text b "injury:bruse"
keys b Enter
see "a near miss names the nearest term" b 'unknown injury type "bruse"; did you mean bruise?'
keys b q

# In Russian and Kazakh, Tab offers the field words of the user's language
# ("гор" -> "город:"; "кал", typed without the Kazakh layout, -> "қала:"),
# and completes the value after such a word as after the English name.
tui_start r 80 24 -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8
see "start (Russian)" r "3 из 3"
keys r :
type_text r "гор"
keys r Tab
see "Russian: гор completes to город:" r "город:"
keys r C-u
type_text r "трав"
keys r Tab
see "Russian: трав completes to травма:" r "травма:"
type_text r "уш"
keys r Tab
see "Russian: a value after травма: completes too" r "травма:bruise"
keys r Enter
see "Russian: the completed filter applies" r "1 из 3"
keys r q
tui_start k 80 24 -u LC_ALL -u LANGUAGE LANG=kk_KZ.UTF-8
see "start (Kazakh)" k "3 / 3"
keys k :
type_text k "кал"
keys k Tab
see "Kazakh: кал completes to қала:" k "қала:"
keys k C-u
type_text k "і"
keys k Tab
see "Kazakh: і completes to іс-шара:" k "іс-шара:"
keys k q

echo "1..$_n"
