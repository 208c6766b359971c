//! The document open in the editor: the map, its undo history, where it is saved, whether it
//! has unsaved changes, and what the canvas and panels need precomputed from it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use kurbo::{BezPath, Rect};

use crate::binding::{AreaId, AreaStatus, Statuses};
use crate::edit::{Change, History};
use crate::model::{Map, NodeKey, NodeKind, ViewBox};
use crate::svg::import_file;

/// One area as the editor lists and draws it.
pub struct AreaEntry {
    /// The node.
    pub key: NodeKey,
    /// Exported id.
    pub id: String,
    /// Title or decoded id.
    pub label: String,
    /// Lower-cased id, title and data point, for search.
    pub search: String,
    /// Binding status (without categories).
    pub status: AreaStatus,
    /// Bounding box in document coordinates.
    pub bbox: Rect,
    /// Outline in document coordinates.
    pub outline: BezPath,
    /// For a group area, each shape's box and outline, so hit-testing looks at the few shapes
    /// near the point instead of the whole group's outline; empty for a single shape.
    pub parts: Vec<(Rect, BezPath)>,
}

impl AreaEntry {
    /// True when `p` is inside the area's shapes.
    pub fn contains(&self, p: kurbo::Point) -> bool {
        use kurbo::Shape;
        if !self.bbox.contains(p) {
            return false;
        }
        if self.parts.is_empty() {
            self.outline.contains(p)
        } else {
            self.parts.iter().any(|(b, path)| b.contains(p) && path.contains(p))
        }
    }
}

/// A map open in the editor.
pub struct Document {
    /// Where Save writes; `None` for a new map or one read from a format Save does not write.
    pub path: Option<PathBuf>,
    /// The file it was opened from, for the title.
    pub name: String,
    /// The map.
    pub map: Map,
    /// Undo and redo.
    pub history: History,
    /// Its areas in document order.
    pub areas: Vec<AreaEntry>,
    /// Bumped by every change (renders and caches key on it).
    pub revision: u64,
    saved_revision: u64,
    hits: super::hit::HitIndex,
    /// Position in `areas` by node key index (`u32::MAX`: not an area), so lookups per frame
    /// stay constant-time on large maps.
    slots: Vec<u32>,
}

impl Document {
    /// Imports a file and precomputes areas and outlines (runs off the UI thread). SVG files are
    /// saved back in place; SVGZ and JSVG get "Save As".
    pub fn load(path: &Path) -> Result<Self, String> {
        let imported = import_file(path).map_err(|e| e.to_string())?;
        let plain_svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let mut doc = Document::from_map(imported.map, file_name(path));
        doc.path = plain_svg.then(|| path.to_path_buf());
        Ok(doc)
    }

    /// A new, empty map of the given size.
    pub fn blank(width: f64, height: f64) -> Self {
        let map = Map::new(ViewBox { x: 0.0, y: 0.0, width, height });
        Document::from_map(map, "Untitled".into())
    }

    /// A document for a map that has no file yet.
    pub fn from_map(map: Map, name: String) -> Self {
        let mut doc = Document {
            path: None,
            name,
            map,
            history: History::default(),
            areas: Vec::new(),
            revision: 0,
            saved_revision: 0,
            hits: super::hit::HitIndex::default(),
            slots: Vec::new(),
        };
        doc.refresh();
        doc
    }

    /// True when there are changes since the last save (or the map was never saved).
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision || self.path.is_none() && self.revision > 0
    }

    /// Applies `changes` as one undo step named `name`.
    pub fn edit(&mut self, name: &str, changes: Vec<Change>) -> Result<(), String> {
        if changes.is_empty() {
            return Ok(());
        }
        self.history.begin(name);
        for c in changes {
            if let Err(e) = self.history.apply(&mut self.map, name, c) {
                self.history.abort(&mut self.map);
                self.changed();
                return Err(format!("{name}: {e}"));
            }
        }
        self.history.commit();
        self.changed();
        Ok(())
    }

    /// Adds `node` at the top level as one step named `name`; returns its key.
    pub fn add(&mut self, name: &str, node: crate::model::Node) -> Result<NodeKey, String> {
        let change = Change::add_node(&mut self.map, None, node);
        let key = match &change {
            Change::Insert(_, _, sub) => sub.root(),
            _ => unreachable!("add_node makes an insert"),
        };
        self.edit(name, vec![change])?;
        Ok(key)
    }

    /// Undoes the last step; returns its name.
    pub fn undo(&mut self) -> Option<String> {
        let name = self.history.undo(&mut self.map)?;
        self.changed();
        Some(name)
    }

    /// Redoes the last undone step; returns its name.
    pub fn redo(&mut self) -> Option<String> {
        let name = self.history.redo(&mut self.map)?;
        self.changed();
        Some(name)
    }

    /// Records that the document was saved to `path` as it was at `revision` (saves run in the
    /// background; later changes stay unsaved).
    pub fn mark_saved(&mut self, path: &Path, revision: u64) {
        self.path = Some(path.to_path_buf());
        self.name = file_name(path);
        self.saved_revision = revision;
    }

    /// Marks the document as having unsaved changes (a restored autosave).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
    }

    /// Every id in use, for making new ones unique.
    pub fn taken_ids(&self) -> HashSet<String> {
        self.map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_string())).collect()
    }

    /// A fresh id `<base>_<n>` (the lowest free `n` from 1) that no node has.
    pub fn fresh_id(&self, base: &str) -> AreaId {
        let taken = self.taken_ids();
        let base = AreaId::from_name(base).unwrap_or_else(|_| AreaId::new("Area").expect("a valid id"));
        (1u64..)
            .map(|n| {
                AreaId::new(&format!("{}_{n}", base.as_str())).expect("a valid id with a suffix is valid")
            })
            .find(|id| !taken.contains(id.as_str()))
            .expect("some number is free")
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.refresh();
    }

    /// Recomputes the areas, their statuses and outlines.
    pub fn refresh(&mut self) {
        let map = &self.map;
        let statuses = Statuses::compute(map, None);
        let mut areas = Vec::new();
        for (key, node) in map.iter() {
            let Some(r) = statuses.get(key) else { continue };
            if !r.status.is_area() || r.follows.is_some() || node.hidden {
                continue;
            }
            let Some(bbox) = map.bbox_in_doc(key) else { continue };
            let mut parts = Vec::new();
            collect_parts(map, key, &mut parts);
            let mut outline = BezPath::new();
            for (_, p) in &parts {
                outline.extend(p.iter());
            }
            if parts.len() == 1 {
                parts.clear();
            }
            let id = node.id.as_ref().map(ToString::to_string).unwrap_or_default();
            let label = node.display_name().unwrap_or_else(|| id.clone());
            let point = match &node.binding {
                crate::model::Binding::Strong(v) => v.to_lowercase(),
                _ => String::new(),
            };
            let search = format!("{} {} {point}", id.to_lowercase(), label.to_lowercase());
            areas.push(AreaEntry { key, id, label, search, status: r.status, bbox, outline, parts });
        }
        self.hits = super::hit::HitIndex::build(&areas.iter().map(|a| a.bbox).collect::<Vec<_>>());
        self.slots = vec![u32::MAX; map.key_bound()];
        for (i, a) in areas.iter().enumerate() {
            self.slots[a.key.index()] = i as u32;
        }
        self.areas = areas;
    }

    /// The topmost area at a document point.
    pub fn hit(&self, p: kurbo::Point) -> Option<NodeKey> {
        let i = self.hits.hit(p, |i| self.areas[i].contains(p))?;
        Some(self.areas[i].key)
    }

    /// Index in [`Document::areas`] of a node.
    pub fn area_index(&self, key: NodeKey) -> Option<usize> {
        self.slots.get(key.index()).filter(|&&i| i != u32::MAX).map(|&i| i as usize)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Appends the document-space box and outline of each of a node's shapes.
fn collect_parts(map: &Map, key: NodeKey, out: &mut Vec<(Rect, BezPath)>) {
    use kurbo::Shape;
    match &map.node(key).kind {
        NodeKind::Shape(g) => {
            let mut p = g.to_path();
            p.apply_affine(map.doc_from_node(key));
            out.push((p.bounding_box(), p));
        }
        NodeKind::Group(children) => {
            for &c in children {
                collect_parts(map, c, out);
            }
        }
        NodeKind::Decor(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Geometry, Node};
    use crate::svg::save_file;

    #[test]
    fn edits_undo_redo_and_dirty_state() {
        let mut doc = Document::blank(100.0, 100.0);
        assert!(!doc.is_dirty());
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(0.0, 0.0, 10.0, 10.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Area"));
        let key = doc.add("Draw rectangle", node).unwrap();
        assert_eq!(doc.area_index(key), Some(0));
        assert_eq!(doc.areas.len(), 1);
        assert!(doc.is_dirty());
        assert_eq!(doc.history.undo_name(), Some("Draw rectangle"));
        assert_eq!(doc.fresh_id("Area").as_str(), "Area_2");
        assert_eq!(doc.undo().as_deref(), Some("Draw rectangle"));
        assert!(doc.areas.is_empty());
        assert_eq!(doc.redo().as_deref(), Some("Draw rectangle"));
        assert_eq!(doc.areas.len(), 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.svg");
        save_file(&doc.map, &path).unwrap();
        doc.mark_saved(&path, doc.revision);
        assert!(!doc.is_dirty());
        assert_eq!(Document::load(&path).unwrap().areas.len(), 1);
    }
}
