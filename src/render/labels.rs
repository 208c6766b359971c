//! Preview labels: each area's title (or decoded id) centred on it, sized to fit, as the visual
//! shows data labels.

use std::fmt::Write;

use crate::binding::Statuses;
use crate::model::Map;
use crate::svg::export::escaped_attr;

/// Average glyph advance of the preview font, as a fraction of the font size.
const ADVANCE: f64 = 0.6;
/// Labels smaller than this many output pixels are not drawn.
const MIN_PIXELS: f64 = 5.0;

/// SVG markup of the labels of every area that binds on its own; `px_per_unit` is the output
/// scale, used to leave out labels too small to read.
pub fn overlay(map: &Map, statuses: &Statuses, px_per_unit: f64) -> String {
    let mut out = String::new();
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
    out.push_str(
        "<g style=\"font-family:'DejaVu Sans';fill:#1F1F1F;text-anchor:middle;dominant-baseline:central\">\n",
    );
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
        if !(size * px_per_unit >= MIN_PIXELS) {
            continue;
        }
        let c = b.center();
        let _ = writeln!(
            out,
            "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{:.2}\">{}</text>",
            c.x,
            c.y,
            size,
            escaped_attr(&text)
        );
    }
    out.push_str("</g>\n");
    out
}
