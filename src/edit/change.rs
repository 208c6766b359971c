//! Reversible changes to a map: applying one returns the change that undoes it.

use kurbo::Affine;

use crate::binding::RawId;
use crate::model::{
    AreaType, Binding, Geometry, Guide, Map, MapMeta, Node, NodeKey, NodeKind, Style, Subtree, TracingImage,
    ViewBox,
};

/// Why a change could not be applied. The map is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The node is not in the map.
    #[error("the element is no longer in the map")]
    NoSuchNode,
    /// Geometry can only be set on shapes.
    #[error("only shapes have geometry")]
    NotAShape,
    /// The target is not a group, or a group would be moved into itself.
    #[error("cannot place the element there")]
    BadPlace,
}

/// One reversible change to a map.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Set or clear a node's id.
    Id(NodeKey, Option<RawId>),
    /// Set or clear a node's title.
    Title(NodeKey, Option<String>),
    /// Set a node's area type.
    AreaType(NodeKey, Option<AreaType>),
    /// Set a node's binding.
    Binding(NodeKey, Binding),
    /// Set or clear a node's drill-down URL.
    DrillUrl(NodeKey, Option<Box<str>>),
    /// Set or clear a node's link URL.
    LinkUrl(NodeKey, Option<Box<str>>),
    /// Replace a node's style.
    Style(NodeKey, Style),
    /// Replace a node's own transform.
    Transform(NodeKey, Affine),
    /// Replace a shape's geometry.
    Geometry(NodeKey, Geometry),
    /// Hide or show a node in the editor.
    Hidden(NodeKey, bool),
    /// Lock or unlock a node in the editor.
    Locked(NodeKey, bool),
    /// Replace the map's metadata.
    Meta(MapMeta),
    /// Replace (or remove) the tracing image.
    Tracing(Option<TracingImage>),
    /// Replace the guides.
    Guides(Vec<Guide>),
    /// Replace the artboard.
    ViewBox(ViewBox),
    /// Add a new node at an index among the children of a group (or the top level); its key
    /// is given when the change is applied (the inverse names it).
    Add(Option<NodeKey>, usize, Box<Node>),
    /// Put a subtree at an index among the children of a group (or the top level).
    Insert(Option<NodeKey>, usize, Box<Subtree>),
    /// Take a node and its subtree out.
    Remove(NodeKey),
    /// Move a node to an index among the children of a group (or the top level).
    Move(NodeKey, Option<NodeKey>, usize),
}

fn node(map: &mut Map, key: NodeKey) -> Result<&mut Node, EditError> {
    map.get_mut(key).ok_or(EditError::NoSuchNode)
}

impl Change {
    /// The node this change put into the map, when it is the inverse of one that added or
    /// inserted it (it removes the node).
    pub fn removes(&self) -> Option<NodeKey> {
        match self {
            Change::Remove(k) => Some(*k),
            _ => None,
        }
    }

    /// What the change touches, for caches kept outside the map: the node, and whether its
    /// whole subtree may move or change shape in document space (a transform, geometry, move,
    /// insert or removal) rather than only the node's own attributes. `None` for map-wide
    /// changes (metadata, tracing image).
    pub fn touches(&self) -> Option<(NodeKey, bool)> {
        match self {
            Change::Transform(k, _) | Change::Geometry(k, _) | Change::Remove(k) | Change::Move(k, _, _) => {
                Some((*k, true))
            }
            Change::Insert(_, _, subtree) => Some((subtree.root(), true)),
            Change::Add(parent, _, _) => parent.map(|p| (p, false)),
            Change::Id(k, _)
            | Change::Title(k, _)
            | Change::AreaType(k, _)
            | Change::Binding(k, _)
            | Change::DrillUrl(k, _)
            | Change::LinkUrl(k, _)
            | Change::Style(k, _)
            | Change::Hidden(k, _)
            | Change::Locked(k, _) => Some((*k, false)),
            Change::Meta(_) | Change::Tracing(_) | Change::Guides(_) | Change::ViewBox(_) => None,
        }
    }

    /// True when the change can alter a tree view of the map: a name, title, visibility,
    /// locking, or where nodes stand.
    pub fn alters_tree(&self) -> bool {
        matches!(
            self,
            Change::Id(..)
                | Change::Title(..)
                | Change::Hidden(..)
                | Change::Locked(..)
                | Change::Insert(..)
                | Change::Add(..)
                | Change::Remove(..)
                | Change::Move(..)
        )
    }

    /// True when the change can alter which nodes are areas or how they bind: an id, type,
    /// binding, visibility, geometry (a line made into a shape can become an area), or where
    /// nodes stand (groups pass their binding down).
    pub fn relists(&self) -> bool {
        matches!(
            self,
            Change::Id(..)
                | Change::AreaType(..)
                | Change::Geometry(..)
                | Change::Binding(..)
                | Change::Hidden(..)
                | Change::Insert(..)
                | Change::Add(..)
                | Change::Remove(..)
                | Change::Move(..)
        )
    }

    /// Applies the change; returns the change that undoes it.
    pub fn apply(self, map: &mut Map) -> Result<Change, EditError> {
        use std::mem::replace;
        Ok(match self {
            Change::Id(k, v) => Change::Id(k, replace(&mut node(map, k)?.id, v)),
            Change::Title(k, v) => {
                Change::Title(k, replace(&mut node(map, k)?.title, v.map(Into::into)).map(String::from))
            }
            Change::AreaType(k, v) => Change::AreaType(k, replace(&mut node(map, k)?.area_type, v)),
            Change::Binding(k, v) => Change::Binding(k, node(map, k)?.set_binding(v)),
            Change::DrillUrl(k, v) => Change::DrillUrl(k, node(map, k)?.set_drill_url(v)),
            Change::LinkUrl(k, v) => Change::LinkUrl(k, node(map, k)?.set_link_url(v)),
            Change::Style(k, v) => Change::Style(k, replace(&mut node(map, k)?.style, v)),
            Change::Transform(k, v) => {
                let node = node(map, k)?;
                let old = node.transform();
                node.set_transform(v);
                Change::Transform(k, old)
            }
            Change::Hidden(k, v) => Change::Hidden(k, replace(&mut node(map, k)?.hidden, v)),
            Change::Locked(k, v) => Change::Locked(k, replace(&mut node(map, k)?.locked, v)),
            Change::Geometry(k, v) => match &mut node(map, k)?.kind {
                NodeKind::Shape(g) => Change::Geometry(k, replace(g, v)),
                _ => return Err(EditError::NotAShape),
            },
            Change::Meta(v) => Change::Meta(replace(&mut map.meta, v)),
            Change::Tracing(v) => Change::Tracing(replace(&mut map.tracing, v)),
            Change::Guides(v) => Change::Guides(replace(&mut map.guides, v)),
            Change::ViewBox(v) => Change::ViewBox(replace(&mut map.view_box, v)),
            Change::Add(parent, index, node) => {
                if parent.is_some_and(|p| !matches!(map.get(p).map(|n| &n.kind), Some(NodeKind::Group(_)))) {
                    return Err(EditError::BadPlace);
                }
                let key = map.reserve_key();
                let key = map
                    .attach(parent, index, Subtree::new_node(key, *node))
                    .map_err(|_| EditError::BadPlace)?;
                Change::Remove(key)
            }
            Change::Insert(parent, index, subtree) => {
                let key = map.attach(parent, index, *subtree).map_err(|_| EditError::BadPlace)?;
                Change::Remove(key)
            }
            Change::Remove(k) => {
                let subtree = map.detach(k).ok_or(EditError::NoSuchNode)?;
                let (parent, index) = (subtree.parent, subtree.index);
                Change::Insert(parent, index, Box::new(subtree))
            }
            Change::Move(k, parent, index) => {
                let (old_parent, old_index) = map.position(k).ok_or(EditError::NoSuchNode)?;
                if !map.move_node(k, parent, index) {
                    return Err(EditError::BadPlace);
                }
                Change::Move(k, old_parent, old_index)
            }
        })
    }
}
