//! The direct renderer: draws the common subset of maps (solid fills and strokes, transforms,
//! simple one-line labels) straight from the model with tiny-skia, the rasteriser resvg uses,
//! without writing and re-parsing SVG, and on every core. Anything beyond that subset
//! (gradients, clipping, masks, filters, group opacity, images, complex text) is left to the
//! usvg path: [`build`] then returns `None`.

use std::str::FromStr;
use std::sync::Arc;

use kurbo::{Affine, PathEl};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, PixmapMut, Rect, Stroke,
    StrokeDash, Transform,
};

use super::glyphs::TextShaper;
use super::labels::{self, Label};
use crate::model::{Map, NodeKey, NodeKind, Style, XmlElement, XmlNode};

/// One drawing operation in paint order.
struct Op {
    path: Arc<Path>,
    /// From the path's coordinates to output pixels.
    transform: Transform,
    fill: Option<(Color, FillRule)>,
    stroke: Option<(Stroke, Color)>,
    anti_alias: bool,
    /// Output-pixel bounds (stroke included), to skip bands the op does not touch.
    bounds: Rect,
}

/// A map ready to rasterise.
pub struct Scene {
    ops: Vec<Op>,
}

/// Style properties the direct renderer understands; any other makes it step aside.
fn understood(property: &str) -> bool {
    matches!(
        property,
        "fill"
            | "fill-opacity"
            | "fill-rule"
            | "stroke"
            | "stroke-width"
            | "stroke-opacity"
            | "stroke-linecap"
            | "stroke-linejoin"
            | "stroke-miterlimit"
            | "stroke-dasharray"
            | "stroke-dashoffset"
            | "opacity"
            | "display"
            | "visibility"
            | "color"
            | "shape-rendering"
            | "font-family"
            | "font-size"
            | "font-weight"
            | "font-style"
            | "font-stretch"
            | "text-anchor"
            | "text-rendering"
            | "white-space"
            | "image-rendering"
            | "color-rendering"
            | "color-interpolation"
    )
}

/// Builds the scene, or `None` when the map uses something only usvg renders. Text
/// decorations and hidden elements are drawn as `opts` says.
pub fn build(
    map: &Map,
    fills: &[Option<String>],
    labels: &[Label],
    pixel_from_doc: Affine,
    opts: &super::RenderOptions,
) -> Option<Scene> {
    let mut b = Builder { ops: Vec::new(), shaper: None };
    let mut stack: Vec<(NodeKey, Affine)> =
        map.roots().iter().rev().map(|&k| (k, pixel_from_doc * map.node(k).transform)).collect();
    while let Some((key, t)) = stack.pop() {
        let node = map.node(key);
        // Drawn as exported (`opts.hidden`): hidden elements are in, reference-only ones out;
        // drawn as the canvas shows it, the other way round.
        if (node.hidden && !opts.hidden) || (node.reference && opts.hidden) {
            continue;
        }
        if !node.style.iter().all(|(k, _)| understood(k)) || node.style.get("display") == Some("none") {
            if node.style.get("display") == Some("none") {
                continue;
            }
            return None;
        }
        match &node.kind {
            NodeKind::Group(children) => {
                if node.style.get("opacity").is_some_and(|o| o.trim().parse::<f32>().ok() != Some(1.0)) {
                    return None;
                }
                stack.extend(children.iter().rev().map(|&c| (c, t * map.node(c).transform)));
            }
            NodeKind::Shape(g) => {
                let fill = fills.get(key.index()).cloned().flatten();
                b.shape(&g.to_path(), &node.style, fill.as_deref(), t)?;
            }
            NodeKind::Decor(el) if el.name == "text" => {
                if opts.text {
                    b.text(el, &node.style, t)?;
                }
            }
            NodeKind::Decor(_) => return None,
        }
    }
    if !labels.is_empty() {
        let mut style = Style::default();
        style.set("fill", labels::COLOR);
        for l in labels {
            let t = pixel_from_doc;
            b.glyphs(&l.text, l.size as f32, (l.anchor.x as f32, l.anchor.y as f32), 0.5, &style, t)?;
        }
    }
    Some(Scene { ops: b.ops })
}

struct Builder {
    ops: Vec<Op>,
    shaper: Option<TextShaper>,
}

impl Builder {
    fn shape(
        &mut self,
        path: &kurbo::BezPath,
        style: &Style,
        fill_override: Option<&str>,
        t: Affine,
    ) -> Option<()> {
        if style.get("visibility").is_some_and(|v| v != "visible") {
            return Some(());
        }
        let Some(path) = to_skia(path) else { return Some(()) };
        let opacity = number(style.get("opacity"), 1.0)?;
        let fill_value = fill_override.or(style.get("fill")).unwrap_or("black");
        let mut fill = paint(fill_value, style, number(style.get("fill-opacity"), 1.0)? * opacity)?;
        let b = path.bounds();
        if b.width() <= 0.0 || b.height() <= 0.0 {
            fill = None; // A line has no inside to fill.
        }
        let stroke = match style.get("stroke") {
            Some(value) => paint(value, style, number(style.get("stroke-opacity"), 1.0)? * opacity)?,
            None => None,
        };
        if opacity < 1.0 && fill.is_some() && stroke.is_some() {
            return None; // Needs group compositing.
        }
        let rule = match style.get("fill-rule") {
            Some("evenodd") => FillRule::EvenOdd,
            _ => FillRule::Winding,
        };
        let stroke = match stroke {
            Some(color) => Some((stroke_props(style)?, color)),
            None => None,
        };
        self.push(Arc::new(path), to_transform(t), fill.map(|c| (c, rule)), stroke, style);
        Some(())
    }

    fn push(
        &mut self,
        path: Arc<Path>,
        transform: Transform,
        fill: Option<(Color, FillRule)>,
        stroke: Option<(Stroke, Color)>,
        style: &Style,
    ) {
        if fill.is_none() && stroke.is_none() {
            return;
        }
        let grow = stroke.as_ref().map_or(0.0, |(s, _)| s.width * s.miter_limit.max(1.0) / 2.0);
        let Some(bounds) = path.bounds().outset(grow, grow).and_then(|r| r.transform(transform)) else {
            return;
        };
        let anti_alias = !matches!(style.get("shape-rendering"), Some("crispEdges" | "optimizeSpeed"));
        self.ops.push(Op {
            path,
            transform,
            fill,
            stroke,
            anti_alias,
            bounds: bounds.outset(1.0, 1.0).unwrap_or(bounds),
        });
    }

    /// A `text` element: its own character data, or lines each in a `tspan` placed with
    /// absolute `x`/`y` (as Illustrator and Inkscape write multi-line labels).
    fn text(&mut self, el: &XmlElement, style: &Style, t: Affine) -> Option<()> {
        let allowed_attr = |k: &str| matches!(k, "x" | "y" | "xml:space" | "style" | "id");
        if !el.attrs.iter().all(|(k, _)| allowed_attr(k)) {
            return None;
        }
        let preserve = el.attr("xml:space") == Some("preserve");
        let origin = (length_or(el.attr("x"), 0.0)?, length_or(el.attr("y"), 0.0)?);
        let mut lines: Vec<((f32, f32), Style, String)> = Vec::new();
        if el.children.iter().all(|c| matches!(c, XmlNode::Text(_))) {
            lines.push((origin, style.clone(), el.text_content()));
        } else {
            for child in &el.children {
                match child {
                    XmlNode::Text(s) if s.trim().is_empty() => {}
                    XmlNode::Element(span) if span.name == "tspan" => {
                        let plain = span.children.iter().all(|c| matches!(c, XmlNode::Text(_)));
                        if !plain || !span.attrs.iter().all(|(k, _)| allowed_attr(k)) {
                            return None;
                        }
                        let placed = span.attr("x").is_some() && span.attr("y").is_some();
                        if !placed && !lines.is_empty() {
                            return None; // Continues the previous line: needs usvg's layout.
                        }
                        let at = (length_or(span.attr("x"), origin.0)?, length_or(span.attr("y"), origin.1)?);
                        let mut span_style = style.clone();
                        for d in span
                            .attr("style")
                            .map(simplecss::DeclarationTokenizer::from)
                            .into_iter()
                            .flatten()
                        {
                            span_style.set(d.name, d.value);
                        }
                        lines.push((at, span_style, span.text_content()));
                    }
                    _ => return None,
                }
            }
        }
        for (at, style, content) in lines {
            if !style.iter().all(|(k, _)| understood(k)) || style.get("stroke").is_some_and(|s| s != "none") {
                return None;
            }
            let text = collapse_whitespace(&content, preserve);
            if text.is_empty() || style.get("visibility").is_some_and(|v| v != "visible") {
                continue;
            }
            let size = length_or(style.get("font-size"), 16.0)?;
            let anchor = match style.get("text-anchor") {
                Some("middle") => 0.5,
                Some("end") => 1.0,
                _ => 0.0,
            };
            self.glyphs(&text, size, at, anchor, &style, t)?;
        }
        Some(())
    }

    fn glyphs(
        &mut self,
        text: &str,
        size: f32,
        origin: (f32, f32),
        anchor: f32,
        style: &Style,
        t: Affine,
    ) -> Option<()> {
        if !TextShaper::supports(text) {
            return None;
        }
        let opacity = number(style.get("opacity"), 1.0)?;
        let Some(color) = paint(
            style.get("fill").unwrap_or("black"),
            style,
            number(style.get("fill-opacity"), 1.0)? * opacity,
        )?
        else {
            return Some(());
        };
        if self.shaper.is_none() {
            self.shaper = Some(TextShaper::new()?);
        }
        let shaper = self.shaper.as_mut()?;
        let base = to_transform(t);
        for g in shaper.layout(text, size, origin, anchor) {
            self.push(g.outline, base.pre_concat(g.transform), Some((color, FillRule::Winding)), None, style);
        }
        Some(())
    }
}

/// Rasterises the scene onto a white pixmap, one horizontal band per core.
pub fn render_bands(scene: &Scene, width: u32, height: u32) -> Option<Pixmap> {
    super::raster::bands(width, height, |band: &mut PixmapMut<'_>, top: u32| {
        let band_rect = Rect::from_xywh(0.0, top as f32, width as f32, band.height() as f32);
        let shift = Transform::from_translate(0.0, -(top as f32));
        for op in &scene.ops {
            if band_rect.is_some_and(|b| b.intersect(&op.bounds).is_none()) {
                continue;
            }
            let t = shift.pre_concat(op.transform);
            if let Some((color, rule)) = op.fill {
                let mut p = Paint::default();
                p.set_color(color);
                p.anti_alias = op.anti_alias;
                band.fill_path(&op.path, &p, rule, t, None);
            }
            if let Some((stroke, color)) = &op.stroke {
                let mut p = Paint::default();
                p.set_color(*color);
                p.anti_alias = op.anti_alias;
                band.stroke_path(&op.path, &p, stroke, t, None);
            }
        }
    })
}

fn to_transform(t: Affine) -> Transform {
    let c = t.as_coeffs();
    Transform::from_row(c[0] as f32, c[1] as f32, c[2] as f32, c[3] as f32, c[4] as f32, c[5] as f32)
}

fn to_skia(path: &kurbo::BezPath) -> Option<Path> {
    let mut b = PathBuilder::with_capacity(path.elements().len(), path.elements().len() * 3);
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => b.move_to(p.x as f32, p.y as f32),
            PathEl::LineTo(p) => b.line_to(p.x as f32, p.y as f32),
            PathEl::QuadTo(a, p) => b.quad_to(a.x as f32, a.y as f32, p.x as f32, p.y as f32),
            PathEl::CurveTo(a, c, p) => {
                b.cubic_to(a.x as f32, a.y as f32, c.x as f32, c.y as f32, p.x as f32, p.y as f32)
            }
            PathEl::ClosePath => b.close(),
        }
    }
    b.finish()
}

/// A number property, or `None` (unsupported) when it does not parse.
fn number(value: Option<&str>, default: f32) -> Option<f32> {
    match value {
        None => Some(default),
        Some(v) => {
            let v = v.trim();
            match v.strip_suffix('%') {
                Some(p) => p.trim().parse::<f32>().ok().map(|p| (p / 100.0).clamp(0.0, 1.0)),
                None => v.parse::<f32>().ok().map(|n| n.clamp(0.0, 1.0)),
            }
        }
    }
}

/// A paint: `Some(None)` for no paint, `None` for paints only usvg handles.
fn paint(value: &str, style: &Style, alpha: f32) -> Option<Option<Color>> {
    let color = match svgtypes::Paint::from_str(value.trim()).ok()? {
        svgtypes::Paint::None => return Some(None),
        svgtypes::Paint::Color(c) => c,
        svgtypes::Paint::CurrentColor => {
            svgtypes::Color::from_str(style.get("color").unwrap_or("black")).ok()?
        }
        _ => return None,
    };
    let a = f32::from(color.alpha) / 255.0 * alpha;
    Some(Some(Color::from_rgba8(color.red, color.green, color.blue, (a * 255.0).round() as u8)))
}

fn stroke_props(style: &Style) -> Option<Stroke> {
    let width = match style.get("stroke-width") {
        Some(w) => {
            let l = svgtypes::Length::from_str(w.trim()).ok()?;
            match l.unit {
                svgtypes::LengthUnit::None | svgtypes::LengthUnit::Px => l.number as f32,
                _ => return None,
            }
        }
        None => 1.0,
    };
    let mut s = Stroke { width, ..Stroke::default() };
    s.miter_limit = style.get("stroke-miterlimit").map_or(Some(4.0), |m| m.trim().parse().ok())?;
    s.line_cap = match style.get("stroke-linecap") {
        Some("round") => LineCap::Round,
        Some("square") => LineCap::Square,
        _ => LineCap::Butt,
    };
    s.line_join = match style.get("stroke-linejoin") {
        Some("round") => LineJoin::Round,
        Some("bevel") => LineJoin::Bevel,
        Some("miter-clip") => LineJoin::MiterClip,
        _ => LineJoin::Miter,
    };
    if let Some(d) = style.get("stroke-dasharray").filter(|d| d.trim() != "none") {
        let mut values: Vec<f32> = d
            .split([',', ' '])
            .filter(|v| !v.is_empty())
            .map(|v| v.trim().parse().ok())
            .collect::<Option<_>>()?;
        if values.len() % 2 == 1 {
            values.extend(values.clone());
        }
        let offset = style.get("stroke-dashoffset").map_or(Some(0.0), |o| o.trim().parse().ok())?;
        s.dash = StrokeDash::new(values, offset);
    }
    Some(s)
}

/// A single absolute length (not a list, not a percentage), or `default` when absent.
fn length_or(value: Option<&str>, default: f32) -> Option<f32> {
    match value {
        None => Some(default),
        Some(v) if v.contains('%') || v.trim().contains([' ', ',']) => None,
        Some(v) => crate::svg::attrs::length(v, 0.0).map(|l| l as f32),
    }
}

/// SVG's default white-space handling: newlines removed, tabs to spaces, ends trimmed,
/// runs of spaces collapsed; with `xml:space="preserve"` newlines and tabs become spaces.
fn collapse_whitespace(text: &str, preserve: bool) -> String {
    if preserve {
        return text.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !matches!(c, '\n' | '\r')) {
        let c = if c == '\t' { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out
}
