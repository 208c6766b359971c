//! Near-miss suggestions: for a category value that matches no area, the one area it was
//! almost certainly meant for, with the reason. A suggestion is made only when it is convincing
//! and unique: one best candidate among the areas that match nothing, and one-to-one (an area
//! two values point at is suggested for neither).
//!
//! The rules, strongest first, each applied on top of the visual's own matching
//! normalisation: `unicode` (non-breaking spaces, zero-width characters, composed and
//! decomposed forms), `separators` (`-`, `_`, space and `.` ignored), `leading-zeros` (`R-7` and
//! `R-007`), `title` (the value is the area's title rather than its id), `word-order` (the same
//! words in another order), and `edit-distance` (one edit for names of 8 characters or more,
//! two from 16; never for shorter names).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::normalize;

/// Why a value is taken for an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Invisible or differently composed characters.
    Unicode,
    /// Only separators differ.
    Separators,
    /// Only leading zeros of numbers differ (after separators).
    LeadingZeros,
    /// The value is the area's title.
    Title,
    /// The same words in another order.
    WordOrder,
    /// A typing slip.
    EditDistance,
}

impl Reason {
    /// The code written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Unicode => "unicode",
            Reason::Separators => "separators",
            Reason::LeadingZeros => "leading-zeros",
            Reason::Title => "title",
            Reason::WordOrder => "word-order",
            Reason::EditDistance => "edit-distance",
        }
    }
}

/// An area that could take a value: it matches none.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// Its id as exported (what a suggestion names).
    pub id: &'a str,
    /// Its title, if any.
    pub title: Option<&'a str>,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The category value.
    pub value: String,
    /// The id of the area it is meant for.
    pub area: String,
    /// Why.
    pub reason: Reason,
}

/// The suggestions for `values` (those that match nothing) among `candidates` (the areas that
/// match nothing), in the order of `values`.
pub fn suggest(values: &[String], candidates: &[Candidate<'_>]) -> Vec<Suggestion> {
    let keys: Vec<Keys> = candidates.iter().map(|c| Keys::of(c.id)).collect();
    let titles: Vec<Option<String>> = candidates.iter().map(|c| c.title.map(unicode_key)).collect();
    let index = |key: &dyn Fn(usize) -> Option<String>| {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for i in 0..candidates.len() {
            if let Some(k) = key(i).filter(|k| !k.is_empty()) {
                map.entry(k).or_default().push(i);
            }
        }
        map
    };
    let exact: [(Reason, HashMap<String, Vec<usize>>); 5] = [
        (Reason::Unicode, index(&|i| Some(keys[i].unicode.clone()))),
        (Reason::Separators, index(&|i| Some(keys[i].separators.clone()))),
        (Reason::LeadingZeros, index(&|i| Some(keys[i].zeros.clone()))),
        (Reason::Title, index(&|i| titles[i].clone())),
        (Reason::WordOrder, index(&|i| Some(keys[i].words.clone()))),
    ];
    let near = NearIndex::build(&keys);
    let mut proposals: Vec<(usize, usize, Reason)> = Vec::new();
    for (v, value) in values.iter().enumerate() {
        let k = Keys::of(value);
        let found = exact.iter().find_map(|(reason, map)| {
            let key = if *reason == Reason::Title { &k.unicode } else { k.get(*reason) };
            let hits = map.get(key)?;
            // One best candidate, or none at all from this rule on (ambiguity is not resolved
            // by a weaker rule).
            Some(if hits.len() == 1 { Some((hits[0], *reason)) } else { None })
        });
        let found = match found {
            Some(f) => f,
            None => near.closest(&k.separators).map(|c| (c, Reason::EditDistance)),
        };
        if let Some((c, reason)) = found {
            proposals.push((v, c, reason));
        }
    }
    // One-to-one: an area proposed for two values is suggested for neither.
    let mut claims: HashMap<usize, usize> = HashMap::new();
    for (_, c, _) in &proposals {
        *claims.entry(*c).or_default() += 1;
    }
    proposals
        .into_iter()
        .filter(|(_, c, _)| claims[c] == 1)
        .map(|(v, c, reason)| Suggestion {
            value: values[v].clone(),
            area: candidates[c].id.to_owned(),
            reason,
        })
        .collect()
}

/// A name under each rule's normalisation.
struct Keys {
    unicode: String,
    separators: String,
    zeros: String,
    words: String,
}

impl Keys {
    fn of(name: &str) -> Keys {
        let unicode = unicode_key(name);
        let separators: String = unicode.chars().filter(|c| !is_separator(*c)).collect();
        let zeros = without_leading_zeros(&separators);
        let mut words: Vec<&str> = unicode.split(is_separator).filter(|w| !w.is_empty()).collect();
        words.sort_unstable();
        let words = words.join(" ");
        Keys { unicode, separators, zeros, words }
    }

    fn get(&self, reason: Reason) -> &String {
        match reason {
            Reason::Separators => &self.separators,
            Reason::LeadingZeros => &self.zeros,
            Reason::WordOrder => &self.words,
            _ => &self.unicode,
        }
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | ' ' | '.')
}

/// The visual's normalisation after compatibility composition, with invisible characters
/// dropped and every kind of space made a plain one.
fn unicode_key(name: &str) -> String {
    let cleaned: String = name
        .nfkc()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let norm = normalize(&cleaned);
    norm.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Every run of digits without its leading zeros (`r007b` → `r7b`, `r000` → `r0`).
fn without_leading_zeros(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_number = false;
    let mut pending_zero = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_number && c == '0' {
                pending_zero = true;
                continue;
            }
            if c == '0' && pending_zero {
                continue;
            }
            in_number = true;
            pending_zero = false;
            out.push(c);
        } else {
            if pending_zero {
                out.push('0');
            }
            in_number = false;
            pending_zero = false;
            out.push(c);
        }
    }
    if pending_zero {
        out.push('0');
    }
    out
}

/// How many edits a name of `len` characters may be off by.
fn allowed_edits(len: usize) -> usize {
    match len {
        16.. => 2,
        8.. => 1,
        _ => 0,
    }
}

/// Candidates' separator-free names by their deletion variants (the SymSpell idea): two names
/// within `d` edits share a string reached by at most `d` deletions from each, so only names
/// sharing a variant are compared.
struct NearIndex<'a> {
    names: Vec<&'a str>,
    variants: HashMap<u64, Vec<u32>>,
}

impl<'a> NearIndex<'a> {
    fn build(keys: &'a [Keys]) -> NearIndex<'a> {
        let names: Vec<&str> = keys.iter().map(|k| k.separators.as_str()).collect();
        let mut variants: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let chars: Vec<char> = name.chars().collect();
            let edits = allowed_edits(chars.len());
            if edits == 0 {
                continue;
            }
            for v in deletions(&chars, edits) {
                variants.entry(v).or_default().push(i as u32);
            }
        }
        for list in variants.values_mut() {
            list.dedup();
        }
        NearIndex { names, variants }
    }

    /// The one candidate closest to `name` within the edits its length allows (of either
    /// name: the shorter decides), or `None` when there is none or a tie.
    fn closest(&self, name: &str) -> Option<usize> {
        let chars: Vec<char> = name.chars().collect();
        let edits = allowed_edits(chars.len());
        if edits == 0 {
            return None;
        }
        let mut seen = HashSet::new();
        let mut best: Option<(usize, usize)> = None;
        let mut tie = false;
        for v in deletions(&chars, edits) {
            for &i in self.variants.get(&v).into_iter().flatten() {
                if !seen.insert(i) {
                    continue;
                }
                let other = self.names[i as usize];
                let limit = edits.min(allowed_edits(other.chars().count()));
                let d = strsim::levenshtein(name, other);
                if d == 0 || d > limit {
                    continue;
                }
                match best {
                    Some((bd, _)) if d > bd => {}
                    Some((bd, _)) if d == bd => tie = true,
                    _ => {
                        best = Some((d, i as usize));
                        tie = false;
                    }
                }
            }
        }
        best.filter(|_| !tie).map(|(_, i)| i)
    }
}

/// Hashes of `chars` with up to `max` characters deleted (itself included).
fn deletions(chars: &[char], max: usize) -> HashSet<u64> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hash = |c: &[char]| BuildHasherDefault::<DefaultHasher>::default().hash_one(c);
    let mut out = HashSet::new();
    let mut level: Vec<Vec<char>> = vec![chars.to_vec()];
    out.insert(hash(chars));
    for _ in 0..max {
        let mut next = Vec::new();
        for word in &level {
            for i in 0..word.len() {
                let mut shorter = word.clone();
                shorter.remove(i);
                if out.insert(hash(&shorter)) {
                    next.push(shorter);
                }
            }
        }
        level = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[&str], areas: &[(&str, Option<&str>)]) -> Vec<(String, String, &'static str)> {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let candidates: Vec<Candidate> =
            areas.iter().map(|(id, title)| Candidate { id, title: *title }).collect();
        suggest(&values, &candidates).into_iter().map(|s| (s.value, s.area, s.reason.as_str())).collect()
    }

    fn one(value: &str, area: &str, reason: &'static str) -> Vec<(String, String, &'static str)> {
        vec![(value.to_owned(), area.to_owned(), reason)]
    }

    #[test]
    fn each_rule_suggests_where_it_should() {
        assert_eq!(
            run(&["Room\u{00A0}101"], &[("Room_x20_101x", None), ("Room101", None)]),
            one("Room\u{00A0}101", "Room101", "separators")
        );
        assert_eq!(run(&["Cafe\u{301}"], &[("Caf\u{e9}", None)]), one("Cafe\u{301}", "Caf\u{e9}", "unicode"));
        assert_eq!(
            run(&["Zero\u{200B}Width"], &[("ZeroWidth", None)]),
            one("Zero\u{200B}Width", "ZeroWidth", "unicode")
        );
        assert_eq!(run(&["R-101"], &[("R_101", None), ("R102", None)]), one("R-101", "R_101", "separators"));
        assert_eq!(run(&["R-7"], &[("R-007", None)]), one("R-7", "R-007", "leading-zeros"));
        assert_eq!(
            run(&["Main Kitchen"], &[("path12", Some("Main kitchen"))]),
            one("Main Kitchen", "path12", "title")
        );
        assert_eq!(
            run(&["Room North 5"], &[("North_Room_5", None)]),
            one("Room North 5", "North_Room_5", "word-order")
        );
        assert_eq!(
            run(&["Conferance"], &[("Conference", None)]),
            one("Conferance", "Conference", "edit-distance")
        );
        assert_eq!(
            run(&["Meeting Room Stokholm"], &[("Meeting_Room_Stockholmm", None)]),
            one("Meeting Room Stokholm", "Meeting_Room_Stockholmm", "edit-distance")
        );
    }

    #[test]
    fn nothing_is_suggested_when_unsure() {
        // Short names never by edit distance.
        assert!(run(&["R-105"], &[("R-106", None)]).is_empty());
        // Two equally good candidates.
        assert!(run(&["R-101"], &[("R_101", None), ("R.101", None)]).is_empty());
        assert!(run(&["Conferance"], &[("Conference", None), ("Conferanca", None)]).is_empty());
        // Two values for one area: neither.
        assert!(run(&["R-101", "R 101"], &[("R_101", None)]).is_empty());
        // Too many edits for the length.
        assert!(run(&["Storage A"], &[("Strage AB", None)]).is_empty());
        // Leading zeros are not separators: 1010 is not 101.
        assert!(run(&["R-1010"], &[("R-101", None)]).is_empty());
    }

    #[test]
    fn leading_zeros_are_dropped_per_number() {
        assert_eq!(without_leading_zeros("r007b0012"), "r7b12");
        assert_eq!(without_leading_zeros("r000"), "r0");
        assert_eq!(without_leading_zeros("100"), "100");
    }
}
