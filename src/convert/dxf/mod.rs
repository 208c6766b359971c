//! Maps from DXF drawings (read with the `dxf` crate, ASCII or binary): the model space drawn
//! in millimetres (from `$INSUNITS`), north up, moved to the origin; one group per layer,
//! labelled with the layer's name; closed outlines on the room layer become areas named from
//! the texts inside them; everything else is decoration. Layers off or frozen stay hidden and
//! out of exports.

mod pairs;
mod rooms;
mod shapes;
mod text;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use kurbo::{Affine, BezPath, Rect, Shape};

use super::ImportOptions;
use crate::findings::{Finding, Severity};
use crate::ids::{AreaId, UniqueIds};
use crate::model::{AreaType, Geometry, Map, Node, NodeKey, NodeKind, Style, ViewBox, XmlElement, XmlNode};
use crate::svg::{ImportError, Imported};

/// Capital height to font size: CAD text heights measure capitals, SVG font sizes the em.
const CAP_HEIGHT: f64 = 0.7;

/// Reads a DXF drawing into a map.
pub fn import_dxf(bytes: &[u8], options: &ImportOptions) -> Result<Imported, ImportError> {
    let binary = bytes.starts_with(super::BINARY_DXF);
    // The crate mangles MTEXT codes near the end of a Windows-1252 string: the text is handed
    // to it as UTF-8 (decoded from the drawing's code page first when it is not UTF-8).
    let bytes = if binary { Cow::Borrowed(bytes) } else { utf8(bytes) };
    let drawing = dxf::Drawing::load_with_encoding(&mut std::io::Cursor::new(&bytes), encoding_rs::UTF_8)
        .map_err(|e| ImportError::Dxf(e.to_string()))?;
    // Binary DXF from AutoCAD 2007 on holds UTF-8, which the crate reads byte by byte.
    let fix = |s: &str| -> String {
        let latin1: Option<Vec<u8>> = s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        match latin1.and_then(|b| String::from_utf8(b).ok()) {
            Some(fixed) if binary && drawing.header.version >= dxf::enums::AcadVersion::R2007 => fixed,
            _ => s.to_owned(),
        }
    };
    let extra = pairs::extras(&bytes);
    let mut walker = shapes::Walker::new(drawing.blocks());
    walker.model_space(drawing.entities());
    let mut found = walker.out;
    for piece in &mut found.pieces {
        piece.layer = fix(&piece.layer);
    }
    for label in &mut found.labels {
        (label.layer, label.text) = (fix(&label.layer), fix(&label.text));
    }
    for insert in &mut found.inserts {
        (insert.layer, insert.block) = (fix(&insert.layer), fix(&insert.block));
    }
    for hatch in extra.hatches {
        found.pieces.push(shapes::Piece {
            layer: hatch.layer,
            path: hatch.path,
            closed: true,
            filled: false,
            insert: None,
        });
    }
    let hidden: HashSet<String> =
        drawing.layers().filter(|l| !l.is_layer_on).map(|l| fix(&l.name)).chain(extra.frozen).collect();
    let rooms = rooms::find(
        &found.pieces,
        &found.labels,
        &hidden,
        options.area_layer.as_deref(),
        options.label_layer.as_deref(),
    );
    let mut findings = Vec::new();
    if let Some(wanted) =
        options.area_layer.as_deref().filter(|l| !drawing.layers().any(|x| fix(&x.name) == *l))
    {
        return Err(ImportError::Dxf(format!("the drawing has no layer \"{wanted}\" (--area-layer)")));
    }
    let to_mm = millimetres(drawing.header.default_drawing_units);
    let visible = |layer: &str| !hidden.contains(layer);
    let bounds = found
        .pieces
        .iter()
        .filter(|p| visible(&p.layer))
        .map(|p| p.path.bounding_box())
        .chain(
            found
                .labels
                .iter()
                .filter(|l| visible(&l.layer))
                .map(|l| Rect::from_center_size(l.at, (0.0, 0.0))),
        )
        .reduce(|a, b| a.union(b))
        .filter(|b| b.width() > 0.0 && b.height() > 0.0)
        .ok_or_else(|| ImportError::Dxf("the model space has nothing to draw".into()))?;
    // Millimetres, y down, the drawing's corner at the origin.
    let fit = Affine::new([to_mm, 0.0, 0.0, -to_mm, -to_mm * bounds.x0, to_mm * bounds.y1]);
    let size = (bounds.width() * to_mm, bounds.height() * to_mm);
    let mut map = Map::new(ViewBox { x: 0.0, y: 0.0, width: size.0, height: size.1 });
    let hairline = format!("{}", round(size.0.max(size.1) / 1500.0));
    // One group per layer, in the layer table's order, then layers met only in entities.
    let mut layers: Vec<String> = drawing.layers().map(|l| fix(&l.name)).collect();
    let known: HashSet<String> = layers.iter().cloned().collect();
    let mut extra_layers: Vec<String> = found
        .pieces
        .iter()
        .map(|p| p.layer.clone())
        .chain(found.labels.iter().map(|l| l.layer.clone()))
        .chain(found.inserts.iter().map(|i| i.layer.clone()))
        .filter(|l| !known.contains(l))
        .collect();
    extra_layers.sort();
    extra_layers.dedup();
    layers.extend(extra_layers);
    let used: HashSet<&str> = found
        .pieces
        .iter()
        .map(|p| p.layer.as_str())
        .chain(found.labels.iter().map(|l| l.layer.as_str()))
        .chain(found.inserts.iter().map(|i| i.layer.as_str()))
        .collect();
    let mut groups: BTreeMap<String, NodeKey> = BTreeMap::new();
    for layer in layers.iter().filter(|l| used.contains(l.as_str())) {
        let mut group = Node::new(NodeKind::Group(Vec::new()));
        group.title = Some(layer.as_str().into());
        if !visible(layer) {
            group.hidden = true;
            group.reference = true;
        }
        groups.insert(layer.clone(), map.push(None, group));
    }
    // Rooms.
    let room_pieces: HashSet<usize> = rooms.rooms.iter().map(|r| r.piece).collect();
    let mut ids = UniqueIds::default();
    let (mut named, mut renamed) = (0, 0);
    for room in &rooms.rooms {
        let piece = &found.pieces[room.piece];
        let mut node = Node::new(NodeKind::Shape(Geometry::Path((fit * piece.path.clone()).into(), None)));
        node.style = style(&[("fill", "#E8EEF5"), ("stroke", "#5A6B7D"), ("stroke-width", &hairline)]);
        if let Some(name) = room.name.map(|t| found.labels[t].text.as_str())
            && let Ok(wanted) = AreaId::from_name(name)
        {
            let id = ids.claim(&wanted);
            renamed += usize::from(id != wanted);
            named += 1;
            node.id = Some(id.into());
            let texts: Vec<&str> = room.texts.iter().map(|&t| found.labels[t].text.as_str()).collect();
            node.title = Some(texts.join(" ").into());
        }
        map.push(Some(groups[&piece.layer]), node);
    }
    // Decoration: per layer, one outline path and one filled path; each block reference a
    // group of its own.
    let mut strokes: BTreeMap<&str, BezPath> = BTreeMap::new();
    let mut fills: BTreeMap<&str, BezPath> = BTreeMap::new();
    let mut blocks: BTreeMap<usize, BezPath> = BTreeMap::new();
    for (_, piece) in found.pieces.iter().enumerate().filter(|(i, _)| !room_pieces.contains(i)) {
        let target = match (piece.insert, piece.filled) {
            (Some(insert), _) => blocks.entry(insert).or_default(),
            (None, true) => fills.entry(piece.layer.as_str()).or_default(),
            (None, false) => strokes.entry(piece.layer.as_str()).or_default(),
        };
        target.extend(fit * piece.path.clone());
    }
    let decoration = |path: BezPath, filled: bool| {
        let mut node = Node::new(NodeKind::Shape(Geometry::Path(path.into(), None)));
        node.area_type = Some(AreaType::Decoration);
        node.style = if filled {
            style(&[("fill", "#5A6B7D"), ("stroke", "none")])
        } else {
            style(&[("fill", "none"), ("stroke", "#5A6B7D"), ("stroke-width", &hairline)])
        };
        node
    };
    for (layer, path) in strokes {
        map.push(Some(groups[layer]), decoration(path, false));
    }
    for (layer, path) in fills {
        map.push(Some(groups[layer]), decoration(path, true));
    }
    for (insert, path) in blocks {
        let reference = &found.inserts[insert];
        let mut group = Node::new(NodeKind::Group(Vec::new()));
        group.title = Some(reference.block.as_str().into());
        group.area_type = Some(AreaType::Decoration);
        let key = map.push(Some(groups[&reference.layer]), group);
        map.push(Some(key), decoration(path, false));
    }
    for label in &found.labels {
        map.push(Some(groups[&label.layer]), text_node(label, fit, to_mm));
    }
    findings.push(summary(&rooms, named, &found, &hidden));
    if renamed > 0 {
        findings.push(Finding::new(
            Severity::Warning,
            "dxf-duplicate-names",
            format!("{renamed} room(s) share a name with another and were given a numbered id"),
        ));
    }
    // What was not drawn: by the group codes' type names for ASCII DXF, by the crate's types
    // for binary DXF.
    let drawn = [
        "LINE",
        "LWPOLYLINE",
        "POLYLINE",
        "ARC",
        "CIRCLE",
        "ELLIPSE",
        "SPLINE",
        "SOLID",
        "TEXT",
        "MTEXT",
        "INSERT",
        "HATCH",
    ];
    let mut left_out: Vec<String> = if extra.types.is_empty() {
        found.skipped.iter().map(|(k, n)| format!("{n} {k}")).collect()
    } else {
        let ascii = extra.types.iter().filter(|(k, _)| !drawn.contains(&k.as_str()));
        let missing = found.skipped.iter().filter(|(k, _)| k.starts_with("INSERT"));
        ascii.chain(missing).map(|(k, n)| format!("{n} {k}")).collect()
    };
    left_out.sort();
    if !left_out.is_empty() {
        findings.push(Finding::new(
            Severity::Info,
            "dxf-skipped",
            format!("entities not drawn: {}", left_out.join(", ")),
        ));
    }
    if found.paper_space > 0 {
        findings.push(Finding::new(
            Severity::Info,
            "dxf-paper-space",
            format!(
                "{} paper-space entities (layouts) were left out: synmap reads the model space",
                found.paper_space
            ),
        ));
    }
    if found.absurd > 0 {
        findings.push(Finding::new(
            Severity::Warning,
            "dxf-absurd",
            format!("{} entities with unusable coordinates were left out", found.absurd),
        ));
    }
    if found.truncated {
        findings.push(Finding::new(
            Severity::Warning,
            "dxf-truncated",
            format!(
                "block references nest too deep or expand to more than {} outlines: the rest was left out",
                shapes::MAX_PIECES
            ),
        ));
    }
    Ok(Imported { map, findings, css_class_elements: 0 })
}

/// What was found: rooms, the layers, the hidden layers.
fn summary(rooms: &rooms::Rooms, named: usize, found: &shapes::Drawing, hidden: &HashSet<String>) -> Finding {
    let mut message = match &rooms.area_layer {
        Some(layer) => {
            let labels = rooms
                .label_layer
                .as_deref()
                .map_or(String::new(), |l| format!(" from texts on layer \"{l}\""));
            format!("{} rooms on layer \"{layer}\", {named} named{labels}", rooms.rooms.len())
        }
        None => format!(
            "no rooms found ({} outlines, {} texts): pick the room layer",
            found.pieces.len(),
            found.labels.len()
        ),
    };
    if !hidden.is_empty() {
        let mut names: Vec<&str> = hidden.iter().map(String::as_str).collect();
        names.sort_unstable();
        message.push_str(&format!("; hidden layers kept hidden and out of exports: {}", names.join(", ")));
    }
    Finding::new(Severity::Info, "dxf-rooms", message)
}

/// ASCII DXF as UTF-8: as it is when it already is (AutoCAD 2007 and later write UTF-8),
/// else decoded from the code page `$DWGCODEPAGE` names (Windows-1252 when it names none or
/// one encoding_rs does not know).
fn utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    if std::str::from_utf8(bytes).is_ok() {
        return Cow::Borrowed(bytes);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let mut lines = head.lines().map(str::trim);
    let page = lines.by_ref().position(|l| l == "$DWGCODEPAGE").and_then(|_| lines.nth(1));
    let label = page.map(|p| p.to_ascii_lowercase().replace("ansi_", "windows-"));
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    Cow::Owned(encoding.decode(bytes).0.into_owned().into_bytes())
}

/// A style of `(property, value)` pairs.
fn style(properties: &[(&str, &str)]) -> Style {
    let mut style = Style::default();
    for (k, v) in properties {
        style.set(k, *v);
    }
    style
}

/// A text as an SVG `text` decoration, placed and turned as in the drawing.
fn text_node(label: &shapes::Label, fit: Affine, to_mm: f64) -> Node {
    let at = fit * label.at;
    let size = round((label.height * to_mm / CAP_HEIGHT).max(1e-3));
    let mut attrs = vec![
        ("x".to_owned(), format!("{}", round(at.x))),
        ("y".to_owned(), format!("{}", round(at.y))),
        ("font-family".to_owned(), "sans-serif".to_owned()),
        ("font-size".to_owned(), format!("{size}")),
        ("fill".to_owned(), "#333333".to_owned()),
    ];
    if label.rotation.rem_euclid(360.0).abs() > 1e-6 {
        attrs.push((
            "transform".to_owned(),
            format!("rotate({} {} {})", round(-label.rotation), round(at.x), round(at.y)),
        ));
    }
    let mut node =
        Node::new(NodeKind::Decor(XmlElement::new("text", attrs, vec![XmlNode::Text(label.text.clone())])));
    node.area_type = Some(AreaType::Decoration);
    node
}

/// Six significant digits are plenty for a drawing's placement numbers.
fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return 0.0;
    }
    let digits = 6 - v.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits.clamp(-12, 12));
    (v * scale).round() / scale
}

/// Millimetres per drawing unit (`$INSUNITS`); 1 when the drawing has no unit.
fn millimetres(units: dxf::enums::Units) -> f64 {
    use dxf::enums::Units;
    match units {
        Units::Inches => 25.4,
        Units::Feet => 304.8,
        Units::Miles => 1_609_344.0,
        Units::Millimeters | Units::Unitless => 1.0,
        Units::Centimeters => 10.0,
        Units::Meters => 1000.0,
        Units::Kilometers => 1e6,
        Units::Microinches => 25.4e-6,
        Units::Mils => 0.0254,
        Units::Yards => 914.4,
        Units::Angstroms => 1e-7,
        Units::Nanometers => 1e-6,
        Units::Microns => 1e-3,
        Units::Decimeters => 100.0,
        Units::Decameters => 1e4,
        Units::Hectometers => 1e5,
        Units::Gigameters => 1e12,
        Units::AstronomicalUnits => 1.495_978_707e14,
        Units::LightYears => 9.460_730_472_580_8e18,
        Units::Parsecs => 3.085_677_581e19,
        Units::USSurveyFeet => 1200.0 / 3937.0 * 1000.0,
        Units::USSurveyInch => 1000.0 / 39.37,
        Units::USSurveyYard => 3600.0 / 3937.0 * 1000.0,
        Units::USSurveyMile => 6_336_000.0 / 3937.0 * 1000.0,
    }
}
