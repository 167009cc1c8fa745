/* skeleton.h — the romanised "skeleton" of a name word, so that one name
 * written in Kazakh or Russian Cyrillic, in passport Latin, in the 2021
 * Kazakh Latin alphabet, in Uzbek Latin or in French-style spelling gives
 * one key: Джуманиязова, DZHUMANIYAZOVA, Jumaniyazova and Djumaniyazova
 * are all "jumaniazova"; Нұржан, нуржан and Nurzhan are all "nurjan".
 *
 * Every name word (name, name_latin, aliases; split at white space) is
 * indexed under its skeleton (the name_skel index, index_key.h), and a
 * name filter word W matches a stored word V when skeleton(W) is a
 * prefix of skeleton(V), so "нурж" finds Nurzhan (a filter word also
 * matches, as before, by its folded prefix: index_key.h). A search cut inside a
 * two-letter spelling of rule 6 finds the name once the next letter is
 * typed ("Nurz" for Nurzhan, "Май" for Майер). The pair tables in
 * tests/unit/test_skeleton.c (names that must and must not match, each
 * with its reason) are the specification by example.
 *
 * The rules, applied in this order:
 *
 *  1. Reading. The word is UTF-8 in any case. Bytes that are not valid
 *     UTF-8 are skipped and separate like punctuation. Only the first
 *     SKELETON_INPUT_MAX characters are read.
 *  2. Composition. A word holding combining marks is composed first
 *     (Unicode NFC), so a decomposed Й or Ş is the precomposed letter.
 *  3. Look-alikes. In a word with both Cyrillic and Latin letters, each
 *     letter of the smaller script that looks like a letter of the larger
 *     one is read as that letter (Latin a c e i o p x y and capital
 *     A B C E H I K M O P T X Y against Cyrillic а с е і о р х у and
 *     А В С Е Н І К М О Р Т Х У); on a tie Cyrillic wins. "Cepгей" with
 *     Latin C, e and p is Сергей.
 *  4. Letters to Latin, lower case:
 *     - Cyrillic (Russian, Kazakh, Uzbek, Ukrainian, Belarusian) by our
 *       own table: ж zh, х kh, ц ts, ч ch, ш sh, щ shch, й ы y, ю yu, я ya,
 *       е ё э є e, ї yi, ә a, ғ ґ g, қ k, ң n, ө o, у ұ ү ў u, һ ҳ kh,
 *       и і i; ь and ъ separate like an apostrophe (rule 5).
 *     - Latin letters lose their marks (ä a, ö o, ü ū u, ñ n, ğ g, ı İ i,
 *       é e, ...), except the ones that write a sound of their own:
 *       ş š ŝ sh, ç č ch, ž zh, ə a; ß ss, æ ae, œ oe, þ th.
 *     - Any other script goes through ICU "Any-Latin; Latin-ASCII".
 *  5. Separators. Apostrophes, hyphens and every other character that is
 *     not a letter or digit are dropped (O'Neil = ONeil, Абдул-Азиз =
 *     Абдулазиз), but the letters on either side never make a two-letter
 *     spelling of rule 6 (Uzbek Is'hoq is s + h, not sh). Exception:
 *     ʻ (U+02BB) or ‘ (U+2018) right after o is Uzbek oʻ, the letter ў,
 *     and makes that o a u (Oʻtkir = Ўткир = Уткир).
 *  6. Two-letter spellings, longest first: shch and sh are ш (written x);
 *     dzh, dj, zh and j are ж (written j: Ж = Дж, as Жамиля = Джамиля);
 *     ch is ч (written c); kh is х (written h); gh is g; ph is f; ye and
 *     yo are e (Yerkin = Еркин, Alyona = Алёна).
 *  7. Single letters: q is k, c is k, x is h (Uzbek Xurshid = Хуршид), w is
 *     v, and y is i (Aydar = Aidar = Айдар; Kaziyev: iy gives i + i).
 *  8. After u, an i (from и, й, ы, і, i or y) is dropped before a
 *     consonant or at the end of the word: Kazakh уы/үй is Russian у, so
 *     Бауыржан = Бауржан and Дүйсенов = Дусенов.
 *  9. A letter written twice or more in a row is written once (Assel =
 *     Asel, Kussainov = Kusainov, and i + i from iy). Digits are kept as
 *     they are and never merged.
 *
 * The skeleton therefore uses a b c d e f g h i j k l m n o p r s t u v x
 * z and 0-9: c is ч, x is ш/щ, j is ж/дж, h is х/һ. It is a key, not text
 * to show. What is deliberately not merged (к/х, ц/ч, ng/ң, Uzbek o/а,
 * English x = ks, German j = й) is listed with reasons in the tests. */
#ifndef CASEBOOK_SKELETON_H
#define CASEBOOK_SKELETON_H

#include <stddef.h>

/* Characters of one word that are read; the rest is ignored (rule 1). */
#define SKELETON_INPUT_MAX 512
/* A buffer size that holds the skeleton of any real name word. */
#define SKELETON_CAP 64
/* The version of the rules above and of their tables. Bump it whenever a
 * word's skeleton may change: every key made from skeletons (the name_skel
 * index, the place keys) is then rebuilt on the next writable open, so old
 * and new skeletons never mix in one index. */
#define SKELETON_VERSION 1

/* Writes the skeleton of one name word (utf8[0..len), any script and
 * case) to out as a NUL-terminated ASCII string and returns its length.
 * Never writes more than cap bytes: a longer skeleton is clipped to its
 * first cap - 1 characters, which is a prefix of the whole one. cap 0
 * writes nothing. Same input, same output; an empty or punctuation-only
 * word gives "", which callers must neither index nor search for (it is a
 * prefix of every key). Cyrillic and Latin text is handled by tables; other
 * scripts call ICU (not from two threads at once on one transliterator:
 * each thread keeps its own). */
size_t skeleton_word(const char *utf8, size_t len, char *out, size_t cap);

/* The same rules with every letter romanised by ICU instead of our tables
 * (Kazakh-Latin/BGN, Uzbek-Latin/BGN, Any-Latin, Latin-ASCII): the
 * reference the tables are tested against. It agrees with skeleton_word
 * except where the tables differ on purpose: ң (BGN ng), ş ç š č ž ŝ
 * (Latin-ASCII drops the mark), ə (Latin-ASCII keeps it), Uzbek oʻ, сһ
 * and сҳ (BGN h after с would read as ш), й before е (BGN ĭ keeps it
 * apart) and look-alikes (rule 3).
 * About 50 times slower; for tests and checks. */
size_t skeleton_word_icu(const char *utf8, size_t len, char *out, size_t cap);

#endif
