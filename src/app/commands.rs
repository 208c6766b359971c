//! Editing commands on the selection, as lists of reversible changes: delete, hide, lock,
//! arrange (forward, backward, front, back), group and ungroup, and copies with fresh ids.

use crate::edit::Change;
use crate::model::{Map, Node, NodeKey, NodeKind};

use super::document::Document;

/// Removes the selected nodes (children of a removed group go with it).
pub fn delete(doc: &Document, selection: &[NodeKey]) -> Vec<Change> {
    top_level(&doc.map, selection).into_iter().map(Change::Remove).collect()
}

/// Hides the selection, or shows it when all of it is hidden.
pub fn toggle_hidden(doc: &Document, selection: &[NodeKey]) -> Vec<Change> {
    let all = selection.iter().all(|k| doc.map.get(*k).is_some_and(|n| n.hidden));
    selection.iter().map(|k| Change::Hidden(*k, !all)).collect()
}

/// Locks the selection, or unlocks it when all of it is locked.
pub fn toggle_locked(doc: &Document, selection: &[NodeKey]) -> Vec<Change> {
    let all = selection.iter().all(|k| doc.map.get(*k).is_some_and(|n| n.locked));
    selection.iter().map(|k| Change::Locked(*k, !all)).collect()
}

/// Where to move a node among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrange {
    /// One step up in paint order.
    Forward,
    /// One step down.
    Backward,
    /// On top of its siblings.
    Front,
    /// Below its siblings.
    Back,
}

/// Moves each selected node within its parent.
pub fn arrange(doc: &Document, selection: &[NodeKey], how: Arrange) -> Vec<Change> {
    let mut changes = Vec::new();
    for &key in selection {
        let Some((parent, index)) = doc.map.position(key) else { continue };
        let last = doc.map.children(parent).len().saturating_sub(1);
        let to = match how {
            Arrange::Forward => (index + 1).min(last),
            Arrange::Backward => index.saturating_sub(1),
            Arrange::Front => last,
            Arrange::Back => 0,
        };
        if to != index {
            changes.push(Change::Move(key, parent, to));
        }
    }
    changes
}

/// Groups the selected nodes that share the first one's parent into a new group placed where
/// the topmost of them was. Needs the map to reserve the group's key.
pub fn group(map: &mut Map, selection: &[NodeKey]) -> Vec<Change> {
    let Some((parent, _)) = selection.first().and_then(|k| map.position(*k)) else { return Vec::new() };
    let mut members: Vec<(usize, NodeKey)> = selection
        .iter()
        .filter_map(|k| map.position(*k).filter(|(p, _)| *p == parent).map(|(_, i)| (i, *k)))
        .collect();
    members.sort();
    let Some(&(top_index, _)) = members.last() else { return Vec::new() };
    let insert = Change::add_node(map, parent, Node::new(NodeKind::Group(Vec::new())));
    let group_key = match &insert {
        Change::Insert(_, _, sub) => sub.root(),
        _ => unreachable!("add_node makes an insert"),
    };
    let mut changes = vec![insert, Change::Move(group_key, parent, top_index + 1)];
    changes.extend(members.iter().enumerate().map(|(i, (_, k))| Change::Move(*k, Some(group_key), i)));
    changes
}

/// Moves the selected groups' children up to the groups' places (keeping where they are drawn)
/// and removes the groups.
pub fn ungroup(doc: &Document, selection: &[NodeKey]) -> Vec<Change> {
    let mut changes = Vec::new();
    for &key in selection {
        let Some(node) = doc.map.get(key) else { continue };
        let NodeKind::Group(children) = &node.kind else { continue };
        let Some((parent, index)) = doc.map.position(key) else { continue };
        for (i, &child) in children.iter().enumerate() {
            let moved = node.transform * doc.map.node(child).transform;
            changes.push(Change::Move(child, parent, index + i));
            changes.push(Change::Transform(child, moved));
        }
        changes.push(Change::Remove(key));
    }
    changes
}

/// Copies of the selected shapes and decorations (groups are copied with their shapes
/// flattened into document space), for the clipboard and Duplicate.
pub fn copy(map: &Map, selection: &[NodeKey]) -> Vec<Node> {
    let mut out = Vec::new();
    for key in top_level(map, selection) {
        collect_leaves(map, key, &mut out);
    }
    out
}

fn collect_leaves(map: &Map, key: NodeKey, out: &mut Vec<Node>) {
    let node = map.node(key);
    match &node.kind {
        NodeKind::Group(children) => {
            for &c in children {
                collect_leaves(map, c, out);
            }
        }
        _ => {
            let mut copy = node.clone();
            copy.transform = map.doc_from_node(key);
            out.push(copy);
        }
    }
}

/// Inserts copies of `nodes` at the top level, shifted by `offset`; each keeps its id when the
/// map does not have it yet and otherwise gets a fresh, valid, unique one. Returns the changes
/// and the new keys.
pub fn paste(doc: &mut Document, nodes: &[Node], offset: kurbo::Vec2) -> (Vec<Change>, Vec<NodeKey>) {
    let mut taken = doc.taken_ids();
    let mut changes = Vec::new();
    let mut keys = Vec::new();
    for n in nodes {
        let mut node = n.clone();
        node.transform = kurbo::Affine::translate(offset) * node.transform;
        if let Some(id) = &node.id
            && !taken.insert(id.as_str().to_string())
        {
            let base = id.as_str().trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_');
            let base = if base.is_empty() { "Area" } else { base };
            let fresh = (1u64..)
                .map(|i| format!("{base}_{i}"))
                .find(|c| !taken.contains(c))
                .expect("some number is free");
            taken.insert(fresh.clone());
            node.id = crate::binding::AreaId::new(&fresh).ok().map(Into::into);
        }
        let change = Change::add_node(&mut doc.map, None, node);
        if let Change::Insert(_, _, sub) = &change {
            keys.push(sub.root());
        }
        changes.push(change);
    }
    (changes, keys)
}

/// A text label (decoration, never bound) at `at`.
pub fn text_label(at: kurbo::Point, text: &str) -> Node {
    let element = crate::model::XmlElement {
        name: "text".into(),
        attrs: vec![
            ("x".into(), format!("{}", at.x)),
            ("y".into(), format!("{}", at.y)),
            ("font-family".into(), "sans-serif".into()),
            ("font-size".into(), "14".into()),
            ("fill".into(), "#333333".into()),
        ],
        children: vec![crate::model::XmlNode::Text(text.to_string())],
    };
    Node::new(NodeKind::Decor(element))
}

/// The selected nodes that have no selected ancestor.
fn top_level(map: &Map, selection: &[NodeKey]) -> Vec<NodeKey> {
    selection.iter().copied().filter(|k| !map.ancestors(*k).any(|a| selection.contains(&a))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Geometry;
    use kurbo::Rect;

    fn doc_with(n: usize) -> (Document, Vec<NodeKey>) {
        let mut doc = Document::blank(100.0, 100.0);
        let mut keys = Vec::new();
        for i in 0..n {
            let r = Rect::new(i as f64 * 10.0, 0.0, i as f64 * 10.0 + 5.0, 5.0);
            let mut node = Node::new(NodeKind::Shape(Geometry::Rect { rect: r, rx: None, ry: None }));
            node.id = Some(doc.fresh_id("Room").into());
            keys.push(doc.add("Draw rectangle", node).unwrap());
        }
        (doc, keys)
    }

    #[test]
    fn group_then_ungroup_restores_order_and_undo_restores_all() {
        let (mut doc, keys) = doc_with(3);
        let changes = group(&mut doc.map, &keys[..2]);
        doc.edit("Group", changes).unwrap();
        assert_eq!(doc.map.roots().len(), 2);
        let g = doc.map.roots()[0];
        assert_eq!(doc.map.children(Some(g)), &keys[..2]);
        doc.edit("Ungroup", ungroup(&doc, &[g])).unwrap();
        assert_eq!(doc.map.roots().len(), 3);
        doc.undo();
        doc.undo();
        assert_eq!(doc.map.roots(), keys.as_slice());
    }

    #[test]
    fn arrange_delete_hide_lock_and_paste_with_fresh_ids() {
        let (mut doc, keys) = doc_with(3);
        doc.edit("Bring to front", arrange(&doc, &[keys[0]], Arrange::Front)).unwrap();
        assert_eq!(doc.map.roots(), &[keys[1], keys[2], keys[0]]);
        doc.edit("Hide", toggle_hidden(&doc, &[keys[1]])).unwrap();
        assert!(doc.map.node(keys[1]).hidden);
        doc.edit("Lock", toggle_locked(&doc, &[keys[1]])).unwrap();
        assert!(doc.map.node(keys[1]).locked);
        let copied = copy(&doc.map, &[keys[2]]);
        let (changes, new) = paste(&mut doc, &copied, kurbo::Vec2::new(10.0, 10.0));
        doc.edit("Paste", changes).unwrap();
        assert_eq!(doc.map.node(new[0]).id.as_ref().unwrap().as_str(), "Room_4");
        doc.edit("Delete", delete(&doc, &[keys[0]])).unwrap();
        assert!(doc.map.get(keys[0]).is_none());
    }
}
