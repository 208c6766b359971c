//! Naming areas from what the drawing already says: the text label whose anchor lies inside an
//! area (the nearest to its centre when several do), an attribute web maps keep names in
//! (`name`, `data-name`, `aria-label`…), or the title. Only areas without a meaningful id are
//! named: none, or a generic one a drawing program gave (`path123`, `rect7`, `XMLID_12_`,
//! `Area_3`). Names are encoded by the id rules; names that collide get unique ids and are
//! reported. Behind `synmap name` and the editor's Name areas dialog (one undo step).

use kurbo::{Point, Shape};

use crate::edit::Change;
use crate::ids::{AreaId, UniqueIds};
use crate::model::{AreaType, Map, Node, NodeKey, NodeKind, TitleAttr};

/// Where names come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameSource {
    /// The text labels drawn inside the areas.
    Labels,
    /// An attribute of the area.
    Attribute(String),
    /// The area's title.
    Titles,
}

/// A name proposed for an area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// The area.
    pub key: NodeKey,
    /// Its id now, if any.
    pub old: Option<String>,
    /// The id it gets (unique).
    pub id: AreaId,
    /// The text the name came from (also its title, for labels).
    pub text: String,
    /// True when the name was taken and the id got a number.
    pub collided: bool,
}

/// True for an id a drawing program made up rather than an author: `path123`, `rect-4`,
/// `g12`, `layer1`, `XMLID_12_`, `Area_3`, `svg_5`, `shape 7`.
pub fn is_generic(id: &str) -> bool {
    const STEMS: [&str; 16] = [
        "path", "rect", "polygon", "polyline", "ellipse", "circle", "line", "g", "group", "layer", "shape",
        "object", "svg", "area", "xmlid", "use",
    ];
    let lower = id.to_ascii_lowercase();
    let letters = lower.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '_' | '-' | ' ' | '.'));
    let rest = &lower[letters.len()..];
    STEMS.contains(&letters) && rest.bytes().any(|b| b.is_ascii_digit())
}

/// The names `source` gives the areas of `map` that have no meaningful id.
pub fn propose(map: &Map, source: &NameSource) -> Vec<Proposal> {
    let labels = if *source == NameSource::Labels { labels(map) } else { Vec::new() };
    let mut ids = UniqueIds::taking(map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())));
    let mut out = Vec::new();
    for (key, node) in map.iter() {
        if !needs_name(map, key, node) {
            continue;
        }
        let text = match source {
            NameSource::Titles => node.title.as_deref().map(String::from),
            NameSource::Attribute(attr) => attribute(node, attr),
            NameSource::Labels => label_inside(map, key, node, &labels),
        };
        let Some(text) =
            text.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
        else {
            continue;
        };
        let Ok(wanted) = AreaId::from_name(&text) else { continue };
        let id = ids.claim(&wanted);
        let collided = id != wanted;
        out.push(Proposal { key, old: node.id.as_ref().map(|i| i.as_str().to_owned()), id, text, collided });
    }
    out
}

/// The changes that give the proposed names (and, for labels, the label as the title where the
/// area has none).
pub fn changes(map: &Map, proposals: &[Proposal], source: &NameSource) -> Vec<Change> {
    let mut out = Vec::new();
    for p in proposals {
        out.push(Change::Id(p.key, Some(p.id.clone().into())));
        if *source == NameSource::Labels && map.get(p.key).is_some_and(|n| n.title.is_none()) {
            out.push(Change::Title(p.key, Some(p.text.clone())));
        }
    }
    out
}

/// An area (it can bind, and neither it nor a group above it is decoration) whose id is missing
/// or generic.
fn needs_name(map: &Map, key: NodeKey, node: &Node) -> bool {
    let decoration = |n: &Node| n.area_type == Some(AreaType::Decoration);
    node.can_be_area()
        && !matches!(node.kind, NodeKind::Group(_))
        && !decoration(node)
        && !map.ancestors(key).any(|a| map.get(a).is_some_and(decoration))
        && node.id.as_ref().is_none_or(|id| is_generic(id.as_str()))
}

/// An attribute's value; attributes read as the title are found through it.
fn attribute(node: &Node, attr: &str) -> Option<String> {
    node.attrs().iter().find(|(k, _)| k == attr).map(|(_, v)| v.clone()).or_else(|| {
        node.title
            .as_deref()
            .map(String::from)
            .filter(|_| node.title_attr.map(TitleAttr::as_str) == Some(attr))
    })
}

/// The text labels of the map: their anchor in document space and their text.
fn labels(map: &Map) -> Vec<(Point, String)> {
    map.iter()
        .filter_map(|(key, node)| {
            let NodeKind::Decor(el) = &node.kind else { return None };
            if &*el.name != "text" {
                return None;
            }
            let coordinate = |name: &str| {
                el.attr(name).and_then(|v| v.split([' ', ',']).find(|s| !s.is_empty())?.parse::<f64>().ok())
            };
            let anchor = map.doc_from_node(key)
                * Point::new(coordinate("x").unwrap_or(0.0), coordinate("y").unwrap_or(0.0));
            let text = el.text_content();
            (!text.trim().is_empty()).then_some((anchor, text))
        })
        .collect()
}

/// The label whose anchor lies inside the area, the nearest to its centre when several do.
fn label_inside(map: &Map, key: NodeKey, node: &Node, labels: &[(Point, String)]) -> Option<String> {
    let NodeKind::Shape(geometry) = &node.kind else { return None };
    let outline = map.doc_from_node(key) * geometry.to_path();
    let centre = outline.bounding_box().center();
    labels
        .iter()
        .filter(|(p, _)| outline.contains(*p))
        .min_by(|(a, _), (b, _)| a.distance(centre).total_cmp(&b.distance(centre)))
        .map(|(_, t)| t.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::import_bytes;

    #[test]
    fn generic_ids_are_told_from_names() {
        for id in ["path123", "rect-4", "g12", "layer1", "XMLID_12_", "Area_3", "svg_5", "polygon7"] {
            assert!(is_generic(id), "{id}");
        }
        for id in ["Kitchen", "Room_101", "path", "Office_x20_101", "Rect_Hall", "Area"] {
            assert!(!is_generic(id), "{id}");
        }
    }

    #[test]
    fn labels_inside_rooms_name_them_and_collisions_get_numbers() {
        let svg = concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\">",
            "<rect id=\"rect1\" x=\"0\" y=\"0\" width=\"100\" height=\"100\"/>",
            "<rect x=\"100\" y=\"0\" width=\"100\" height=\"100\"/>",
            "<rect id=\"Store\" x=\"200\" y=\"0\" width=\"100\" height=\"100\"/>",
            "<text x=\"40\" y=\"50\">Kitchen</text>",
            "<text x=\"5\" y=\"5\">Fridge</text>",
            "<g transform=\"translate(100 0)\"><text x=\"50\" y=\"50\"><tspan>Kitchen</tspan></text></g>",
            "<text x=\"250\" y=\"50\">Store room</text>",
            "</svg>"
        );
        let map = import_bytes(svg.as_bytes()).unwrap().map;
        let proposals = propose(&map, &NameSource::Labels);
        let named: Vec<(Option<&str>, &str, bool)> =
            proposals.iter().map(|p| (p.old.as_deref(), p.id.as_str(), p.collided)).collect();
        assert_eq!(
            named,
            [(Some("rect1"), "Kitchen", false), (None, "Kitchen_2", true)],
            "Store keeps its name"
        );
        let mut map = map;
        for change in changes(&map, &proposals, &NameSource::Labels) {
            change.apply(&mut map).unwrap();
        }
        let kitchen = map.find_id("Kitchen").unwrap();
        assert_eq!(map.node(kitchen).title.as_deref(), Some("Kitchen"));
    }

    #[test]
    fn names_from_an_attribute_or_the_title() {
        let svg = concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">",
            "<path id=\"path1\" name=\"Lyon\" aria-label=\"Rhône\" d=\"M0 0H10V10Z\"/>",
            "<path d=\"M20 0H30V10Z\" aria-label=\"Ain\"/>",
            "</svg>"
        );
        let map = import_bytes(svg.as_bytes()).unwrap().map;
        let by =
            |source| propose(&map, &source).into_iter().map(|p| p.id.as_str().to_owned()).collect::<Vec<_>>();
        assert_eq!(by(NameSource::Attribute("name".into())), ["Lyon"]);
        assert_eq!(by(NameSource::Attribute("aria-label".into())), ["Rhône", "Ain"]);
        assert_eq!(by(NameSource::Titles), ["Rhône", "Ain"]);
    }
}
