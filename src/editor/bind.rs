//! Binding a report value to an area, as the Data panel does it: by renaming the area to the
//! value (its id then matches, the way the visual binds by default), or by giving it the value
//! as its strong data point (the id stays). Several bindings (accept all suggestions) are one
//! undo step.

use crate::edit::Change;
use crate::ids::AreaId;
use crate::model::{Binding, Map, NodeKey};

/// How a value is bound to an area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BindAs {
    /// Rename the area to the value.
    #[default]
    Rename,
    /// Set the value as the area's strong data point.
    Strong,
}

/// The changes that bind each `(area, value)` pair, and what could not be done (a value that
/// is not a valid name, or a name another element has): those areas are left as they are.
pub fn bind(map: &Map, pairs: &[(NodeKey, String)], how: BindAs) -> (Vec<Change>, Vec<String>) {
    let mut taken: std::collections::HashSet<String> =
        map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_owned())).collect();
    let mut changes = Vec::new();
    let mut refused = Vec::new();
    for (key, value) in pairs {
        let Some(node) = map.get(*key) else { continue };
        match how {
            BindAs::Strong => {
                let binding = Binding::Strong(value.trim().into());
                if *node.binding() != binding {
                    changes.push(Change::Binding(*key, binding));
                }
            }
            BindAs::Rename => match AreaId::from_name(value) {
                Err(e) => refused.push(format!("{value}: not a valid name ({e})")),
                Ok(id) if node.id.as_ref().is_some_and(|old| old.as_str() == id.as_str()) => {}
                Ok(id) if !taken.insert(id.as_str().to_owned()) => {
                    refused.push(format!("{value}: another element is already called that"));
                }
                Ok(id) => {
                    changes.push(Change::Id(*key, Some(id.into())));
                    // A strong value would hide the new id's match.
                    if matches!(node.binding(), &Binding::Strong(_)) {
                        changes.push(Change::Binding(*key, Binding::Auto));
                    }
                }
            },
        }
    }
    (changes, refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::Document;
    use crate::model::{Geometry, Node, NodeKind};

    fn room(doc: &mut Document, id: &str) -> NodeKey {
        let mut n = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: kurbo::Rect::new(0.0, 0.0, 5.0, 5.0),
            rx: None,
            ry: None,
        }));
        n.id = Some(AreaId::from_name(id).unwrap().into());
        doc.add("Draw", None, n).unwrap()
    }

    #[test]
    fn renaming_binds_by_id_and_refuses_names_in_use() {
        let mut doc = Document::blank(100.0, 100.0);
        let (a, b) = (room(&mut doc, "Office-102"), room(&mut doc, "Kitchen"));
        let pairs = vec![(a, "Office 102".to_owned()), (b, "Office 102".to_owned())];
        let (changes, refused) = bind(doc.map(), &pairs, BindAs::Rename);
        assert_eq!(changes.len(), 1, "the second area cannot take the same name");
        assert_eq!(refused, ["Office 102: another element is already called that"]);
        doc.edit("Bind", changes).unwrap();
        assert_eq!(doc.map().node(a).id.as_ref().unwrap().as_str(), "Office_x20_102");
    }

    #[test]
    fn a_strong_value_keeps_the_id() {
        let mut doc = Document::blank(100.0, 100.0);
        let a = room(&mut doc, "path12");
        let (changes, refused) = bind(doc.map(), &[(a, " Main Kitchen ".to_owned())], BindAs::Strong);
        assert!(refused.is_empty());
        doc.edit("Bind", changes).unwrap();
        assert_eq!(doc.map().node(a).binding(), &Binding::Strong("Main Kitchen".into()));
        assert_eq!(doc.map().node(a).id.as_ref().unwrap().as_str(), "path12");
    }
}
