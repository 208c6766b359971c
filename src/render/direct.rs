//! The direct renderer: draws the common subset of maps (solid fills and strokes, transforms,
//! simple one-line labels) straight from the model with tiny-skia, the rasteriser resvg uses,
//! without writing and re-parsing SVG, and on every core. Anything beyond that subset
//! (gradients, clipping, masks, filters, group opacity, images, complex text) is left to the
//! usvg path: [`build`] then returns `None`.
//!
//! A scene keeps what each node draws apart, so that after an edit only the touched nodes are
//! built again ([`build_reusing`]) and the editor's tiles know which places changed.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use kurbo::{Affine, PathEl};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, PixmapMut, Rect, Stroke,
    StrokeDash, Transform,
};

use super::glyphs::TextShaper;
use super::labels::{self, Label};
use crate::model::{Map, Node, NodeKey, NodeKind, Style, XmlElement, XmlNode};

/// One drawing operation in paint order.
struct Op {
    path: Arc<Path>,
    /// From the path's coordinates to the scene's.
    transform: Transform,
    fill: Option<(Color, FillRule)>,
    stroke: Option<(Stroke, Color)>,
    anti_alias: bool,
    /// Whether it draws a glyph (drawn through a coverage mask).
    glyph: bool,
    /// Bounds in the scene's coordinates, stroke included.
    bounds: Rect,
}

/// What one node or one overlay label draws.
pub struct Item {
    ops: Vec<Op>,
    /// The union of the operations' bounds, in the scene's coordinates.
    bounds: Rect,
    /// The fill override it was built with (the binding overlay's colour).
    fill: Option<String>,
}

impl Item {
    /// The item's bounds in the scene's coordinates.
    pub fn bounds(&self) -> kurbo::Rect {
        let b = self.bounds;
        kurbo::Rect::new(b.left().into(), b.top().into(), b.right().into(), b.bottom().into())
    }
}

/// A map ready to rasterise.
pub struct Scene {
    /// In paint order.
    items: Vec<Arc<Item>>,
    /// The item of each shape or text node, by key index.
    by_key: Vec<Option<Arc<Item>>>,
    /// The items of the overlay labels.
    labels: HashMap<LabelKey, Arc<Item>>,
    /// Where each node's item is in `items`, by key index (`u32::MAX`: none).
    at: Vec<u32>,
}

/// A label's identity: its text, anchor and size (exact bits).
type LabelKey = (String, [u64; 3]);

fn label_key(l: &Label) -> LabelKey {
    (l.text.clone(), [l.anchor.x.to_bits(), l.anchor.y.to_bits(), l.size.to_bits()])
}

impl Scene {
    /// Appends `key`'s item in paint order.
    fn push(&mut self, key: NodeKey, item: Arc<Item>) {
        self.at[key.index()] = self.items.len() as u32;
        self.items.push(item.clone());
        self.by_key[key.index()] = Some(item);
    }

    /// The bounds of everything that differs between `self` and `before` (items added, removed
    /// or built again), in the scene's coordinates.
    pub fn changed_since(&self, before: &Scene) -> Vec<kurbo::Rect> {
        let mut out = Vec::new();
        let n = self.by_key.len().max(before.by_key.len());
        for i in 0..n {
            let (a, b) =
                (before.by_key.get(i).and_then(Option::as_ref), self.by_key.get(i).and_then(Option::as_ref));
            if let (Some(a), Some(b)) = (a, b)
                && Arc::ptr_eq(a, b)
            {
                continue;
            }
            out.extend(a.into_iter().chain(b).map(|item| item.bounds()));
        }
        for (key, item) in &self.labels {
            if before.labels.get(key).is_none_or(|old| !Arc::ptr_eq(old, item)) {
                out.push(item.bounds());
            }
        }
        for (key, item) in &before.labels {
            if !self.labels.contains_key(key) {
                out.push(item.bounds());
            }
        }
        out
    }
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
    scene_from_doc: Affine,
    opts: &super::RenderOptions,
) -> Option<Scene> {
    build_reusing(map, fills, labels, scene_from_doc, opts, None, 0.0)
}

/// A scene that draws nothing.
pub fn empty() -> Scene {
    Scene { items: Vec::new(), by_key: Vec::new(), labels: HashMap::new(), at: Vec::new() }
}

/// [`build`], taking the items of `reuse`'s scene (built with the same `scene_from_doc` and
/// `opts`) for every node its mask does not mark as touched, and leaving out shapes smaller
/// than `smallest` (in the scene's units) both ways (0 leaves out none).
pub fn build_reusing(
    map: &Map,
    fills: &[Option<String>],
    labels: &[Label],
    scene_from_doc: Affine,
    opts: &super::RenderOptions,
    reuse: Option<(&Scene, &[bool])>,
    smallest: f64,
) -> Option<Scene> {
    let mut work = drawn_nodes(map, fills, scene_from_doc, opts, reuse, smallest)?;
    work.extend(labels.iter().map(|l| Work::Label(label_key(l), l)));
    let mut label_style = Style::default();
    label_style.set("fill", labels::COLOR);
    let to_build = work.iter().filter(|w| !matches!(w, Work::Kept(..))).count();
    let threads = if to_build >= BUILT_ON_EVERY_CORE {
        std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
    } else {
        1
    };
    // In chunks, each with its own builder (and text shaper), taken in turn by the threads.
    let chunks: Vec<&[Work<'_>]> = work.chunks(work.len().div_ceil(threads * 4).max(1)).collect();
    let built = super::raster::map_in_turn(&chunks, threads, |chunk| {
        let mut b = Builder { ops: Vec::new(), shaper: None };
        chunk
            .iter()
            .map(|w| match w {
                Work::Kept(_, item) => Some(Some(item.clone())),
                Work::Node(key, t, fill) => {
                    b.leaf(map.node(*key), fill.as_deref(), *t, opts)?;
                    Some(b.take(fill.clone()))
                }
                Work::Label(key, l) => {
                    if let Some(item) = reuse.and_then(|(scene, _)| scene.labels.get(key).cloned()) {
                        return Some(Some(item));
                    }
                    let at = (l.anchor.x as f32, l.anchor.y as f32);
                    b.glyphs(&l.text, l.size as f32, at, 0.5, &label_style, scene_from_doc)?;
                    Some(b.take(None))
                }
            })
            .collect::<Option<Vec<_>>>()
    })?;
    // A chunk with a node only usvg draws makes the whole scene none.
    let built = built.into_iter().collect::<Option<Vec<_>>>()?.into_iter().flatten();
    let mut scene =
        Scene { by_key: vec![None; map.key_bound()], at: vec![u32::MAX; map.key_bound()], ..empty() };
    for (w, item) in work.iter().zip(built) {
        let Some(item) = item else { continue };
        match w {
            Work::Kept(key, _) | Work::Node(key, ..) => scene.push(*key, item),
            Work::Label(key, _) => {
                scene.items.push(item.clone());
                scene.labels.insert(key.clone(), item);
            }
        }
    }
    Some(scene)
}

/// Nodes and labels to build from this many on are built on every core: a third of the time
/// of the tall plan's preview on one core.
const BUILT_ON_EVERY_CORE: usize = 4096;

/// What a scene is made of, in paint order.
enum Work<'a> {
    /// A node drawn as in the scene reused.
    Kept(NodeKey, Arc<Item>),
    /// A shape or text node to build, with its transform to the scene and fill override.
    Node(NodeKey, Affine, Option<String>),
    /// An overlay label.
    Label(LabelKey, &'a Label),
}

/// The drawn shape and text nodes in paint order, or `None` when one needs usvg.
fn drawn_nodes<'a>(
    map: &Map,
    fills: &[Option<String>],
    scene_from_doc: Affine,
    opts: &super::RenderOptions,
    reuse: Option<(&Scene, &[bool])>,
    smallest: f64,
) -> Option<Vec<Work<'a>>> {
    let mut out = Vec::new();
    let mut stack: Vec<(NodeKey, Affine)> =
        map.roots().iter().rev().map(|&k| (k, scene_from_doc * map.node(k).transform())).collect();
    while let Some((key, t)) = stack.pop() {
        let node = map.node(key);
        if left_out(node, opts) {
            continue;
        }
        let fill = fills.get(key.index()).cloned().flatten();
        // An untouched node drawn as before: checked when it was built.
        let kept = reuse
            .filter(|(_, touched)| !touched.get(key.index()).copied().unwrap_or(true))
            .and_then(|(scene, _)| scene.by_key.get(key.index())?.clone())
            .filter(|item| item.fill == fill);
        if let Some(item) = kept {
            out.push(Work::Kept(key, item));
            continue;
        }
        if !node.style.iter().all(|(k, _)| understood(k)) || node.style.get("display") == Some("none") {
            if node.style.get("display") == Some("none") {
                continue;
            }
            return None;
        }
        if let NodeKind::Group(children) = &node.kind {
            if !group_drawable(node) {
                return None;
            }
            stack.extend(children.iter().rev().map(|&c| (c, t * map.node(c).transform())));
            continue;
        }
        if smallest > 0.0
            && let NodeKind::Shape(g) = &node.kind
            && let size = g.bounding_box_with(t).size()
            && size.width < smallest
            && size.height < smallest
        {
            continue;
        }
        out.push(Work::Node(key, t, fill));
    }
    Some(out)
}

/// `before` (built from the map in its own coordinates, without status colours or labels) with
/// the touched nodes built again in place, when the changes only moved, reshaped or restyled
/// nodes that are drawn before and after; `None` when the scene has to be walked again.
pub fn patched(
    map: &Map,
    opts: &super::RenderOptions,
    before: &Scene,
    touched: &crate::model::Touches,
) -> Option<Scene> {
    if touched.structure || before.by_key.len() != map.key_bound() || !before.labels.is_empty() {
        return None;
    }
    // A group a change names itself (its style) can change how its subtree is drawn.
    let leaf = |k: NodeKey| map.get(k).is_some_and(|n| !matches!(n.kind, NodeKind::Group(_)));
    if !touched.named.iter().all(|&(k, subtree)| subtree || leaf(k)) {
        return None;
    }
    let mut scene = Scene {
        items: before.items.clone(),
        by_key: before.by_key.clone(),
        labels: HashMap::new(),
        at: before.at.clone(),
    };
    let mut b = Builder { ops: Vec::new(), shaper: None };
    for (i, _) in touched.nodes.iter().enumerate().filter(|(_, t)| **t) {
        let Some(key) = map.key_at(i) else { continue };
        let node = map.node(key);
        let drawn = |n: &Node| !left_out(n, opts) && n.style.get("display") != Some("none");
        if !node.style.iter().all(|(k, _)| understood(k)) {
            return None;
        }
        if matches!(node.kind, NodeKind::Group(_)) {
            if !group_drawable(node) || !drawn(node) {
                return None;
            }
            continue;
        }
        b.leaf(node, None, map.doc_from_node(key), opts)?;
        let shown = drawn(node) && map.ancestors(key).all(|a| drawn(map.node(a)));
        let item = b.take(None).filter(|_| shown);
        // Only in place: an item that appears where there was none needs the walk's order.
        let at = *before.at.get(i)?;
        match item {
            Some(item) if at != u32::MAX => {
                scene.items[at as usize] = item.clone();
                scene.by_key[i] = Some(item);
            }
            Some(_) => return None,
            None if at != u32::MAX => {
                let bounds = before.items[at as usize].bounds;
                scene.items[at as usize] = Arc::new(Item { ops: Vec::new(), bounds, fill: None });
                scene.by_key[i] = None;
                scene.at[i] = u32::MAX;
            }
            None => {}
        }
    }
    Some(scene)
}

/// Left out as `opts` draws: drawn as exported (`opts.hidden`), hidden elements are in and
/// reference-only ones out; drawn as the canvas shows it, the other way round.
fn left_out(node: &Node, opts: &super::RenderOptions) -> bool {
    (node.hidden && !opts.hidden) || (node.reference && opts.hidden)
}

/// A group the direct renderer draws: one without group opacity (which needs compositing).
fn group_drawable(node: &Node) -> bool {
    node.style.get("opacity").is_none_or(|o| o.trim().parse::<f32>().ok() == Some(1.0))
}

struct Builder {
    ops: Vec<Op>,
    shaper: Option<TextShaper>,
}

impl Builder {
    /// A shape or text node's operations (a text decoration only when `opts` draws text);
    /// `None` for any other decoration, which only usvg draws.
    fn leaf(
        &mut self,
        node: &Node,
        fill: Option<&str>,
        t: Affine,
        opts: &super::RenderOptions,
    ) -> Option<()> {
        match &node.kind {
            NodeKind::Shape(g) => self.shape(&g.to_path(), &node.style, fill, t),
            NodeKind::Decor(el) if &*el.name == "text" => {
                if opts.text {
                    self.text(el, &node.style, t)?;
                }
                Some(())
            }
            NodeKind::Decor(_) | NodeKind::Group(_) => None,
        }
    }

    /// The operations pushed since the last call, as one item (`None` when there are none).
    fn take(&mut self, fill: Option<String>) -> Option<Arc<Item>> {
        let ops = std::mem::take(&mut self.ops);
        let bounds = ops.iter().map(|o| o.bounds).reduce(union)?;
        Some(Arc::new(Item { ops, bounds, fill }))
    }

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
        // A status colour replaces the fill and its opacity (as the preview's export does).
        let fill_opacity =
            if fill_override.is_some() { 1.0 } else { number(style.get("fill-opacity"), 1.0)? };
        let mut fill = paint(fill_value, style, fill_opacity * opacity)?;
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
        self.push(Arc::new(path), to_transform(t), fill.map(|c| (c, rule)), stroke, style, false);
        Some(())
    }

    fn push(
        &mut self,
        path: Arc<Path>,
        transform: Transform,
        fill: Option<(Color, FillRule)>,
        stroke: Option<(Stroke, Color)>,
        style: &Style,
        glyph: bool,
    ) {
        if fill.is_none() && stroke.is_none() {
            return;
        }
        let grow = stroke.as_ref().map_or(0.0, |(s, _)| s.width * s.miter_limit.max(1.0) / 2.0);
        let Some(bounds) = path.bounds().outset(grow, grow).and_then(|r| r.transform(transform)) else {
            return;
        };
        let anti_alias = !matches!(style.get("shape-rendering"), Some("crispEdges" | "optimizeSpeed"));
        self.ops.push(Op { path, transform, fill, stroke, anti_alias, glyph, bounds });
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
                    XmlNode::Element(span) if &*span.name == "tspan" => {
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
            let t = base.pre_concat(g.transform);
            self.push(g.outline, t, Some((color, FillRule::Winding)), None, style, true);
        }
        Some(())
    }
}

/// Rasterises the scene onto a white pixmap, one horizontal band per core.
pub fn render_bands(scene: &Scene, width: u32, height: u32) -> Option<Pixmap> {
    super::raster::bands(width, height, |band: &mut PixmapMut<'_>, top: u32| {
        draw(scene, band, 1.0, (0.0, -(top as f64)), 0.0);
    })
}

/// Pixel coordinates the rasteriser handles safely: an operation reaching beyond is cut to a
/// frame around the target first (tiny-skia's fixed-point edges overflow far out).
const SAFE: f32 = 1_000_000.0;
/// The widest stroke, in pixels, a drawing that leaves out specks also leaves out.
const FAINT: f64 = 0.1;
/// Pixels kept around the target when an operation is cut.
const MARGIN: f64 = 4096.0;

/// Draws the items that reach `target` onto it, the scene scaled by `scale` and then moved by
/// `shift` pixels, leaving out operations smaller than `smallest` pixels both ways (0 draws
/// everything; a coarse overview need not draw specks).
pub fn draw(scene: &Scene, target: &mut PixmapMut<'_>, scale: f64, shift: (f64, f64), smallest: f64) {
    let (w, h) = (f64::from(target.width()), f64::from(target.height()));
    // What the target shows, in scene coordinates, a pixel wider for anti-aliasing.
    let pad = 1.0 / scale;
    let seen = kurbo::Rect::new(
        -shift.0 / scale - pad,
        -shift.1 / scale - pad,
        (w - shift.0) / scale + pad,
        (h - shift.1) / scale + pad,
    );
    let target_from_scene =
        Transform::from_row(scale as f32, 0.0, 0.0, scale as f32, shift.0 as f32, shift.1 as f32);
    let reaches = |b: Rect| {
        f64::from(b.left()) <= seen.x1
            && f64::from(b.right()) >= seen.x0
            && f64::from(b.top()) <= seen.y1
            && f64::from(b.bottom()) >= seen.y0
    };
    let frame = kurbo::Rect::new(-MARGIN, -MARGIN, w + MARGIN, h + MARGIN);
    let speck = |b: Rect| f64::from(b.width().max(b.height())) * scale < smallest;
    for item in scene.items.iter().filter(|i| reaches(i.bounds) && !speck(i.bounds)) {
        for op in item.ops.iter().filter(|o| reaches(o.bounds) && !speck(o.bounds)) {
            let t = target_from_scene.pre_concat(op.transform);
            let far = op
                .bounds
                .transform(target_from_scene)
                .is_none_or(|b| b.left() < -SAFE || b.top() < -SAFE || b.right() > SAFE || b.bottom() > SAFE);
            let cut;
            let path = if far {
                match cut_to(&op.path, t, frame) {
                    Some(p) => {
                        cut = p;
                        &cut
                    }
                    None => continue,
                }
            } else {
                &*op.path
            };
            if let Some((color, rule)) = op.fill {
                if op.glyph && op.anti_alias && !far && super::glyph_masks::draw(target, path, t, color) {
                    continue; // A glyph has no stroke.
                }
                let mut p = Paint::default();
                p.set_color(color);
                p.anti_alias = op.anti_alias;
                target.fill_path(path, &p, rule, t, None);
            }
            if let Some((stroke, color)) =
                op.stroke.as_ref().filter(|(s, _)| !faint(s.width, scale, smallest))
            {
                let mut p = Paint::default();
                p.set_color(*color);
                p.anti_alias = op.anti_alias;
                // A stroke wider than the frame only covers it: capped, it covers it too.
                let scale = (t.sx * t.sy - t.kx * t.ky).abs().sqrt();
                let capped;
                let stroke = if f64::from(stroke.width * scale) > MARGIN {
                    capped = Stroke { width: (MARGIN as f32) / scale, ..stroke.clone() };
                    &capped
                } else {
                    stroke
                };
                target.stroke_path(path, &p, stroke, t, None);
            }
        }
    }
}

/// True for a stroke too thin to see where specks are left out: narrower than a tenth of a
/// pixel, a line darkens what it crosses by a few hundredths at most.
fn faint(width: f32, scale: f64, smallest: f64) -> bool {
    smallest > 0.0 && f64::from(width) * scale < FAINT
}

/// `path`, drawn at `t`, cut to `frame` (target pixels), in its own coordinates again.
fn cut_to(path: &Path, t: Transform, frame: kurbo::Rect) -> Option<Path> {
    use tiny_skia::PathSegment;
    let mut k = kurbo::BezPath::new();
    for s in path.segments() {
        match s {
            PathSegment::MoveTo(p) => k.move_to((p.x, p.y)),
            PathSegment::LineTo(p) => k.line_to((p.x, p.y)),
            PathSegment::QuadTo(a, p) => k.quad_to((a.x, a.y), (p.x, p.y)),
            PathSegment::CubicTo(a, b, p) => k.curve_to((a.x, a.y), (b.x, b.y), (p.x, p.y)),
            PathSegment::Close => k.close_path(),
        }
    }
    let t = Affine::new([t.sx, t.ky, t.kx, t.sy, t.tx, t.ty].map(f64::from));
    to_skia(&super::frame::cut(&k, t, frame).to_path())
}

fn union(a: Rect, b: Rect) -> Rect {
    Rect::from_ltrb(
        a.left().min(b.left()),
        a.top().min(b.top()),
        a.right().max(b.right()),
        a.bottom().max(b.bottom()),
    )
    .unwrap_or(a)
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
