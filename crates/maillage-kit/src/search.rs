//! How typed searches find records, the same way in every list (the directory, the register, the actors…):
//! texts are folded (lower case, no accents, letters and digits only), French plurals are reduced to their
//! singular ("dentistes", "hôpitaux" find "dentiste", "hôpital"), a word typed is found at the start of a word
//! ("adol" finds "adolescents"), and a word of five letters or more may differ by one edit — a letter added,
//! missing, changed, or two letters swapped ("dentsite" finds "dentiste"). Shorter words must be exact: one edit
//! in three letters would find everything.

/// Lower-case, without accents, letters and digits only separated by single spaces ("Santé  mentale" and
/// "sante-mentale" read alike).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ñ' => 'n',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' | 'ý' => 'y',
            'œ' => {
                out.push('o');
                'e'
            }
            'æ' => {
                out.push('a');
                'e'
            }
            c => c,
        };
        if base.is_alphanumeric() {
            out.push(base);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// The singular of a folded French word, by the simple rules that cover most plurals: "-aux" → "-al"
/// (hôpitaux), a final "s" or "x" dropped (dentistes, jeux). Words of three letters or less are kept (bus, os).
pub fn singular(word: &str) -> &str {
    if word.len() <= 3 {
        return word;
    }
    match word.strip_suffix('s').or_else(|| word.strip_suffix('x')) {
        Some(stem) => stem,
        None => word,
    }
}

/// The shortest word a typed word may differ from by one edit.
const FUZZY_FROM: usize = 5;

/// Whether a typed word (folded) is found in a word of a record (folded): same start, after both are made
/// singular, or one edit apart for words of [`FUZZY_FROM`] letters or more.
pub fn word_matches(word: &str, typed: &str) -> bool {
    let w = singular(word);
    let t = singular(typed);
    if w.starts_with(t) || word.starts_with(typed) || plural_al(word, typed) {
        return true;
    }
    if t.chars().count() < FUZZY_FROM {
        return false;
    }
    // The whole word, or its start as long as the typed word (a typo in "adolecs" still finds "adolescents").
    let head: String = w.chars().take(t.chars().count()).collect();
    within_one_edit(w, t) || within_one_edit(&head, t)
}

/// "hopitaux" typed finds "hopital", and "hopital" typed finds "hopitaux".
fn plural_al(word: &str, typed: &str) -> bool {
    let al = |s: &str| s.strip_suffix("aux").map(|stem| format!("{stem}al"));
    al(word).is_some_and(|w| w.starts_with(typed))
        || al(typed).is_some_and(|t| word.starts_with(&t))
}

/// Whether a folded text has a word in which `typed` is found.
pub fn text_has(folded: &str, typed: &str) -> bool {
    folded.split(' ').any(|w| word_matches(w, typed))
}

/// The words of a search, folded, without the words too common to tell records apart.
pub fn search_words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Whether every word of `query` (already [`search_words`]) is found in `text` (any text: it is folded here).
/// An empty query matches everything.
pub fn matches_all(text: &str, query: &[String]) -> bool {
    if query.is_empty() {
        return true;
    }
    let folded = fold(text);
    query.iter().all(|t| text_has(&folded, t))
}

/// Words too common to tell records apart.
pub const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "pour",
    "sur", "un", "une",
];

/// Whether `a` and `b` are at most one edit apart (insertion, deletion, substitution, or two neighbouring letters
/// swapped: the optimal string alignment distance ≤ 1), without computing the whole distance.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            let differ: Vec<usize> = (0..short.len()).filter(|&i| short[i] != long[i]).collect();
            match differ.as_slice() {
                [] | [_] => true,
                [i, j] => *j == i + 1 && short[*i] == long[*j] && short[*j] == long[*i],
                _ => false,
            }
        }
        1 => {
            // The first difference is the inserted letter: the rest must agree.
            let first = (0..short.len())
                .find(|&i| short[i] != long[i])
                .unwrap_or(short.len());
            short[first..] == long[first + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(text: &str, query: &str) -> bool {
        matches_all(text, &search_words(query))
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Santé  MENTALE — Écoute"), "sante mentale ecoute");
        assert_eq!(fold("Cœur"), "coeur");
    }

    #[test]
    fn plurals_accents_and_starts_are_found() {
        assert!(finds("Cabinet dentaire — dentiste", "dentistes"));
        assert!(finds("Dentistes de la place", "dentiste"));
        assert!(finds("Centre hospitalier, hôpital de jour", "hôpitaux"));
        assert!(finds("Les hôpitaux du secteur", "hopital"));
        assert!(finds("Maison des adolescents", "adol"));
        assert!(finds("Écoute santé mentale", "ecoute sante"));
        assert!(finds("Point d'accueil jeux", "jeu"));
    }

    #[test]
    fn one_edit_is_tolerated_from_five_letters() {
        assert!(finds("dentiste", "dentsite"), "two letters swapped");
        assert!(finds("dentiste", "dentiste"));
        assert!(finds("dentiste", "dantiste"), "one letter changed");
        assert!(finds("dentiste", "dentite"), "one letter missing");
        assert!(finds("infirmier", "infirmiier"), "one letter added");
        assert!(finds("adolescents", "adolecsents"));
        assert!(!finds("dentiste", "dnetsite"), "two edits");
        assert!(!finds("bus", "bis"), "short words are exact");
        assert!(!finds("kiné", "kima"));
    }

    #[test]
    fn every_word_typed_must_be_found() {
        assert!(finds(
            "Maison de santé pluriprofessionnelle",
            "maison sante"
        ));
        assert!(!finds(
            "Maison de santé pluriprofessionnelle",
            "maison dentiste"
        ));
        assert!(finds("n'importe quoi", ""));
        assert!(
            finds("n'importe quoi", "de la"),
            "only stop words: everything"
        );
    }

    #[test]
    fn the_edit_test_agrees_with_its_definition() {
        assert!(within_one_edit("abc", "abc"));
        assert!(within_one_edit("abc", "abd"));
        assert!(within_one_edit("abc", "ab"));
        assert!(within_one_edit("abc", "xabc"));
        assert!(within_one_edit("abcd", "abdc"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(!within_one_edit("abc", "a"));
        assert!(!within_one_edit("abcd", "axcy"));
    }
}
