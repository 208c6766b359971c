//! The optimised export's plan: what each element's style becomes once shared properties are
//! moved up to groups and default values dropped, which decorations are invisible and which
//! groups are empty (left out), and which groups have nothing of their own (their children
//! written in their place); plus the shortest form of colours and numbers in style values.
//! Areas are never left out, and `fill` is never moved onto a group that is an area (the
//! visual colours a group area through its own fill).

use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use super::write::Num;
use crate::model::{Map, NodeKey, NodeKind};

/// Declarations, in order.
pub type Decls = Vec<(String, String)>;

/// Declaration lists shared among the elements holding the same: thousands of elements of a
/// large map hold a few, so a change is worked out once per list it is made to.
#[derive(Default)]
pub struct Shared {
    lists: HashSet<Arc<Decls>>,
    /// The list each change made to a list gives, by the list's address (lists live as long as
    /// this, so an address stands for one list).
    changed: HashMap<(usize, Change), Arc<Decls>>,
}

/// A change to a declaration list.
#[derive(Hash, PartialEq, Eq, Clone)]
enum Change {
    /// Without the property.
    Without(&'static str),
    /// With the property set to the value (in place of any other).
    With(&'static str, String),
    /// In the order declarations are written.
    Sorted,
}

impl Shared {
    /// The shared list equal to `decls`.
    pub fn get(&mut self, decls: Decls) -> Arc<Decls> {
        if let Some(shared) = self.lists.get(&decls) {
            return shared.clone();
        }
        let shared = Arc::new(decls);
        self.lists.insert(shared.clone());
        shared
    }

    /// The shared list `list` becomes with `change`.
    fn change(&mut self, list: &Arc<Decls>, change: Change) -> Arc<Decls> {
        let key = (Arc::as_ptr(list) as usize, change);
        if let Some(done) = self.changed.get(&key) {
            return done.clone();
        }
        let mut decls = (**list).clone();
        match &key.1 {
            Change::Without(p) => decls.retain(|(k, _)| k != p),
            Change::With(p, v) => {
                decls.retain(|(k, _)| k != p);
                decls.push((p.to_string(), v.clone()));
            }
            Change::Sorted => decls.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b))),
        }
        let done = if decls == **list { list.clone() } else { self.get(decls) };
        self.changed.insert(key, done.clone());
        done
    }
}

/// Makes `change` to one element's declarations.
fn update(styles: &mut [Arc<Decls>], shared: &mut Shared, key: NodeKey, change: Change) {
    styles[key.index()] = shared.change(&styles[key.index()], change);
}

/// Where a property is written: the inherited ones first, then the other presentation
/// attributes, then anything else, each kind by name.
fn rank(p: &str) -> (usize, &str) {
    (presentation_rank(p).unwrap_or(usize::MAX), p)
}

/// Properties children inherit from their group, with their initial values (`None`: no
/// initial value worth dropping). These are the properties the optimiser moves up.
const INHERITED: &[(&str, Option<&str>)] = &[
    ("fill", Some("#000")),
    ("fill-opacity", Some("1")),
    ("fill-rule", Some("nonzero")),
    ("stroke", Some("none")),
    ("stroke-width", Some("1")),
    ("stroke-opacity", Some("1")),
    ("stroke-linecap", Some("butt")),
    ("stroke-linejoin", Some("miter")),
    ("stroke-miterlimit", Some("4")),
    ("stroke-dasharray", Some("none")),
    ("stroke-dashoffset", Some("0")),
    ("font-family", None),
    ("font-size", None),
    ("font-style", Some("normal")),
    ("font-weight", Some("normal")),
    ("font-variant", Some("normal")),
    ("text-anchor", Some("start")),
    ("letter-spacing", Some("normal")),
    ("word-spacing", Some("normal")),
    ("visibility", Some("visible")),
    ("clip-rule", Some("nonzero")),
    ("color", None),
];

// Sets of inherited properties are bit masks.
const _: () = assert!(INHERITED.len() <= 32);

/// Properties not inherited whose initial value is dropped wherever it is written.
const NOT_INHERITED_INITIAL: &[(&str, &str)] = &[("opacity", "1"), ("display", "inline")];

/// Properties besides the inherited ones that may be written as presentation attributes
/// (SVG 1.1).
const OTHER_PRESENTATION: &[&str] = &[
    "opacity",
    "display",
    "clip-path",
    "mask",
    "filter",
    "stop-color",
    "stop-opacity",
    "dominant-baseline",
    "text-decoration",
];

/// Where a property comes in the order declarations are written: the inherited ones first, then
/// the other presentation attributes, then anything else (`None`).
fn presentation_rank(property: &str) -> Option<usize> {
    INHERITED
        .iter()
        .position(|(p, _)| *p == property)
        .or_else(|| OTHER_PRESENTATION.iter().position(|p| *p == property).map(|i| INHERITED.len() + i))
}

/// Where `property` is in [`INHERITED`], if it is inherited.
fn inherited_index(property: &str) -> Option<usize> {
    INHERITED.iter().position(|(p, _)| *p == property)
}

/// What the optimised export writes of each node.
pub struct Plan {
    /// The declarations each node writes, indexed by [`NodeKey::index`].
    pub styles: Vec<Arc<Decls>>,
    /// Nodes left out: invisible decorations and groups with nothing left in them.
    pub skip: Vec<bool>,
    /// Groups written as their children alone (nothing of their own to say).
    pub flatten: Vec<bool>,
}

impl Plan {
    /// Plans `map`: `styles` holds each written node's sanitised declarations in their
    /// shortest form (from `shared`), `written` says which nodes the export writes at all, `keeps_attrs`
    /// whether a node has attributes the export writes.
    pub fn new(
        map: &Map,
        mut styles: Vec<Arc<Decls>>,
        mut shared: Shared,
        written: impl Fn(NodeKey) -> bool,
        keeps_attrs: impl Fn(NodeKey) -> bool,
    ) -> Plan {
        let mut plan =
            Plan { skip: vec![false; styles.len()], flatten: vec![false; styles.len()], styles: Vec::new() };
        // Leaves first, so a group sees what its members became.
        let mut order = Vec::with_capacity(map.len());
        let mut stack: Vec<NodeKey> = map.roots().iter().rev().copied().collect();
        while let Some(key) = stack.pop() {
            order.push(key);
            stack.extend(map.children(Some(key)).iter().rev());
        }
        plan.hide_invisible(map, &styles, &order);
        let computed = computed_styles(map, &styles, &order);
        for &key in order.iter().rev() {
            if !written(key) {
                plan.skip[key.index()] = true;
                continue;
            }
            let node = map.node(key);
            if !matches!(node.kind, NodeKind::Group(_)) || plan.skip[key.index()] {
                continue;
            }
            let members = plan.members(map, key);
            let is_area = node.id.is_some() || !matches!(node.binding(), crate::model::Binding::Auto);
            if members.is_empty() && !is_area {
                plan.skip[key.index()] = true;
                continue;
            }
            if members.len() >= 2 {
                hoist(&mut styles, &mut shared, map, key, &members, &computed[&key], is_area);
            }
            let bare = !is_area
                && node.title.is_none()
                && node.transform() == kurbo::Affine::IDENTITY
                && !keeps_attrs(key)
                && node.area_type.is_none()
                && node.drill_url().is_none()
                && node.link_url().is_none()
                && node.no_labels.is_none()
                && styles[key.index()].is_empty();
            plan.flatten[key.index()] = bare;
        }
        drop_defaults(map, &mut styles, &mut shared, &plan.skip);
        // One order whatever moved where, so optimising again changes nothing.
        for (key, _) in map.iter() {
            update(&mut styles, &mut shared, key, Change::Sorted);
        }
        plan.styles = styles;
        plan
    }

    /// The written children of a group, those of groups written flat in their place.
    fn members(&self, map: &Map, key: NodeKey) -> Vec<NodeKey> {
        let mut out = Vec::new();
        for &c in map.children(Some(key)) {
            if self.skip[c.index()] {
                continue;
            }
            if self.flatten[c.index()] {
                out.extend(self.members(map, c));
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Marks decorations nothing of which shows: hidden by `display`, `visibility` or a zero
    /// opacity, or painted with neither fill nor stroke. Areas always stay (a transparent
    /// area over a bitmap is a hit area).
    fn hide_invisible(&mut self, map: &Map, styles: &[Arc<Decls>], order: &[NodeKey]) {
        // Inherited fill, stroke and visibility, per group, top-down (`order` is parents first);
        // kept for groups alone, as only they pass them on (per node, 5 MB for a large plan).
        let mut paint: HashMap<NodeKey, [Option<&str>; 3]> = HashMap::default();
        for &key in order {
            let node = map.node(key);
            let parent = node.parent().and_then(|p| paint.get(&p)).copied().unwrap_or_default();
            let own = |p: &str| value_of(&styles[key.index()], p);
            let mine =
                [own("fill").or(parent[0]), own("stroke").or(parent[1]), own("visibility").or(parent[2])];
            if matches!(node.kind, NodeKind::Group(_)) {
                paint.insert(key, mine);
            }
            let decoration = node.id.is_none() && matches!(node.binding(), crate::model::Binding::Auto);
            if !decoration || !map.children(Some(key)).is_empty() {
                continue;
            }
            let hidden = own("display") == Some("none")
                || own("opacity") == Some("0")
                || matches!(mine[2], Some("hidden" | "collapse"))
                || (matches!(node.kind, NodeKind::Shape(_))
                    && mine[0] == Some("none")
                    && mine[1].is_none_or(|s| s == "none"));
            self.skip[key.index()] = hidden;
        }
    }
}

/// Characters a declaration takes as a presentation attribute.
fn cost(property: &str, value: &str) -> usize {
    property.len() + value.len() + 4
}

/// Moves inherited properties up to a group where that makes the map shorter: for each, the
/// value most members declare moves up, members declaring another keep theirs, and members
/// declaring none that the property matters to are given the value they inherited before
/// (font properties do not matter to shapes, stroke details not to what has no stroke).
fn hoist(
    styles: &mut [Arc<Decls>],
    shared: &mut Shared,
    map: &Map,
    group: NodeKey,
    members: &[NodeKey],
    computed: &Decls,
    group_is_area: bool,
) {
    // Only the properties some member declares can move.
    let mut declared = 0u32;
    for &m in members {
        for (p, _) in styles[m.index()].iter() {
            declared |= inherited_index(p).map_or(0, |i| 1 << i);
        }
    }
    for (i, &(property, _)) in INHERITED.iter().enumerate() {
        if declared & (1 << i) == 0 || (group_is_area && matches!(property, "fill" | "fill-opacity")) {
            continue;
        }
        // The value most members declare (by what it would save).
        let (value, count) = {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for &m in members {
                if let Some(v) = value_of(&styles[m.index()], property) {
                    match counts.iter_mut().find(|(w, _)| *w == v) {
                        Some(c) => c.1 += 1,
                        None => counts.push((v, 1)),
                    }
                }
            }
            let Some((v, n)) = counts.into_iter().max_by_key(|(v, n)| n * cost(property, v)) else {
                continue;
            };
            (v.to_owned(), n)
        };
        let pins: Vec<NodeKey> = members
            .iter()
            .copied()
            .filter(|&m| {
                value_of(&styles[m.index()], property).is_none()
                    && matters(map, styles, m, property, computed)
            })
            .collect();
        let before = value_of(computed, property).map(str::to_owned);
        let Some(before) = before.or_else(|| pins.is_empty().then(String::new)) else { continue };
        let group_had = value_of(&styles[group.index()], property).map_or(0, |w| cost(property, w));
        let gain = count * cost(property, &value) + group_had;
        let loss = cost(property, &value) + pins.len() * cost(property, &before);
        if gain <= loss {
            continue;
        }
        for &m in members {
            if value_of(&styles[m.index()], property) == Some(value.as_str()) {
                update(styles, shared, m, Change::Without(property));
            }
        }
        for m in pins {
            update(styles, shared, m, Change::With(property, before.clone()));
        }
        update(styles, shared, group, Change::With(property, value));
    }
}

/// The value a list declares for `property`.
fn value_of<'d>(decls: &'d Decls, property: &str) -> Option<&'d str> {
    decls.iter().find(|(k, _)| k == property).map(|(_, v)| v.as_str())
}

/// True when `property` changes how member `m` is drawn.
fn matters(map: &Map, styles: &[Arc<Decls>], m: NodeKey, property: &str, computed: &Decls) -> bool {
    let node = map.node(m);
    let is_text = matches!(&node.kind, NodeKind::Decor(el) if &*el.name == "text");
    let is_shape = matches!(node.kind, NodeKind::Shape(_));
    let text_property = property.starts_with("font-")
        || matches!(property, "text-anchor" | "letter-spacing" | "word-spacing");
    if is_shape && text_property {
        return false;
    }
    if (is_shape || is_text) && property.starts_with("stroke-") {
        let stroke =
            styles[m.index()].iter().chain(computed).find(|(k, _)| k == "stroke").map(|(_, v)| v.as_str());
        return stroke.is_some_and(|s| s != "none");
    }
    true
}

/// Each group's inherited properties as computed before anything moves (its own over its
/// parent's, the initial values at the top).
fn computed_styles(map: &Map, styles: &[Arc<Decls>], order: &[NodeKey]) -> HashMap<NodeKey, Decls> {
    let initial: Decls =
        INHERITED.iter().filter_map(|(p, v)| v.map(|v| (p.to_string(), v.to_string()))).collect();
    let mut out: HashMap<NodeKey, Decls> = HashMap::default();
    for &key in order {
        let node = map.node(key);
        if !matches!(node.kind, NodeKind::Group(_)) {
            continue;
        }
        let mut mine = node.parent().and_then(|p| out.get(&p)).cloned().unwrap_or_else(|| initial.clone());
        for (p, v) in styles[key.index()].iter() {
            if inherited_index(p).is_some() {
                mine.retain(|(k, _)| k != p);
                mine.push((p.clone(), v.clone()));
            }
        }
        out.insert(key, mine);
    }
    out
}

/// Drops declarations that change nothing: an inherited property set to what the element
/// inherits anyway, and the initial value of a property not inherited. The inherited values
/// are kept per property, each element's changes undone after its subtree.
fn drop_defaults(map: &Map, styles: &mut [Arc<Decls>], shared: &mut Shared, skip: &[bool]) {
    /// An inherited value: an initial one, or one a list declares (at its place there).
    #[derive(Clone)]
    enum Value {
        Initial(&'static str),
        Declared(Arc<Decls>, usize),
    }
    impl Value {
        fn as_str(&self) -> &str {
            match self {
                Value::Initial(v) => v,
                Value::Declared(list, i) => &list[*i].1,
            }
        }
    }
    enum Step {
        Enter(NodeKey),
        Restore(Vec<(usize, Option<Value>)>),
    }
    let mut inherits: Vec<Option<Value>> = INHERITED.iter().map(|(_, v)| v.map(Value::Initial)).collect();
    let mut stack: Vec<Step> = map.roots().iter().rev().map(|&k| Step::Enter(k)).collect();
    while let Some(step) = stack.pop() {
        let key = match step {
            Step::Restore(changes) => {
                for (i, old) in changes.into_iter().rev() {
                    inherits[i] = old;
                }
                continue;
            }
            Step::Enter(key) => key,
        };
        if skip[key.index()] {
            continue;
        }
        let keeps = |(p, v): &(String, String)| match inherited_index(p) {
            Some(i) => inherits[i].as_ref().map(Value::as_str) != Some(v.as_str()),
            None => !NOT_INHERITED_INITIAL.iter().any(|(q, w)| q == p && w == v),
        };
        let own = &styles[key.index()];
        if !own.iter().all(keeps) {
            let kept = own.iter().filter(|d| keeps(d)).cloned().collect();
            styles[key.index()] = shared.get(kept);
        }
        let own = styles[key.index()].clone();
        let mut changes = Vec::new();
        for (at, (p, _)) in own.iter().enumerate() {
            if let Some(i) = inherited_index(p) {
                changes.push((i, inherits[i].replace(Value::Declared(own.clone(), at))));
            }
        }
        stack.push(Step::Restore(changes));
        stack.extend(map.children(Some(key)).iter().rev().map(|&c| Step::Enter(c)));
    }
}

/// Writes declarations as presentation attributes or one `style` attribute, whichever is
/// shorter (attributes only when every property has one).
pub fn write_decls(out: &mut String, decls: &[(String, String)]) {
    if decls.is_empty() {
        return;
    }
    let as_attrs: usize = decls.iter().map(|(p, v)| p.len() + v.len() + 4).sum();
    let as_style = 8 + decls.iter().map(|(p, v)| p.len() + v.len() + 1).sum::<usize>() + decls.len() - 1;
    let attrs_ok = decls.iter().all(|(p, _)| presentation_rank(p).is_some());
    if attrs_ok && as_attrs <= as_style {
        for (p, v) in decls {
            super::write::attr(out, p, v);
        }
    } else {
        let css = crate::model::Style::join(decls.iter().map(|(p, v)| (p.as_str(), v.as_str())));
        super::write::attr(out, "style", &css);
    }
}

/// A sanitised style value in its shortest form: colours as the shortest of `#rgb`,
/// `#rrggbb` and their name, numbers at the export's precision without a leading zero.
pub fn minify_value(property: &str, value: &str, num: &Num) -> String {
    if matches!(property, "fill" | "stroke" | "color" | "stop-color" | "flood-color" | "lighting-color")
        && let Some(short) = short_colour(value)
    {
        return short;
    }
    if property == "font-family" || value.contains("url(") {
        return value.to_owned();
    }
    lean_numbers(value, num)
}

/// `#rrggbb` in its shortest form.
fn short_colour(value: &str) -> Option<String> {
    let hex = value.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let hex = hex.to_ascii_lowercase();
    let b = hex.as_bytes();
    let short = if b[0] == b[1] && b[2] == b[3] && b[4] == b[5] {
        format!("#{}{}{}", b[0] as char, b[2] as char, b[4] as char)
    } else {
        format!("#{hex}")
    };
    let name = COLOUR_NAMES.iter().find(|(_, h)| *h == hex).map(|(n, _)| *n);
    Some(match name {
        Some(n) if n.len() < short.len() => n.to_owned(),
        _ => short,
    })
}

/// Colour names shorter than their hexadecimal form.
const COLOUR_NAMES: &[(&str, &str)] = &[
    ("red", "ff0000"),
    ("tan", "d2b48c"),
    ("navy", "000080"),
    ("teal", "008080"),
    ("gold", "ffd700"),
    ("gray", "808080"),
    ("plum", "dda0dd"),
    ("peru", "cd853f"),
    ("snow", "fffafa"),
    ("linen", "faf0e6"),
    ("azure", "f0ffff"),
    ("beige", "f5f5dc"),
    ("brown", "a52a2a"),
    ("coral", "ff7f50"),
    ("ivory", "fffff0"),
    ("khaki", "f0e68c"),
    ("green", "008000"),
    ("olive", "808000"),
    ("wheat", "f5deb3"),
    ("maroon", "800000"),
    ("orchid", "da70d6"),
    ("purple", "800080"),
    ("salmon", "fa8072"),
    ("sienna", "a0522d"),
    ("silver", "c0c0c0"),
    ("tomato", "ff6347"),
    ("violet", "ee82ee"),
    ("indigo", "4b0082"),
    ("orange", "ffa500"),
];

/// Numbers in a value (a sanitised one: numbers, units, keywords) re-written by `num`.
fn lean_numbers(value: &str, num: &Num) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut i = 0;
    while i < bytes.len() {
        let starts = (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'-'))
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'#' | b'_' | b'.')));
        if starts {
            let mut end = i + usize::from(bytes[i] == b'-');
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            if let Ok(v) = value[i..end].parse::<f64>() {
                num.push(&mut out, v);
                i = end;
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

/// Ids referenced (`url(#id)`, `href="#id"`) by any of `values`.
pub fn referenced_ids<'v>(values: impl Iterator<Item = &'v str>) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    for value in values {
        let mut rest = value;
        while let Some(at) = rest.find("url(") {
            rest = &rest[at + 4..];
            let end = rest.find(')').unwrap_or(rest.len());
            let inner = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
            if let Some(id) = inner.strip_prefix('#') {
                ids.insert(id.to_owned());
            }
            rest = &rest[end..];
        }
        if let Some(id) = value.trim().strip_prefix('#') {
            ids.insert(id.to_owned());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_numbers_are_shortest() {
        let num = Num::lean(3);
        let minify_value = |p: &str, v: &str| super::minify_value(p, v, &num);
        assert_eq!(minify_value("fill", "#333333"), "#333");
        assert_eq!(minify_value("stroke", "#ff0000"), "red");
        assert_eq!(minify_value("fill", "#e8daef"), "#e8daef");
        assert_eq!(minify_value("fill", "#000080"), "navy");
        assert_eq!(minify_value("stroke-width", "0.5"), ".5");
        assert_eq!(minify_value("stroke-dasharray", "0.5 10.05 -0.25"), ".5 10.05 -.25");
        assert_eq!(minify_value("stroke-width", "0.123456"), ".123");
        assert_eq!(minify_value("font-size", "0.75px"), ".75px");
        assert_eq!(minify_value("font-family", "'Arial 0.5'"), "'Arial 0.5'");
        assert_eq!(minify_value("fill", "url(#g0.5)"), "url(#g0.5)");
    }

    #[test]
    fn declarations_are_written_as_attributes_or_style_whichever_is_shorter() {
        let decls =
            |d: &[(&str, &str)]| d.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect::<Decls>();
        let mut out = String::new();
        write_decls(&mut out, &decls(&[("fill", "#e8daef")]));
        assert_eq!(out, " fill=\"#e8daef\"");
        out.clear();
        write_decls(
            &mut out,
            &decls(&[("fill", "none"), ("stroke", "#333"), ("stroke-width", ".5"), ("opacity", ".5")]),
        );
        assert_eq!(out, " style=\"fill:none;stroke:#333;stroke-width:.5;opacity:.5\"");
        out.clear();
        write_decls(&mut out, &decls(&[("mix-blend-mode", "multiply")]));
        assert_eq!(out, " style=\"mix-blend-mode:multiply\"");
    }

    #[test]
    fn references_are_found_in_urls_and_hrefs() {
        let ids = referenced_ids(["url(#a)", "url('#b') none", "#c", "x"].into_iter());
        assert_eq!(ids.len(), 3);
        assert!(ids.contains("a") && ids.contains("b") && ids.contains("c"));
    }
}
