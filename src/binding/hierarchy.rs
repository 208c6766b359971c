//! Matching a data hierarchy (Sector > Room) as the visual does when it is expanded: the parent
//! level binds to groups, and each value to an area inside its parent's group. Reports parent
//! values no group takes, values no area inside their parent takes, and areas nested against
//! the hierarchy (the value's area sits in another parent's group).

use std::collections::HashMap;

use serde::Serialize;

use super::normalize;
use crate::model::{Map, NodeKey, NodeKind};

/// A value whose area sits under another parent than the data says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misplaced {
    /// The value.
    pub value: String,
    /// Its parent in the data.
    pub parent: String,
    /// The id of the area that matches it.
    pub area: String,
    /// The id of the group the area is in, if any.
    pub group: Option<String>,
}

/// What matching the hierarchy found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HierarchyReport {
    /// Parent values no group matches.
    pub unmatched_parents: Vec<String>,
    /// `(parent, value)` pairs whose value no area inside the parent's group matches.
    pub unmatched_values: Vec<(String, String)>,
    /// Values whose area is nested under another parent.
    pub misplaced: Vec<Misplaced>,
}

/// Matches `pairs` of `(parent, value)` against the map's groups and the areas inside them.
pub fn check(map: &Map, pairs: &[(String, String)]) -> HierarchyReport {
    let mut groups: HashMap<String, Vec<NodeKey>> = HashMap::new();
    let mut areas: HashMap<String, Vec<NodeKey>> = HashMap::new();
    for (key, node) in map.iter() {
        let Some(id) = &node.id else { continue };
        let norm = normalize(id.as_str());
        match node.kind {
            NodeKind::Group(_) => groups.entry(norm).or_default().push(key),
            NodeKind::Shape(_) => areas.entry(norm).or_default().push(key),
            NodeKind::Decor(_) => {}
        }
    }
    let id = |k: NodeKey| map.get(k).and_then(|n| n.id.as_ref()).map(|i| i.as_str().to_owned());
    let mut report = HierarchyReport::default();
    let mut seen_parents = std::collections::HashSet::new();
    for (parent, value) in pairs {
        let parent_groups = groups.get(&normalize(parent)).map(Vec::as_slice).unwrap_or_default();
        if parent_groups.is_empty() {
            if seen_parents.insert(normalize(parent)) {
                report.unmatched_parents.push(parent.clone());
            }
            continue;
        }
        let candidates = areas.get(&normalize(value)).map(Vec::as_slice).unwrap_or_default();
        let inside = |k: &NodeKey| map.ancestors(*k).any(|a| parent_groups.contains(&a));
        if candidates.iter().any(inside) {
            continue;
        }
        match candidates.first() {
            Some(&area) => report.misplaced.push(Misplaced {
                value: value.clone(),
                parent: parent.clone(),
                area: id(area).unwrap_or_default(),
                group: map.ancestors(area).find_map(&id),
            }),
            None => report.unmatched_values.push((parent.clone(), value.clone())),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::import_bytes;

    #[test]
    fn values_bind_inside_their_parents_group() {
        let svg = concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">",
            "<g id=\"North\"><rect id=\"R1\" width=\"5\" height=\"5\"/><rect id=\"R9\" x=\"10\" width=\"5\" height=\"5\"/></g>",
            "<g id=\"East\"><rect id=\"R2\" x=\"20\" width=\"5\" height=\"5\"/></g>",
            "</svg>"
        );
        let map = import_bytes(svg.as_bytes()).unwrap().map;
        let pairs: Vec<(String, String)> =
            [("North", "R1"), ("North", "R2"), ("East", "R9"), ("East", "R7"), ("West", "R5")]
                .iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect();
        let r = check(&map, &pairs);
        assert_eq!(r.unmatched_parents, ["West"]);
        assert_eq!(r.unmatched_values, [("East".to_string(), "R7".to_string())]);
        let misplaced: Vec<(&str, &str, Option<&str>)> =
            r.misplaced.iter().map(|m| (m.value.as_str(), m.parent.as_str(), m.group.as_deref())).collect();
        assert_eq!(misplaced, [("R2", "North", Some("East")), ("R9", "East", Some("North"))]);
    }
}
