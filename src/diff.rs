//! What changed between two versions of a map, area by area: added, removed, renamed (the same
//! outline at the export precision under a new id) and changed (moved, reshaped, restyled, or a
//! binding attribute changed). Behind `synmap diff` and the guard before a stored map is
//! replaced: areas whose ids vanish no longer bind the report's data.

use std::collections::HashMap;

use serde::Serialize;

use crate::check::check_map;
use crate::model::{Map, Node, NodeKind, Style};
use crate::svg::values::{self, Context};
use crate::svg::write::Num;

/// Digits after the point outlines are compared at (the default export precision).
const PRECISION: u8 = 3;

/// An area that has a new id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The id before.
    pub from: String,
    /// The id now.
    pub to: String,
}

/// The differences between two maps' areas, ids as exported, each list in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MapDiff {
    /// Areas only in the new map.
    pub added: Vec<String>,
    /// Areas only in the old map.
    pub removed: Vec<String>,
    /// Areas with the same outline under another id.
    pub renamed: Vec<Renamed>,
    /// Areas in both whose outline, style, title or binding attributes differ.
    pub changed: Vec<String>,
}

impl MapDiff {
    /// True when the maps' areas are the same.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.renamed.is_empty() && self.changed.is_empty()
    }

    /// True when ids the report binds by would vanish (removed or renamed areas).
    pub fn loses_ids(&self) -> bool {
        !self.removed.is_empty() || !self.renamed.is_empty()
    }

    /// The ids that would vanish, for a message: `Office_101, Office_102 (now Office_1O2)`.
    pub fn vanishing(&self) -> String {
        let removed = self.removed.iter().cloned();
        let renamed = self.renamed.iter().map(|r| format!("{} (now {})", r.from, r.to));
        removed.chain(renamed).collect::<Vec<_>>().join(", ")
    }
}

/// One area as compared: its outline in document space, and everything else that matters to
/// the visual.
struct Print {
    outline: String,
    rest: String,
}

/// The areas of `map` by exported id, in document order.
fn areas(map: &Map) -> Vec<(String, Print)> {
    let numbers = Num::new(PRECISION);
    let no_refs: HashMap<&str, &str> = HashMap::new();
    let vb = map.view_box;
    let cx = Context { refs: &no_refs, map_size: vb.width.max(vb.height), pixels_per_unit: None };
    check_map(map, Vec::new(), None)
        .areas
        .into_iter()
        .filter_map(|a| {
            let node = map.get(a.key)?;
            let outline = outline(map, a.key, node, &numbers);
            let rest = format!(
                "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                node.title,
                node.area_type,
                node.binding(),
                node.drill_url(),
                node.link_url(),
                written_style(&node.style, &cx)
            );
            Some((a.id.into(), Print { outline, rest }))
        })
        .collect()
}

/// A style as the editor writes it: each value parsed and written again (`#D6EAF8` and
/// `#d6eaf8` are one colour: a map saved by the editor is not restyled), a value it does not
/// parse as it was read.
fn written_style(style: &Style, cx: &Context<'_>) -> Vec<(String, String)> {
    style
        .iter()
        .map(|(k, v)| (k.to_owned(), values::property(k, v, cx).unwrap_or_else(|| v.to_owned())))
        .collect()
}

/// A group's outline is its shapes' outlines.
fn outline(map: &Map, key: crate::model::NodeKey, node: &Node, numbers: &Num) -> String {
    match &node.kind {
        NodeKind::Shape(g) => numbers.path_data(&(map.doc_from_node(key) * g.to_path())),
        NodeKind::Group(children) => children
            .iter()
            .filter_map(|c| Some(outline(map, *c, map.get(*c)?, numbers)))
            .collect::<Vec<_>>()
            .join("|"),
        NodeKind::Decor(_) => String::new(),
    }
}

/// The differences from `old` to `new`.
pub fn diff(old: &Map, new: &Map) -> MapDiff {
    let (old, new) = (areas(old), areas(new));
    let old_ids: HashMap<&str, &Print> = old.iter().map(|(id, p)| (id.as_str(), p)).collect();
    let new_ids: HashMap<&str, &Print> = new.iter().map(|(id, p)| (id.as_str(), p)).collect();
    let mut out = MapDiff::default();
    let gone: Vec<&(String, Print)> =
        old.iter().filter(|(id, _)| !new_ids.contains_key(id.as_str())).collect();
    let came: Vec<&(String, Print)> =
        new.iter().filter(|(id, _)| !old_ids.contains_key(id.as_str())).collect();
    // A renamed area: the one new area with the outline of one gone area, and the other way
    // round (an outline shared by several is no evidence).
    let (gone_outlines, came_outlines) = (outline_counts(&gone), outline_counts(&came));
    let unique =
        |outline: &str| gone_outlines.get(outline) == Some(&1) && came_outlines.get(outline) == Some(&1);
    let renamed_to: HashMap<&str, &str> = came
        .iter()
        .filter(|(_, p)| !p.outline.is_empty() && unique(&p.outline))
        .map(|(id, p)| (p.outline.as_str(), id.as_str()))
        .collect();
    for (id, p) in &gone {
        match renamed_to.get(p.outline.as_str()).filter(|_| unique(&p.outline)) {
            Some(to) => out.renamed.push(Renamed { from: id.clone(), to: (*to).to_owned() }),
            None => out.removed.push(id.clone()),
        }
    }
    let renamed: std::collections::HashSet<&str> = out.renamed.iter().map(|r| r.to.as_str()).collect();
    out.added = came.iter().map(|(id, _)| id.clone()).filter(|id| !renamed.contains(id.as_str())).collect();
    for (id, p) in &new {
        if let Some(before) = old_ids.get(id.as_str())
            && (before.outline != p.outline || before.rest != p.rest)
        {
            out.changed.push(id.clone());
        }
    }
    out
}

/// How many of `list` have each outline.
fn outline_counts<'a>(list: &[&'a (String, Print)]) -> HashMap<&'a str, usize> {
    let mut n: HashMap<&str, usize> = HashMap::new();
    for (_, p) in list {
        *n.entry(p.outline.as_str()).or_default() += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::import_bytes;

    fn map(body: &str) -> Map {
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">{body}</svg>");
        import_bytes(svg.as_bytes()).unwrap().map
    }

    #[test]
    fn added_removed_renamed_and_changed() {
        let old = map(concat!(
            r#"<rect id="A" x="0" y="0" width="10" height="10"/>"#,
            r#"<rect id="B" x="20" y="0" width="10" height="10"/>"#,
            r#"<rect id="C" x="40" y="0" width="10" height="10"/>"#,
            r#"<rect id="D" x="60" y="0" width="10" height="10" style="fill:red"/>"#,
        ));
        let new = map(concat!(
            r#"<rect id="A" x="0" y="0" width="10" height="10"/>"#,
            r#"<rect id="B2" x="20" y="0" width="10" height="10"/>"#,
            r#"<rect id="D" x="60" y="0" width="10" height="10" style="fill:blue"/>"#,
            r#"<rect id="E" x="80" y="0" width="10" height="10"/>"#,
        ));
        let d = diff(&old, &new);
        assert_eq!(d.added, ["E"]);
        assert_eq!(d.removed, ["C"]);
        assert_eq!(d.renamed, [Renamed { from: "B".into(), to: "B2".into() }]);
        assert_eq!(d.changed, ["D"]);
        assert!(d.loses_ids());
        assert_eq!(d.vanishing(), "C, B (now B2)");
        assert!(diff(&old, &old).is_empty());
    }

    #[test]
    fn a_move_below_the_precision_is_no_change_and_a_move_is() {
        let old = map(r#"<rect id="A" x="0" y="0" width="10" height="10"/>"#);
        let same = map(r#"<rect id="A" x="0.0001" y="0" width="10" height="10"/>"#);
        let moved =
            map(r#"<g transform="translate(5 0)"><rect id="A" x="0" y="0" width="10" height="10"/></g>"#);
        assert!(diff(&old, &same).is_empty());
        assert_eq!(diff(&old, &moved).changed, ["A"]);
    }

    /// Styles are compared as the editor writes them: a map saved by the editor (classes
    /// written as styles, colours in lower case) is not restyled, a colour changed still is.
    #[test]
    fn a_map_saved_by_the_editor_is_not_restyled() {
        let plan = crate::generate::floor_plan(crate::generate::PlanSpec { areas: 40, seed: 2 });
        let old = import_bytes(plan.as_bytes()).unwrap().map;
        let saved = crate::svg::lossless_svg(&old);
        assert!(plan.contains("#D6EAF8") && saved.contains("#d6eaf8"), "the save writes colours anew");
        let new = import_bytes(saved.as_bytes()).unwrap().map;
        assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new));
        let upper = map(r#"<rect id="A" width="10" height="10" style="fill:#D6EAF8;stroke-width:0.50"/>"#);
        let lower = map(r#"<rect id="A" width="10" height="10" style="fill:#d6eaf8;stroke-width:.5"/>"#);
        let other = map(r#"<rect id="A" width="10" height="10" style="fill:#d6eaf9;stroke-width:.5"/>"#);
        assert!(diff(&upper, &lower).is_empty());
        assert_eq!(diff(&upper, &other).changed, ["A"]);
    }
}
