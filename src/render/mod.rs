//! Preview rendering: the exported map coloured the way the visual would colour it, with
//! labels and a legend, rendered with resvg on every core and written as PNG.
//!
//! Rendering reads nothing but the map: the font is compiled in and external resources are
//! never resolved.

pub mod colors;
mod direct;
pub mod fonts;
mod frame;
mod glyph_masks;
mod glyphs;
mod labels;
mod raster;
mod supersample;
pub mod tiles;

use std::fmt::Write;

use crate::binding::{AreaStatus, Statuses};
use crate::categories::CategoryTable;
use crate::model::{Map, NodeKind};
use crate::svg::{ExportOptions, export_svg};

pub use colors::{scale as scale_color, status_fill};

/// Largest output side in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Largest output in pixels (256 MiB of RGBA).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;
/// Most characters of stroked text drawn (each stroked glyph is outlined twice and costs
/// about a thousand times a filled one); beyond it the text is left out and a note says so.
pub const MAX_STROKED_GLYPHS: usize = 10_000;
/// Most characters of text drawn in all.
pub const MAX_GLYPHS: usize = 1_000_000;

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Output width in pixels; the height follows the map's aspect ratio.
    pub width: u32,
    /// Draw area labels.
    pub labels: bool,
    /// Draw the legend strip under the map.
    pub legend: bool,
    /// Which renderer draws the map.
    pub engine: Engine,
    /// Fill areas by binding status (the preview); when false, areas keep their own styles
    /// (the editor's canvas).
    pub status_colours: bool,
    /// Draw the tracing image under the map (the editor's canvas).
    pub tracing_image: bool,
    /// Draw text decorations (a quick, coarse render leaves them out).
    pub text: bool,
    /// Draw as exported: elements hidden in the editor are drawn and reference-only ones left
    /// out (the canvas leaves hidden elements out and draws reference ones).
    pub hidden: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            width: 2048,
            labels: true,
            legend: true,
            engine: Engine::Auto,
            status_colours: true,
            tracing_image: false,
            text: true,
            hidden: true,
        }
    }
}

/// The renderer that draws a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The direct renderer when it supports the map, else usvg.
    Auto,
    /// Always write the preview SVG and render it with usvg and resvg.
    Usvg,
    /// The direct renderer drew it (reported in [`Preview::engine`]).
    Direct,
}

/// Why a preview could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The output would be too large.
    #[error(
        "the preview would be {width}×{height} pixels, larger than synmap renders (at most {MAX_SIDE} pixels a side and {MAX_PIXELS} in all)"
    )]
    TooLarge {
        /// Requested width.
        width: u64,
        /// Resulting height.
        height: u64,
    },
    /// The exported SVG could not be parsed by the renderer.
    #[error("the renderer rejected the map: {0}")]
    Svg(#[from] usvg::Error),
    /// PNG encoding failed.
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
    /// The renderer failed on this map (a panic, caught).
    #[error("{0}")]
    Internal(String),
}

/// A rendered preview.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The pixels, premultiplied RGBA, opaque.
    pub pixmap: tiny_skia::Pixmap,
    /// The renderer that drew the map: [`Engine::Direct`] or [`Engine::Usvg`].
    pub engine: Engine,
    /// What the preview leaves out and why, one line each.
    pub notes: Vec<String>,
}

impl Preview {
    /// The preview as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>, RenderError> {
        Ok(raster::encode_png(&self.pixmap)?)
    }
}

/// Opacity of the map over its tracing image in the editor's canvas.
const TRACING_SEE_THROUGH: f64 = 0.6;

/// What the preview shows: area fills by status (or measure) and labels.
struct Overlay {
    fills: Vec<Option<String>>,
    labels: Vec<labels::Label>,
    tracing_image: bool,
    text: bool,
    pixels_per_unit: f64,
}

impl Overlay {
    fn new(map: &Map, categories: Option<&CategoryTable>, opts: &RenderOptions) -> Self {
        // Worked out only when they are shown: this runs after every edit of the canvas.
        let statuses = (opts.status_colours || opts.labels)
            .then(|| Statuses::compute(map, categories.map(|c| &c.categories)));
        let fills = match &statuses {
            Some(statuses) if opts.status_colours => fills(map, statuses, categories),
            _ => vec![None; map.key_bound()],
        };
        let px_per_unit = f64::from(opts.width) / map.view_box.width;
        let labels = match &statuses {
            Some(statuses) if opts.labels => labels::collect(map, statuses, px_per_unit),
            _ => Vec::new(),
        };
        Self {
            fills,
            labels,
            tracing_image: opts.tracing_image,
            text: opts.text,
            pixels_per_unit: px_per_unit,
        }
    }

    fn svg(self, map: &Map) -> String {
        let overlay = Some(labels::to_svg(&self.labels));
        let export_opts = ExportOptions {
            fill_override: Some(self.fills),
            overlay,
            include_tracing_image: self.tracing_image,
            // Over a plan being traced, the map is see-through so the plan shows.
            over_tracing_opacity: self.tracing_image.then_some(TRACING_SEE_THROUGH),
            without_text: !self.text,
            pixels_per_unit: Some(self.pixels_per_unit),
            ..ExportOptions::default()
        };
        export_svg(map, &export_opts).svg
    }
}

/// Renders the preview. A failure of the renderer on this map is an error, never a crash.
pub fn render(
    map: &Map,
    categories: Option<&CategoryTable>,
    opts: &RenderOptions,
) -> Result<Preview, RenderError> {
    crate::guard::caught("rendering", || render_unguarded(map, categories, opts))
        .map_err(RenderError::Internal)
        .flatten()
}

fn render_unguarded(
    map: &Map,
    categories: Option<&CategoryTable>,
    opts: &RenderOptions,
) -> Result<Preview, RenderError> {
    let vb = map.view_box;
    let width = opts.width.max(1);
    let scale = f64::from(width) / vb.width;
    let map_height = (vb.height * scale).ceil().max(1.0);
    let legend_height = if opts.legend { (f64::from(width) / 40.0).clamp(24.0, 96.0).round() } else { 0.0 };
    let height = map_height + legend_height;
    if width > MAX_SIDE || height > f64::from(MAX_SIDE) || u64::from(width) * height as u64 > MAX_PIXELS {
        return Err(RenderError::TooLarge {
            width: u64::from(width),
            height: height.min(u64::MAX as f64) as u64,
        });
    }
    let start = std::time::Instant::now();
    let pixel_from_doc = kurbo::Affine::scale(scale) * kurbo::Affine::translate((-vb.x, -vb.y));
    let framed = frame::framed(map, pixel_from_doc, f64::from(width), map_height);
    let map = framed.as_ref().unwrap_or(map);
    let mut notes = Vec::new();
    let budgeted;
    let opts = match text_over_budget(map) {
        Some(why) if opts.text => {
            notes.push(format!("the text is left out: {why}"));
            budgeted = RenderOptions { text: false, ..opts.clone() };
            &budgeted
        }
        _ => opts,
    };
    let overlay = Overlay::new(map, categories, opts);
    // The direct renderer does not draw raster images: a tracing image goes through usvg.
    let scene = match opts.engine {
        Engine::Usvg => None,
        _ if opts.tracing_image && map.tracing.is_some() => None,
        _ => direct::build(map, &overlay.fills, &overlay.labels, pixel_from_doc, opts),
    };
    let options = fonts::safe_options();
    let (mut pixmap, engine) = match scene {
        Some(scene) => (direct::render_bands(&scene, width, height as u32), Engine::Direct),
        None => {
            let tree = usvg::Tree::from_str(&overlay.svg(map), &options)?;
            (
                raster::render_tree(&tree, scale as f32, (vb.x as f32, vb.y as f32), width, height as u32),
                Engine::Usvg,
            )
        }
    };
    let mut pixmap = pixmap.take().expect("size checked above");
    log::debug!("rendered with {engine:?} in {:?}", start.elapsed());
    if opts.legend {
        let legend = legend_svg(categories, f64::from(width), legend_height);
        let legend_tree = usvg::Tree::from_str(&legend, &options)?;
        let t = tiny_skia::Transform::from_translate(0.0, map_height as f32);
        resvg::render(&legend_tree, t, &mut pixmap.as_mut());
    }
    Ok(Preview { pixmap, engine, notes })
}

/// Why the map's text is too much to draw, if it is: more stroked glyphs than
/// [`MAX_STROKED_GLYPHS`] or more glyphs than [`MAX_GLYPHS`].
fn text_over_budget(map: &Map) -> Option<String> {
    let (mut stroked, mut all) = (0usize, 0usize);
    for (_, node) in map.iter() {
        let NodeKind::Decor(el) = &node.kind else { continue };
        if &*el.name != "text" {
            continue;
        }
        // Counted in place: this runs before every render, on maps with 50,000 labels.
        let chars: usize = el.texts().map(|t| t.chars().filter(|c| !c.is_whitespace()).count()).sum();
        all += chars;
        if node.style.get("stroke").is_some_and(|s| s.trim() != "none") {
            stroked += chars;
        }
    }
    if stroked > MAX_STROKED_GLYPHS {
        Some(format!(
            "{stroked} characters of outlined text, more than the {MAX_STROKED_GLYPHS} synmap draws"
        ))
    } else if all > MAX_GLYPHS {
        Some(format!("{all} characters of text, more than the {MAX_GLYPHS} synmap draws"))
    } else {
        None
    }
}

/// Fill overrides for every shape that is an area.
fn fills(map: &Map, statuses: &Statuses, categories: Option<&CategoryTable>) -> Vec<Option<String>> {
    let measures = categories.and_then(|c| c.measures.as_ref());
    let range = measures.and_then(|m| {
        let vals = m.iter().flatten().copied().filter(|v| v.is_finite());
        vals.fold(None, |acc: Option<(f64, f64)>, v| {
            Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
    });
    let mut out = vec![None; map.key_bound()];
    for (key, node) in map.iter() {
        if !matches!(node.kind, NodeKind::Shape(_)) {
            continue;
        }
        let Some(r) = statuses.get(key) else { continue };
        out[key.index()] = match (measures, r.status) {
            (Some(m), AreaStatus::Matched | AreaStatus::Strong) => {
                Some(match (r.category.and_then(|i| m[i as usize]), range) {
                    (Some(v), Some((lo, hi))) => {
                        colors::scale(if hi > lo { (v - lo) / (hi - lo) } else { 1.0 })
                    }
                    _ => colors::NO_VALUE.to_owned(),
                })
            }
            (Some(_), AreaStatus::Unmatched) => Some(colors::NO_VALUE.to_owned()),
            _ => colors::status_fill(r.status).map(str::to_owned),
        };
    }
    out
}

/// The legend strip: status swatches, or the measure scale with its range.
fn legend_svg(categories: Option<&CategoryTable>, width: f64, height: f64) -> String {
    let font = height * 0.45;
    let sw = height * 0.5;
    let y = (height - sw) / 2.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\"><rect width=\"{width}\" height=\"{height}\" fill=\"#F7F7F7\"/><g font-family=\"DejaVu Sans\" font-size=\"{font:.1}\" fill=\"#333\">"
    );
    let measures = categories.and_then(|c| c.measures.as_ref());
    let range = measures.and_then(|m| {
        let mut v = m.iter().flatten().copied().filter(|v| v.is_finite());
        let first = v.next()?;
        Some(v.fold((first, first), |(lo, hi), x| (lo.min(x), hi.max(x))))
    });
    if let Some((lo, hi)) = range {
        let bar = width * 0.3;
        let _ = write!(s, "<text x=\"{:.1}\" y=\"{:.1}\">{lo}</text>", sw, height * 0.65);
        let x0 = sw + font * (format!("{lo}").len() as f64 * 0.6 + 1.0);
        let steps = 32;
        for i in 0..steps {
            let t = f64::from(i) / f64::from(steps - 1);
            let _ = write!(
                s,
                "<rect x=\"{:.2}\" y=\"{y:.1}\" width=\"{:.2}\" height=\"{sw:.1}\" fill=\"{}\"/>",
                x0 + bar * t,
                bar / f64::from(steps) + 0.5,
                colors::scale(t)
            );
        }
        let _ = write!(s, "<text x=\"{:.1}\" y=\"{:.1}\">{hi}</text>", x0 + bar + font, height * 0.65);
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{sw:.1}\" height=\"{sw:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">no value</text>",
            x0 + bar + font * 8.0,
            colors::NO_VALUE,
            x0 + bar + font * 8.0 + sw * 1.4,
            height * 0.65
        );
    } else {
        let mut x = sw;
        for status in colors::LEGEND {
            let label = match (status, categories.is_some()) {
                (AreaStatus::Unmatched, false) => "id (no categories)",
                (s, _) => s.as_str(),
            };
            let fill = colors::status_fill(status).unwrap_or("none");
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{sw:.1}\" height=\"{sw:.1}\" fill=\"{fill}\" stroke=\"#555\" stroke-width=\"1\"/><text x=\"{:.1}\" y=\"{:.1}\">{label}</text>",
                x + sw * 1.4,
                height * 0.65
            );
            x += sw * 2.0 + font * 0.62 * label.len() as f64 + font;
        }
    }
    s.push_str("</g></svg>");
    s
}
