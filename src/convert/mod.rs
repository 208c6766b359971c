//! Maps from other formats: CAD drawings (DXF) and geographic data (GeoJSON, TopoJSON),
//! detected from the content, with the options every command that reads a map accepts.

pub mod dxf;
pub mod geojson;
pub mod projection;
pub mod simplify;

pub use projection::Projection;

/// How drawings and geographic data become maps. The defaults find everything by themselves;
/// each option overrides one guess. Options that do not apply to a file are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportOptions {
    /// GeoJSON: the property naming each feature (default: the feature's id, then the first of
    /// `name`, `NAME`, `name_en`, `title`, `label`).
    pub id_property: Option<String>,
    /// GeoJSON: the property holding the title (default: the same as the name).
    pub title_property: Option<String>,
    /// GeoJSON: the projection (default: Mercator, or none for planar data).
    pub projection: Option<Projection>,
    /// TopoJSON: the object to read (default: all, one group per object).
    pub object: Option<String>,
    /// The share (0–100) of removable points kept by simplification that keeps shared borders
    /// shared (default: no simplification): GeoJSON as it is read, other maps' straight-edged
    /// shapes after reading.
    pub simplify: Option<f64>,
    /// DXF: the layer whose closed outlines are the rooms (default: found from the texts).
    pub area_layer: Option<String>,
    /// DXF: the layer of the texts that name the rooms (default: found from the rooms).
    pub label_layer: Option<String>,
    /// SVG: the map is checked, exported or rendered but never saved, so the text of each
    /// path, kept for the lossless save, is not (17 bytes a point less).
    pub without_path_text: bool,
}

/// A format synmap converts, or refuses with a reason, told from the first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foreign {
    /// A DXF drawing, ASCII or binary.
    Dxf,
    /// An AutoCAD DWG drawing (not read: it must be saved as DXF).
    Dwg,
}

/// The sentinel binary DXF files start with.
pub(crate) const BINARY_DXF: &[u8] = b"AutoCAD Binary DXF\r\n\x1a\0";

/// Tells DXF and DWG from the first bytes; `None` for anything else (SVG, JSON…).
pub fn sniff(bytes: &[u8]) -> Option<Foreign> {
    if bytes.starts_with(BINARY_DXF) {
        return Some(Foreign::Dxf);
    }
    // DWG: "AC10xx" (R13 and later), "AC1.xx" and "AC2.xx" (older releases).
    if bytes.len() >= 6
        && (bytes.starts_with(b"AC10") || bytes.starts_with(b"AC1.") || bytes.starts_with(b"AC2."))
    {
        return Some(Foreign::Dwg);
    }
    // ASCII DXF: group code 0 (or a 999 comment) on the first line, then SECTION.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut lines = head.trim_start_matches('\u{feff}').lines().map(str::trim);
    match lines.next()? {
        "0" => (lines.next()? == "SECTION").then_some(Foreign::Dxf),
        "999" => lines.any(|l| l == "SECTION").then_some(Foreign::Dxf),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dxf_and_dwg_are_told_from_their_first_bytes() {
        assert_eq!(sniff(b"  0\r\nSECTION\r\n  2\r\nHEADER\r\n"), Some(Foreign::Dxf));
        assert_eq!(sniff(b"999\ndxfrw 0.6.3\n  0\nSECTION\n"), Some(Foreign::Dxf));
        assert_eq!(sniff(b"AutoCAD Binary DXF\r\n\x1a\0\0\0"), Some(Foreign::Dxf));
        assert_eq!(sniff(b"AC1032\0\0\0\0"), Some(Foreign::Dwg));
        assert_eq!(sniff(b"<svg/>"), None);
        assert_eq!(sniff(b"0\nx"), None);
        assert_eq!(sniff(b"{\"type\": \"Topology\"}"), None);
    }
}
