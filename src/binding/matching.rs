//! How the visual matches an area id (or a strong value) to a category value.

use std::collections::HashMap;

use crate::ids::{escape_len, strip_digit_prefix};

/// Normalises an id or a category value for comparison, in the documented order:
/// drop one leading `_` before a digit, decode `_xH…H_` escapes, turn the remaining `_`
/// into spaces, trim, and lower-case.
pub fn normalize(s: &str) -> String {
    let rest = strip_digit_prefix(s);
    let mut decoded = String::with_capacity(rest.len());
    let mut i = 0;
    let bytes = rest.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'_'
            && let Some(len) = escape_len(&bytes[i..])
        {
            let hex = &rest[i + 2..i + len - 1];
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                decoded.push(c);
                i += len;
                continue;
            }
        }
        let c = rest[i..].chars().next().expect("index is on a char boundary");
        decoded.push(c);
        i += c.len_utf8();
    }
    decoded.replace('_', " ").trim().to_lowercase()
}

/// True when `id` binds to `value` under the visual's rules.
pub fn matches(id: &str, value: &str) -> bool {
    normalize(id) == normalize(value)
}

/// A set of category values, indexed by their normal form for fast lookups.
#[derive(Debug, Clone, Default)]
pub struct Categories {
    values: Vec<String>,
    by_norm: HashMap<String, usize>,
}

impl Categories {
    /// Builds the set from the values of a category column, keeping their order.
    pub fn new<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut out = Self::default();
        for v in values {
            let v: String = v.into();
            let norm = normalize(&v);
            if norm.is_empty() {
                continue;
            }
            let idx = out.values.len();
            out.by_norm.entry(norm).or_insert(idx);
            out.values.push(v);
        }
        out
    }

    /// The category values, in the order given.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The index of the value an id (or a strong value) matches, if any.
    pub fn find(&self, id_or_value: &str) -> Option<usize> {
        self.by_norm.get(&normalize(id_or_value)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_table() {
        let yes = [
            ("s202", "s202"),
            ("s202", "S202"),
            ("s202", "  s202 "),
            ("sec_203", "sec 203"),
            ("sec_203", "SEC_203"),
            ("_304", "304"),
            ("_x24_cost", "$cost"),
            ("Room_x20_101", "room 101"),
        ];
        for (id, value) in yes {
            assert!(matches(id, value), "{id} ~ {value}");
        }
        for (id, value) in [("sec210", "sec 210"), ("r_101", "r-101")] {
            assert!(!matches(id, value), "{id} !~ {value}");
        }
    }

    #[test]
    fn illustrator_digit_escape_and_unicode_case() {
        assert!(matches("_x33_04", "304"));
        assert!(matches("Ünïcode_x20_Room", "ÜNÏCODE ROOM"));
        assert!(!matches("_x3_", "\u{3}"));
    }

    #[test]
    fn categories_lookup() {
        let c = Categories::new(["Room 101", "304", "", "  "]);
        assert_eq!(c.len(), 2);
        assert_eq!(c.find("Room_x20_101"), Some(0));
        assert_eq!(c.find("_304"), Some(1));
        assert_eq!(c.find("nope"), None);
    }
}
