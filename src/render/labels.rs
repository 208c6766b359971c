//! Preview labels: each area's title (or decoded id) centred on it, sized to fit, as the visual
//! shows data labels.

use std::fmt::Write;

use kurbo::Point;

use crate::binding::Statuses;
use crate::model::Map;
use crate::svg::export::escaped_attr;

/// Average glyph advance of the preview font, as a fraction of the font size.
const ADVANCE: f64 = 0.6;
/// Labels smaller than this many output pixels are not drawn.
const MIN_PIXELS: f64 = 5.0;
/// Distance from the vertical centre of a label to its baseline, as a fraction of the size.
const CENTRE_TO_BASELINE: f64 = 0.35;
/// Label colour.
pub const COLOR: &str = "#1F1F1F";

/// One label in document coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Where the baseline of the centred text starts (its horizontal centre).
    pub anchor: Point,
    /// Font size in document units.
    pub size: f64,
    /// The text.
    pub text: String,
}

/// Labels of every area that binds on its own, leaving out those smaller than a few pixels at
/// `px_per_unit` output pixels per document unit.
pub fn collect(map: &Map, statuses: &Statuses, px_per_unit: f64) -> Vec<Label> {
    let mut out = Vec::new();
    if map.meta.no_labels == Some(true) {
        return out;
    }
    // Areas that contain other areas are labelled through their members instead.
    let mut contains_area = vec![false; map.key_bound()];
    for (key, _) in map.iter() {
        if statuses.get(key).is_some_and(|r| r.status.is_area() && r.follows.is_none()) {
            for a in map.ancestors(key) {
                contains_area[a.index()] = true;
            }
        }
    }
    let max_size = map.view_box.width.max(map.view_box.height) / 60.0;
    for (key, node) in map.iter() {
        let Some(r) = statuses.get(key) else { continue };
        if !r.status.is_area()
            || r.follows.is_some()
            || node.no_labels == Some(true)
            || contains_area[key.index()]
        {
            continue;
        }
        let Some(text) = node.display_name() else { continue };
        let Some(b) = map.bbox_in_doc(key) else { continue };
        let chars = text.chars().count().max(1) as f64;
        let size = (b.height() * 0.35).min(b.width() * 0.9 / (chars * ADVANCE)).min(max_size);
        // Also leaves out NaN sizes from degenerate boxes.
        if size.is_nan() || size * px_per_unit < MIN_PIXELS {
            continue;
        }
        let c = b.center();
        out.push(Label { anchor: Point::new(c.x, c.y + size * CENTRE_TO_BASELINE), size, text });
    }
    out
}

/// The labels as SVG markup, for the usvg renderer.
pub fn to_svg(labels: &[Label]) -> String {
    let mut out = String::new();
    if labels.is_empty() {
        return out;
    }
    let _ = writeln!(out, "<g style=\"font-family:'DejaVu Sans';fill:{COLOR};text-anchor:middle\">");
    for l in labels {
        let _ = writeln!(
            out,
            "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{:.2}\">{}</text>",
            l.anchor.x,
            l.anchor.y,
            l.size,
            escaped_attr(&l.text)
        );
    }
    out.push_str("</g>\n");
    out
}
