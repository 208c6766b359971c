//! JSVG, the JSON wrapper My Storage keeps maps in: reading it, and writing it with the
//! data mapping and each area's bounding box.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ImportError, Imported, export, import};
use crate::binding::{AreaStatus, Categories, RawId, Statuses};
use crate::model::Map;

/// A JSVG document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Jsvg {
    /// `_<uuid>`.
    pub id: String,
    /// The map's name.
    pub name: String,
    /// The source file name.
    #[serde(default)]
    pub source: String,
    /// Timestamps and size.
    #[serde(default)]
    pub meta: JsvgMeta,
    /// Which areas match the report's categories.
    #[serde(rename = "dataMapping", default)]
    pub data_mapping: DataMapping,
    /// The SVG text.
    pub map: String,
    /// Each area's bounding box in map coordinates.
    #[serde(rename = "mapRects", default)]
    pub map_rects: BTreeMap<String, MapRect>,
}

/// `meta` of a JSVG document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct JsvgMeta {
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created: String,
    /// RFC 3339 update time.
    #[serde(default)]
    pub updated: String,
    /// Size of `map` in bytes.
    #[serde(default)]
    pub size: u64,
}

/// `dataMapping` of a JSVG document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct DataMapping {
    /// Matched and unmatched areas.
    #[serde(default)]
    pub areas: AreaMapping,
}

/// `dataMapping.areas`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct AreaMapping {
    /// Areas that bind to a category value, by id.
    #[serde(default)]
    pub matched: BTreeMap<String, AreaEntry>,
    /// Areas that bind to nothing, by id.
    #[serde(default)]
    pub unmatched: BTreeMap<String, AreaEntry>,
}

/// One area in the data mapping.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AreaEntry {
    /// The area id.
    pub id: String,
    /// The area label (its title, else its decoded id).
    pub label: String,
    /// The category value it binds to, when matched.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<String>,
}

/// An area's bounding box.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct MapRect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// Identity and timestamps of a JSVG document being written.
#[derive(Debug, Clone)]
pub struct JsvgHeader {
    /// `_<uuid>`.
    pub id: String,
    /// Map name.
    pub name: String,
    /// RFC 3339 creation time.
    pub created: String,
    /// RFC 3339 update time.
    pub updated: String,
}

impl JsvgHeader {
    /// A header for a new document named `name`, with a random id and the current time.
    pub fn new(name: &str) -> Self {
        let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        Self {
            id: format!("_{}", uuid::Uuid::new_v4()),
            name: name.to_owned(),
            created: now.clone(),
            updated: now,
        }
    }
}

/// Reads a JSVG document: the map inside it and the wrapper itself.
pub fn import_jsvg(text: &str) -> Result<(Imported, Jsvg), ImportError> {
    let doc: Jsvg = serde_json::from_str(text).map_err(|e| ImportError::Jsvg(e.to_string()))?;
    let imported = import::import_svg(&doc.map)?;
    Ok((imported, doc))
}

/// Writes `map` as JSVG, mapping areas against `categories` (all unmatched when `None`).
pub fn export_jsvg(
    map: &Map,
    opts: &export::ExportOptions,
    categories: Option<&Categories>,
    header: &JsvgHeader,
) -> (Jsvg, export::Exported) {
    let exported = export::export_svg(map, opts);
    // Bind against the ids as written, so a renamed duplicate no longer matches its value.
    let mut written = map.clone();
    let keys: Vec<_> = written.iter().map(|(k, _)| k).collect();
    for key in keys {
        if let Some(id) = exported.written_ids.get(key) {
            written.get_mut(key).expect("key from iter").id = RawId::new(id);
        }
    }
    let map = &written;
    let statuses = Statuses::compute(map, categories);
    let mut mapping = AreaMapping::default();
    let mut rects = BTreeMap::new();
    let round = |v: f64| {
        let s = 10f64.powi(i32::from(opts.precision.min(8)));
        (v * s).round() / s
    };
    for (key, node) in map.iter() {
        let Some(id) = exported.written_ids.get(key).map(str::to_owned) else { continue };
        let resolved = statuses.get(key);
        let Some(r) = resolved.filter(|r| r.status.is_area() && r.follows.is_none()) else { continue };
        let label = node.display_name().unwrap_or_else(|| id.clone());
        let value = r.category.and_then(|i| categories.map(|c| c.values()[i as usize].clone()));
        let entry = AreaEntry { id: id.clone(), label, value };
        if matches!(r.status, AreaStatus::Matched | AreaStatus::Strong) && entry.value.is_some() {
            mapping.matched.insert(id.clone(), entry);
        } else {
            mapping.unmatched.insert(id.clone(), entry);
        }
        if let Some(b) = map.bbox_in_doc(key) {
            rects.insert(
                id,
                MapRect {
                    x: round(b.x0),
                    y: round(b.y0),
                    width: round(b.width()),
                    height: round(b.height()),
                },
            );
        }
    }
    let jsvg = Jsvg {
        id: header.id.clone(),
        name: header.name.clone(),
        source: format!("{}.svg", header.name),
        meta: JsvgMeta {
            created: header.created.clone(),
            updated: header.updated.clone(),
            size: exported.svg.len() as u64,
        },
        data_mapping: DataMapping { areas: mapping },
        map: exported.svg.clone(),
        map_rects: rects,
    };
    (jsvg, exported)
}
