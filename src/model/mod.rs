//! The map document: a tree of groups, shapes and decorations with their Synoptic bindings.
//!
//! No egui and no I/O here: import and export live in `crate::svg`, editing in `crate::edit`.

mod geometry;
mod node;
mod packed_path;
mod store;
mod style;
mod xml;

pub use geometry::Geometry;
pub use node::{AreaType, Binding, Node, NodeKind, TitleAttr};
pub use packed_path::PackedPath;
pub use style::{Style, StyleInterner};
pub use xml::{XmlElement, XmlNode};

use std::sync::Arc;

use kurbo::{Affine, Rect};

/// Stable internal key of a node; never reused within one map and never written to SVG.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeKey(u32);

impl NodeKey {
    /// The key's position in the map's arena, for side tables indexed by key.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A subtree taken out of a map, with its keys, and where it stood.
#[derive(Debug, Clone, PartialEq)]
pub struct Subtree {
    /// The nodes, the subtree's root first.
    nodes: Vec<(NodeKey, Node)>,
    /// The parent it was detached from.
    pub parent: Option<NodeKey>,
    /// Its index among the parent's children.
    pub index: usize,
}

impl Subtree {
    /// A one-node subtree for a new node, in a slot from [`Map::reserve_key`].
    pub fn new_node(key: NodeKey, node: Node) -> Self {
        Self { nodes: vec![(key, node)], parent: None, index: 0 }
    }

    /// The key of the subtree's root.
    pub fn root(&self) -> NodeKey {
        self.nodes[0].0
    }
}

/// The artboard: the map's user coordinate system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewBox {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width, always positive and finite.
    pub width: f64,
    /// Height, always positive and finite.
    pub height: f64,
}

impl ViewBox {
    /// The artboard as a rectangle.
    pub fn rect(&self) -> Rect {
        Rect::new(self.x, self.y, self.x + self.width, self.y + self.height)
    }
}

/// Map-level metadata: attributes of the root `svg` element and its title and description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapMeta {
    /// `data-okviz-svg-author`.
    pub author: Option<String>,
    /// `data-okviz-svg-attribution`.
    pub attribution: Option<String>,
    /// `data-okviz-autofetch`: `true` or the name of the attribute child maps are named by.
    pub autofetch: Option<String>,
    /// `data-okviz-no-labels`.
    pub no_labels: Option<bool>,
    /// The root `<title>`'s text (kept by Save; Export leaves it out, as browsers show it as a
    /// tooltip over the whole visual).
    pub title: Option<String>,
    /// The root `<desc>`'s text (kept by Save).
    pub description: Option<String>,
    /// The root's `aria-label` (kept by Save).
    pub label: Option<String>,
}

/// A bitmap drawn under the map to trace over; editor-only unless exported on request.
#[derive(Debug, Clone, PartialEq)]
pub struct TracingImage {
    /// A `data:image/…;base64,…` URL, shared with the map's copies (megabytes for a scanned
    /// plan, which each revision's snapshot copied).
    pub data_url: Arc<str>,
    /// Where it is drawn, in document coordinates.
    pub rect: Rect,
    /// Opacity from 0 to 1.
    pub opacity: f64,
}

/// An editor guide line across the artboard (editor-only state).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guide {
    /// True for a vertical guide (at an x position), false for a horizontal one.
    pub vertical: bool,
    /// Its position in document coordinates.
    pub position: f64,
}

/// What changed in a map after a revision (the editor's `Document::touched_since`), for caches
/// brought up to date rather than made again.
pub struct Touches {
    /// By key index: the node changed, or is in the subtree of one moved or reshaped, or is a
    /// group above one.
    pub nodes: Vec<bool>,
    /// The nodes the changes named themselves, with their subtrees when `true`.
    pub named: Vec<(NodeKey, bool)>,
    /// Nodes were added, removed, moved in the tree, hidden, shown, locked or renamed.
    pub structure: bool,
}

/// A Synoptic map document.
#[derive(Debug, Clone)]
pub struct Map {
    /// Each node shared with the map's copies until one of them changes it, in chunks shared
    /// the same way: a copy (the editor's snapshot per revision) costs a pointer per chunk.
    nodes: store::NodeStore,
    roots: Vec<NodeKey>,
    /// The artboard.
    pub view_box: ViewBox,
    /// The root `width` attribute as written (e.g. `800px`), if any.
    pub width: Option<String>,
    /// The root `height` attribute as written, if any.
    pub height: Option<String>,
    /// Root metadata.
    pub meta: MapMeta,
    /// Paint servers, clip paths and other referenced definitions, carried through.
    pub defs: Vec<XmlElement>,
    /// Optional tracing image.
    pub tracing: Option<TracingImage>,
    /// Editor guides (saved, never exported).
    pub guides: Vec<Guide>,
}

impl Map {
    /// An empty map with the given artboard.
    pub fn new(view_box: ViewBox) -> Self {
        Self {
            nodes: store::NodeStore::default(),
            roots: Vec::new(),
            view_box,
            width: None,
            height: None,
            meta: MapMeta::default(),
            defs: Vec::new(),
            tracing: None,
            guides: Vec::new(),
        }
    }

    /// An empty map with room for `nodes` nodes before it reallocates.
    pub fn with_capacity(view_box: ViewBox, nodes: usize) -> Self {
        let mut map = Self::new(view_box);
        map.nodes.reserve(nodes);
        map
    }

    /// Adds `node` as the last child of `parent` (or at the top level) and returns its key.
    ///
    /// # Panics
    /// When `parent` is not a group of this map.
    pub fn push(&mut self, parent: Option<NodeKey>, mut node: Node) -> NodeKey {
        let key = NodeKey(u32::try_from(self.nodes.len()).expect("fewer than 4 billion nodes"));
        node.parent = parent;
        self.nodes.push(Some(Arc::new(node)));
        self.children_mut(parent).push(key);
        key
    }

    /// Takes a node and its whole subtree out of the map, keeping their keys so that
    /// [`Map::attach`] can put them back exactly (undo relies on this).
    pub fn detach(&mut self, key: NodeKey) -> Option<Subtree> {
        let root = self.get(key)?;
        let parent = root.parent;
        let index = self.children(parent).iter().position(|k| *k == key)?;
        self.children_mut(parent).remove(index);
        let mut nodes = Vec::new();
        let mut stack = vec![key];
        while let Some(k) = stack.pop() {
            let slot = self.nodes.get_mut(k.index()).and_then(Option::take);
            let node = Arc::unwrap_or_clone(slot.expect("descendants are in the map"));
            if let NodeKind::Group(children) = &node.kind {
                stack.extend(children.iter().copied());
            }
            nodes.push((k, node));
        }
        Some(Subtree { nodes, parent, index })
    }

    /// Puts a detached subtree back at `index` among the children of `parent`.
    ///
    /// # Errors
    /// When `parent` is not a group of the map or a key of the subtree is in use.
    pub fn attach(
        &mut self,
        parent: Option<NodeKey>,
        index: usize,
        subtree: Subtree,
    ) -> Result<NodeKey, Subtree> {
        let parent_ok =
            parent.is_none_or(|p| matches!(self.get(p).map(|n| &n.kind), Some(NodeKind::Group(_))));
        let free = subtree.nodes.iter().all(|(k, _)| self.nodes.get(k.index()).is_some_and(Option::is_none));
        if !parent_ok || !free || subtree.nodes.is_empty() {
            return Err(subtree);
        }
        let root = subtree.nodes[0].0;
        for (i, (k, mut node)) in subtree.nodes.into_iter().enumerate() {
            if i == 0 {
                node.parent = parent;
            }
            *self.nodes.get_mut(k.index()).expect("checked free above") = Some(Arc::new(node));
        }
        let children = self.children_mut(parent);
        let index = index.min(children.len());
        children.insert(index, root);
        Ok(root)
    }

    /// Puts `node` in the place of the node at `key`: same key, parent and position.
    pub(crate) fn replace(&mut self, key: NodeKey, mut node: Node) {
        if let Some(slot) = self.nodes.get_mut(key.index()).and_then(Option::as_mut) {
            node.parent = slot.parent;
            *slot = Arc::new(node);
        }
    }

    /// A new, empty slot for a node that will be attached later (new shapes in the editor).
    pub fn reserve_key(&mut self) -> NodeKey {
        let key = NodeKey(u32::try_from(self.nodes.len()).expect("fewer than 4 billion nodes"));
        self.nodes.push(None);
        key
    }

    /// Where a node stands: its parent and its index among the parent's children.
    pub fn position(&self, key: NodeKey) -> Option<(Option<NodeKey>, usize)> {
        let parent = self.get(key)?.parent;
        Some((parent, self.children(parent).iter().position(|k| *k == key)?))
    }

    /// Moves a node to `index` among the children of `parent` (after taking it out of its
    /// current place); refuses to move a group into itself or its descendants.
    pub fn move_node(&mut self, key: NodeKey, parent: Option<NodeKey>, index: usize) -> bool {
        let into_itself = parent.is_some_and(|p| p == key || self.ancestors(p).any(|a| a == key));
        let parent_ok =
            parent.is_none_or(|p| matches!(self.get(p).map(|n| &n.kind), Some(NodeKind::Group(_))));
        let Some((old_parent, old_index)) = self.position(key) else { return false };
        if into_itself || !parent_ok {
            return false;
        }
        self.children_mut(old_parent).remove(old_index);
        let children = self.children_mut(parent);
        let index = index.min(children.len());
        children.insert(index, key);
        self.get_mut(key).expect("checked above").parent = parent;
        true
    }

    fn children_mut(&mut self, parent: Option<NodeKey>) -> &mut Vec<NodeKey> {
        match parent {
            None => &mut self.roots,
            Some(p) => match self.nodes.get_mut(p.index()).and_then(Option::as_mut).map(Arc::make_mut) {
                Some(Node { kind: NodeKind::Group(c), .. }) => c,
                _ => panic!("parent {p:?} is not a group of this map"),
            },
        }
    }

    /// Top-level nodes in document order.
    pub fn roots(&self) -> &[NodeKey] {
        &self.roots
    }

    /// Children of a group (or the top level for `None`); empty for other nodes.
    pub fn children(&self, parent: Option<NodeKey>) -> &[NodeKey] {
        match parent {
            None => &self.roots,
            Some(p) => match self.get(p).map(|n| &n.kind) {
                Some(NodeKind::Group(c)) => c,
                _ => &[],
            },
        }
    }

    /// The key of the node at `index` in the arena ([`NodeKey::index`]), if one is there.
    pub fn key_at(&self, index: usize) -> Option<NodeKey> {
        self.nodes.get(index)?.as_ref()?;
        Some(NodeKey(u32::try_from(index).ok()?))
    }

    /// The node for `key`, if it is still in the map.
    pub fn get(&self, key: NodeKey) -> Option<&Node> {
        self.nodes.get(key.index()).and_then(Option::as_deref)
    }

    /// Mutable access to a node.
    pub(crate) fn get_mut(&mut self, key: NodeKey) -> Option<&mut Node> {
        self.nodes.get_mut(key.index()).and_then(Option::as_mut).map(Arc::make_mut)
    }

    /// The node for `key`.
    ///
    /// # Panics
    /// When the key is not in the map.
    pub fn node(&self, key: NodeKey) -> &Node {
        self.get(key).expect("node key belongs to this map")
    }

    /// Upper bound of node indices, for side tables indexed by [`NodeKey::index`].
    pub fn key_bound(&self) -> usize {
        self.nodes.len()
    }

    /// Number of nodes in the map.
    pub fn len(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_some()).count()
    }

    /// True when the map has no nodes.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// All nodes in document (paint) order, parents before children, without recursion.
    pub fn iter(&self) -> impl Iterator<Item = (NodeKey, &Node)> + '_ {
        let mut stack: Vec<NodeKey> = self.roots.iter().rev().copied().collect();
        std::iter::from_fn(move || {
            let key = stack.pop()?;
            let node = self.node(key);
            if let NodeKind::Group(children) = &node.kind {
                stack.extend(children.iter().rev());
            }
            Some((key, node))
        })
    }

    /// The ancestors of a node, nearest first.
    pub fn ancestors(&self, key: NodeKey) -> impl Iterator<Item = NodeKey> + '_ {
        let mut cur = self.get(key).and_then(|n| n.parent);
        std::iter::from_fn(move || {
            let k = cur?;
            cur = self.get(k).and_then(|n| n.parent);
            Some(k)
        })
    }

    /// The transform from a node's own coordinates to document coordinates.
    pub fn doc_from_node(&self, key: NodeKey) -> Affine {
        let mut t = self.node(key).transform();
        for a in self.ancestors(key) {
            t = self.node(a).transform() * t;
        }
        t
    }

    /// Bounding box of a node's geometry in document coordinates (strokes excluded);
    /// `None` for empty groups and decorations.
    pub fn bbox_in_doc(&self, key: NodeKey) -> Option<Rect> {
        self.bbox_with(key, self.doc_from_node(key))
    }

    fn bbox_with(&self, key: NodeKey, doc_from_node: Affine) -> Option<Rect> {
        let node = self.node(key);
        match &node.kind {
            NodeKind::Shape(g) => {
                let r = g.bounding_box_with(doc_from_node);
                r.is_finite().then_some(r)
            }
            NodeKind::Group(children) => children
                .iter()
                .filter_map(|&c| self.bbox_with(c, doc_from_node * self.node(c).transform()))
                .reduce(|a, b| a.union(b)),
            NodeKind::Decor(_) => None,
        }
    }

    /// Finds the first node whose id is `id`.
    pub fn find_id(&self, id: &str) -> Option<NodeKey> {
        self.iter().find(|(_, n)| n.id.as_ref().is_some_and(|i| i.as_str() == id)).map(|(k, _)| k)
    }
}
