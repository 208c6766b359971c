//! Synoptic area ids: validity, the author-name ⇄ id encoding, and making ids unique.

use std::collections::HashSet;
use std::fmt;

/// Why a string cannot be an [`AreaId`] or an author name cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string was empty.
    #[error("an id cannot be empty")]
    Empty,
    /// A character is not allowed at its position.
    #[error("character {ch:?} is not allowed at position {position} of an id")]
    BadChar {
        /// The offending character.
        ch: char,
        /// Its position, counted in characters.
        position: usize,
    },
}

/// A valid XML id, as the Synoptic visual expects: the only way to hold an id in the model.
///
/// The first character is a letter or `_`; the others are letters, ASCII digits, `-`, `_`,
/// `:` or `.`. Letters include non-ASCII letters, as in XML names.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaId(String);

impl AreaId {
    /// Checks that `id` is a valid id and wraps it.
    pub fn new(id: &str) -> Result<Self, IdError> {
        validate(id)?;
        Ok(Self(id.to_owned()))
    }

    /// Encodes an author's plain name (`Room 101`, `304`, `$cost`) into an id.
    pub fn from_name(name: &str) -> Result<Self, IdError> {
        if name.is_empty() {
            return Err(IdError::Empty);
        }
        Ok(Self(encode_name(name)))
    }

    /// The id as written in the SVG.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The author's plain name this id encodes (the inverse of [`AreaId::from_name`]).
    pub fn to_name(&self) -> String {
        decode_id(&self.0)
    }
}

impl fmt::Debug for AreaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AreaId({:?})", self.0)
    }
}

impl fmt::Display for AreaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for AreaId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn is_start_char(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '-' | '_' | ':' | '.')
}

/// Checks the id rules without allocating.
pub fn validate(id: &str) -> Result<(), IdError> {
    let mut chars = id.chars();
    let first = chars.next().ok_or(IdError::Empty)?;
    if !is_start_char(first) {
        return Err(IdError::BadChar { ch: first, position: 0 });
    }
    for (i, c) in chars.enumerate() {
        if !is_name_char(c) {
            return Err(IdError::BadChar { ch: c, position: i + 1 });
        }
    }
    Ok(())
}

/// True when `id` is a valid id.
pub fn is_valid(id: &str) -> bool {
    validate(id).is_ok()
}

/// Length in bytes of an `_xH…H_` escape (2 to 6 hex digits) at the start of `s`, if any.
pub(crate) fn escape_len(s: &[u8]) -> Option<usize> {
    if s.len() < 5 || s[0] != b'_' || s[1] != b'x' {
        return None;
    }
    let digits = s[2..].iter().take_while(|b| b.is_ascii_hexdigit()).count();
    ((2..=6).contains(&digits) && s.get(2 + digits) == Some(&b'_')).then_some(digits + 3)
}

/// Decodes the escape at the start of `s` into its character, if it is one.
fn decode_escape(s: &str) -> Option<(char, usize)> {
    let len = escape_len(s.as_bytes())?;
    let code = u32::from_str_radix(&s[2..len - 1], 16).ok()?;
    char::from_u32(code).map(|c| (c, len))
}

fn push_escape(out: &mut String, c: char) {
    use std::fmt::Write;
    let _ = write!(out, "_x{:02X}_", c as u32);
}

/// Encodes a plain name; see `synoptic-maps.md` ("From an author's name to an id").
fn encode_name(name: &str) -> String {
    // Encode every character but `_` first, then decide on each literal `_` from right to
    // left, because whether it must be escaped depends on the encoded text that follows it.
    // Only the first bytes of that text matter (an escape is at most 9 bytes), so a short head
    // of it is kept: linear in the name's length.
    const HEAD: usize = 16;
    let mut pieces: Vec<String> = Vec::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        let allowed = if i == 0 { is_start_char(c) || c.is_ascii_digit() } else { is_name_char(c) };
        let mut piece = String::new();
        if allowed {
            piece.push(c);
        } else {
            push_escape(&mut piece, c);
        }
        pieces.push(piece);
    }
    let mut head = String::new();
    for i in (0..pieces.len()).rev() {
        if pieces[i] == "_" {
            let probe = format!("_{head}");
            let next_is_digit = head.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if escape_len(probe.as_bytes()).is_some() || (i == 0 && next_is_digit) {
                pieces[i] = "_x5F_".to_owned();
            }
        }
        let mut new_head = pieces[i].clone();
        for c in head.chars() {
            if new_head.len() >= HEAD {
                break;
            }
            new_head.push(c);
        }
        head = new_head;
    }
    let mut out = pieces.concat();
    if out.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        out.insert(0, '_');
    }
    out
}

/// Decodes an id into the author's name: drops a leading `_` before a digit and decodes
/// every `_xH…H_` escape.
fn decode_id(id: &str) -> String {
    let mut rest = strip_digit_prefix(id);
    let mut out = String::with_capacity(rest.len());
    while let Some(pos) = rest.find("_x") {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_escape(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('_');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Drops one leading `_` when a digit follows it.
pub(crate) fn strip_digit_prefix(s: &str) -> &str {
    match s.as_bytes() {
        [b'_', d, ..] if d.is_ascii_digit() => &s[1..],
        _ => s,
    }
}

/// An id exactly as read from a file, valid or not: what the model keeps, so that Save writes
/// it back unchanged (even `01` or `Print Room`). Export writes [`RawId::to_area_id`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RawId(Box<str>);

impl RawId {
    /// Wraps an id as read; `None` for an empty one.
    pub fn new(id: &str) -> Option<Self> {
        (!id.is_empty()).then(|| Self(id.into()))
    }

    /// The id as read.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the id follows the id rules and is written as it is.
    pub fn is_valid(&self) -> bool {
        is_valid(&self.0)
    }

    /// The id export writes: the id itself when valid, else the author's name it spells
    /// encoded by the id rules (`Print Room` → `Print_x20_Room`).
    pub fn to_area_id(&self) -> AreaId {
        if self.is_valid() { AreaId(self.0.to_string()) } else { AreaId(encode_name(&self.0)) }
    }

    /// The author's plain name: the decoded id when valid, else the id as read.
    pub fn to_name(&self) -> String {
        if self.is_valid() { decode_id(&self.0) } else { self.0.to_string() }
    }
}

impl From<AreaId> for RawId {
    fn from(id: AreaId) -> Self {
        Self(id.0.into_boxed_str())
    }
}

impl fmt::Debug for RawId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawId({:?})", self.0)
    }
}

impl fmt::Display for RawId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RawId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Hands out unique ids, by the one rule export, new shapes and pasted copies share: an id is
/// kept while it is free; a taken one becomes its stem (the id without a trailing `_N`) with the
/// next free number from 2, so `Room` is followed by `Room_2`, and a second `Area_1` becomes
/// `Area_2`. In time linear in the number of claims, however many share one stem.
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
    next_suffix: std::collections::HashMap<String, u64>,
}

impl UniqueIds {
    /// Starts with `ids` already taken (the ids a map has).
    pub fn taking<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        UniqueIds { taken: ids.into_iter().map(str::to_owned).collect(), next_suffix: Default::default() }
    }

    /// Claims `id`, or the first free `stem_N` when it is taken.
    pub fn claim(&mut self, id: &AreaId) -> AreaId {
        if self.taken.insert(id.0.clone()) {
            return id.clone();
        }
        let stem = numbered_stem(&id.0);
        let n = self.next_suffix.entry(stem.to_owned()).or_insert(2);
        loop {
            let candidate = format!("{stem}_{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return AreaId(candidate);
            }
        }
    }
}

/// Ids of areas added in bulk (traced rooms, grid cells): a prefix and a number from `start`,
/// written with at least `digits` digits (`Seat-001`, `Seat-002`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// What every id starts with.
    pub prefix: String,
    /// The first number.
    pub start: u64,
    /// The fewest digits a number is written with (zeros in front).
    pub digits: usize,
}

impl Sequence {
    /// The id of the `i`th area (from 0), the name made an id by the id rules.
    pub fn id(&self, i: usize) -> AreaId {
        let name =
            format!("{}{:0width$}", self.prefix, self.start.saturating_add(i as u64), width = self.digits);
        AreaId::from_name(&name)
            .unwrap_or_else(|_| AreaId(format!("Area_{}", self.start.saturating_add(i as u64))))
    }
}

/// `id` without a trailing `_N` (when what is left is still an id): the stem new numbers go on.
/// The `_` that closes an escape is no separator: `Lab_x20_4` is the name "Lab 4", and its
/// copy is `Lab_x20_4_2`, not `Lab_x20_2` ("Lab 2", another room's name).
fn numbered_stem(id: &str) -> &str {
    let closes_escape = |stem: &str| {
        stem.rsplit_once("_x").is_some_and(|(_, hex)| {
            (2..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        })
    };
    match id.rsplit_once('_') {
        Some((stem, n))
            if !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && is_valid(stem)
                && !closes_escape(stem) =>
        {
            stem
        }
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        for ok in ["a", "_", "_304", "Room_x20_101", "é", "sec-1.2:3", "Δ9"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in ["", "1a", "-a", ".a", "a b", "a$", "a/b"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn encodes_the_documented_examples() {
        let cases = [
            ("Room 101", "Room_x20_101"),
            ("304", "_304"),
            ("$cost", "_x24_cost"),
            ("a/b", "a_x2F_b"),
            ("a—b", "a_x2014_b"),
            ("sec_203", "sec_203"),
            ("a_x20_b", "a_x5F_x20_b"),
            ("_304", "_x5F_304"),
            ("-a", "_x2D_a"),
        ];
        for (name, id) in cases {
            assert_eq!(AreaId::from_name(name).unwrap().as_str(), id, "{name}");
            assert_eq!(AreaId::new(id).unwrap().to_name(), name, "{id}");
        }
    }

    #[test]
    fn tricky_underscores_round_trip() {
        for name in ["_x24$", "_x24_x41_", "x_", "_", "__", "_x1234567_", "_xD800_", "9_x20_"] {
            let id = AreaId::from_name(name).unwrap();
            assert!(is_valid(id.as_str()), "{name} -> {id}");
            assert_eq!(id.to_name(), name, "{name} -> {id}");
        }
    }

    #[test]
    fn unique_suffixes() {
        let mut ids = UniqueIds::default();
        let a = AreaId::new("a").unwrap();
        ids.claim(&AreaId::new("a_3").unwrap());
        assert_eq!(ids.claim(&a).as_str(), "a");
        assert_eq!(ids.claim(&a).as_str(), "a_2");
        assert_eq!(ids.claim(&a).as_str(), "a_4");
        let mut ids = UniqueIds::taking(["Area_1", "Room_3"]);
        assert_eq!(ids.claim(&AreaId::new("Area_1").unwrap()).as_str(), "Area_2", "a number goes on");
        assert_eq!(ids.claim(&AreaId::new("Room_3").unwrap()).as_str(), "Room_2", "the next free number");
        assert_eq!(ids.claim(&AreaId::new("_3").unwrap()).as_str(), "_3");
        assert_eq!(ids.claim(&AreaId::new("_3").unwrap()).as_str(), "_3_2", "no empty stem");
        let mut ids = UniqueIds::taking(["Lab_x20_4"]);
        let lab = AreaId::from_name("Lab 4").unwrap();
        assert_eq!(ids.claim(&lab).as_str(), "Lab_x20_4_2", "not Lab_x20_2, the name \"Lab 2\"");
    }

    #[test]
    fn raw_ids_are_kept_and_encoded_for_export() {
        let raw = RawId::new("Print Room").unwrap();
        assert_eq!(raw.as_str(), "Print Room");
        assert_eq!(raw.to_area_id().as_str(), "Print_x20_Room");
        assert_eq!(raw.to_name(), "Print Room");
        assert_eq!(RawId::new("01").unwrap().to_area_id().as_str(), "_01");
        assert_eq!(RawId::new("Room_x20_1").unwrap().to_name(), "Room 1");
        assert!(RawId::new("").is_none());
    }
}
