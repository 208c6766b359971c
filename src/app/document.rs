//! A map loaded for the editor, with what the canvas and the area list need precomputed.

use std::path::{Path, PathBuf};

use kurbo::{BezPath, Rect};

use crate::binding::{AreaStatus, Statuses};
use crate::model::{Map, NodeKind};
use crate::svg::import_file;

/// One area as the editor lists and draws it.
pub struct AreaEntry {
    /// Exported id.
    pub id: String,
    /// Title or decoded id.
    pub label: String,
    /// Lower-cased id and title, for search.
    pub search: String,
    /// Binding status (without categories).
    pub status: AreaStatus,
    /// Bounding box in document coordinates.
    pub bbox: Rect,
    /// Outline in document coordinates.
    pub outline: BezPath,
}

/// A map open in the editor.
pub struct LoadedMap {
    /// The file it came from.
    pub path: PathBuf,
    /// The map.
    pub map: Map,
    /// Its areas in document order.
    pub areas: Vec<AreaEntry>,
}

impl LoadedMap {
    /// Imports a file and precomputes areas and outlines (runs off the UI thread).
    pub fn load(path: &Path) -> Result<Self, String> {
        let imported = import_file(path).map_err(|e| e.to_string())?;
        let map = imported.map;
        let statuses = Statuses::compute(&map, None);
        let mut areas = Vec::new();
        for (key, node) in map.iter() {
            let Some(r) = statuses.get(key) else { continue };
            if !r.status.is_area() || r.follows.is_some() {
                continue;
            }
            let Some(bbox) = map.bbox_in_doc(key) else { continue };
            let mut outline = BezPath::new();
            collect_outline(&map, key, &mut outline);
            let id = node.id.as_ref().map(ToString::to_string).unwrap_or_default();
            let label = node.display_name().unwrap_or_else(|| id.clone());
            let search = format!("{} {}", id.to_lowercase(), label.to_lowercase());
            areas.push(AreaEntry { id, label, search, status: r.status, bbox, outline });
        }
        Ok(Self { path: path.to_owned(), map, areas })
    }
}

/// Appends the document-space outlines of a node's shapes.
fn collect_outline(map: &Map, key: crate::model::NodeKey, out: &mut BezPath) {
    match &map.node(key).kind {
        NodeKind::Shape(g) => {
            let mut p = g.to_path();
            p.apply_affine(map.doc_from_node(key));
            out.extend(p);
        }
        NodeKind::Group(children) => {
            for &c in children {
                collect_outline(map, c, out);
            }
        }
        NodeKind::Decor(_) => {}
    }
}
