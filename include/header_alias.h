/* header_alias.h — the column headers office spreadsheets use, in Russian,
 * Kazakh and English ("ФИО", "Населённый пункт", "Қала", "Full name"...),
 * mapped to casebook's field names, so a typical office file imports
 * without --map. */
#ifndef CASEBOOK_HEADER_ALIAS_H
#define CASEBOOK_HEADER_ALIAS_H

/* The field name (as in case_fields[].name: "name", "city", "hearing"...;
 * case_field_find gives its index) that a column header stands for, or NULL
 * when the header is not known. Headers are compared by a key that ignores
 * case, spaces and punctuation, reads ё as е, and reads the Kazakh letters
 * ә ғ қ ң ө ұ ү һ і as а г к н о у у х и (so "Ф.И.О.", "фио" and "ФИО", or
 * "Кала" typed without a Kazakh layout and "Қала", are one header). Known
 * headers are: the built-in list of office names, each user-settable
 * field's name ("birth_year", "Birth year") and its label in English and in
 * the current language ("Year of birth", and its translation). Internal
 * fields (id, rev, created, updated, updated_by) are never returned. Two
 * columns may map to one field ("Фамилия" and "Имя" both give "name"):
 * refusing or joining them is the caller's decision. */
const char *header_alias_find(const char *header);

#endif
