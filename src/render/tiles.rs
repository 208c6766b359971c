//! The editor canvas's tiles: the map drawn in square tiles at zoom levels half an octave
//! apart, from a scene built once per revision. After an edit the scene is built again only
//! for the nodes the edit touched, and says which places changed, so only their tiles are
//! drawn again.

use kurbo::Rect;
use tiny_skia::{Color, Pixmap, Transform};

use super::{Overlay, RenderError, RenderOptions, direct, fonts, raster, text_over_budget};
use crate::categories::CategoryTable;
use crate::model::{Map, Touches};

/// A tile's side in pixels.
pub const TILE: u32 = 256;
/// The levels tiles are drawn at: level `l` is `2^(l/2)` pixels per map unit.
const LEVELS: std::ops::RangeInclusive<i32> = -60..=40;
/// The labels of the binding overlay are the ones a preview this many pixels wide shows.
const LABELS_AS_AT: u32 = 2048;

/// One tile: a level and a place in the grid of that level, counted from the map's origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// The zoom level (see [`TileId::scale`]).
    pub level: i32,
    /// Column.
    pub x: i64,
    /// Row.
    pub y: i64,
}

impl TileId {
    /// Tile pixels per map unit at `level`.
    pub fn scale(level: i32) -> f64 {
        2f64.powf(f64::from(level) / 2.0)
    }

    /// The coarsest level whose pixels are no larger than a screen pixel when the map is shown
    /// at `pixels_per_unit` screen pixels per map unit (at most √2 times finer).
    pub fn level_for(pixels_per_unit: f64) -> i32 {
        let level = (2.0 * pixels_per_unit.log2()).ceil();
        if level.is_finite() {
            (level as i32).clamp(*LEVELS.start(), *LEVELS.end())
        } else if pixels_per_unit > 1.0 {
            *LEVELS.end()
        } else {
            *LEVELS.start()
        }
    }

    /// The map rectangle the tile covers.
    pub fn rect(self) -> Rect {
        let side = f64::from(TILE) / Self::scale(self.level);
        Rect::new(
            self.x as f64 * side,
            self.y as f64 * side,
            (self.x + 1) as f64 * side,
            (self.y + 1) as f64 * side,
        )
    }

    /// The tiles of `level` that cover `area` (map units), nearest its centre first.
    pub fn covering(level: i32, area: Rect) -> Vec<TileId> {
        let side = f64::from(TILE) / Self::scale(level);
        let index = |v: f64| (v / side).floor().clamp(-1e15, 1e15) as i64;
        let (x0, x1, y0, y1) = (index(area.x0), index(area.x1), index(area.y0), index(area.y1));
        if (x1 - x0 + 1).saturating_mul(y1 - y0 + 1) > 100_000 {
            return Vec::new();
        }
        let mut out: Vec<TileId> =
            (y0..=y1).flat_map(|y| (x0..=x1).map(move |x| TileId { level, x, y })).collect();
        let c = area.center();
        out.sort_by(|a, b| a.rect().center().distance(c).total_cmp(&b.rect().center().distance(c)));
        out
    }
}

/// What every tile of the canvas shows besides the map: the switches that change all of them.
#[derive(Clone, Default)]
pub struct Look {
    /// Fill areas by binding status (and draw the overlay's labels) instead of their styles.
    pub status_colours: bool,
    /// The report's values the statuses are matched against.
    pub values: Option<std::sync::Arc<CategoryTable>>,
    /// Draw text (a first, quick scene leaves it out).
    pub text: bool,
}

/// What changed between two scenes.
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    /// Everything (a new map, a new look, or a map only usvg draws).
    All,
    /// These places, in map units.
    Places(Vec<Rect>),
}

impl Changed {
    /// Whether `area` (map units) shows something that changed.
    pub fn touches(&self, area: Rect) -> bool {
        match self {
            Changed::All => true,
            Changed::Places(places) => places.iter().any(|p| p.overlaps(area) || area.contains_rect(*p)),
        }
    }
}

/// Most places a change lists; more (a whole floor moved) become the one place around them all,
/// so checking every cached tile against them stays cheap.
const MOST_PLACES: usize = 64;

fn fewer(places: Vec<Rect>) -> Vec<Rect> {
    if places.len() <= MOST_PLACES {
        return places;
    }
    places.into_iter().reduce(|a, b| a.union(b)).into_iter().collect()
}

/// A tracing image ready to draw: its pixels (shared by the scenes of later revisions), from
/// its pixels to map units, and its opacity.
struct Tracing {
    url: std::sync::Arc<str>,
    pixels: std::sync::Arc<Pixmap>,
    to_map: kurbo::Affine,
    opacity: f32,
}

impl Tracing {
    /// The tracing image of `map`, decoded, or taken from `before` when it is the same picture.
    fn of(map: &Map, before: Option<&TileScene>) -> Option<Tracing> {
        let t = map.tracing.as_ref()?;
        // The same picture is most often the very same string, shared with the map's copies.
        let kept = before
            .and_then(|b| b.tracing.as_ref())
            .filter(|b| std::sync::Arc::ptr_eq(&b.url, &t.data_url) || *b.url == *t.data_url);
        let (url, pixels) = match kept {
            Some(b) => (b.url.clone(), b.pixels.clone()),
            None => {
                let picture = crate::trace::Picture::from_data_url(&t.data_url)?;
                let p = picture.pixels().ok()?;
                let rgba: Vec<u8> = p.rgb.iter().flat_map(|[r, g, b]| [*r, *g, *b, 255]).collect();
                let size = tiny_skia::IntSize::from_wh(p.width as u32, p.height as u32)?;
                (t.data_url.clone(), std::sync::Arc::new(Pixmap::from_vec(rgba, size)?))
            }
        };
        let size = (f64::from(pixels.width()), f64::from(pixels.height()));
        let to_map = crate::trace::pixels_to_map(t, size);
        Some(Tracing { url, pixels, to_map, opacity: t.opacity.clamp(0.0, 1.0) as f32 })
    }
}

/// The opacity of the map over its tracing image (as the preview draws it).
const OVER_TRACING: f32 = 0.6;

enum Content {
    Direct(direct::Scene),
    Usvg(Box<usvg::Tree>),
}

/// The map ready to be drawn as tiles.
pub struct TileScene {
    content: Content,
    /// The tracing image under the map, which is then drawn see-through over it.
    tracing: Option<Tracing>,
    /// From the usvg tree's coordinates to map units.
    usvg_to_map: kurbo::Affine,
    /// The artboard: what tiles are drawn for.
    extent: Rect,
    /// What the scene leaves out and why.
    pub notes: Vec<String>,
}

impl TileScene {
    /// Builds the scene of `map` as `look` says. With `before` (the scene of an earlier
    /// revision with the same look, and what was touched since), the other nodes' drawings
    /// are taken from it. Also says what changed since `before`.
    pub fn build(map: &Map, look: &Look, before: Option<(&TileScene, &Touches)>) -> (TileScene, Changed) {
        Self::build_leaving_out(map, look, before, 0.0)
    }

    /// A scene of `map` without its shapes smaller than `smallest` map units both ways: enough
    /// for a coarse overview, and quick to make for a map of many small areas.
    pub fn coarse(map: &Map, look: &Look, smallest: f64) -> TileScene {
        Self::build_leaving_out(map, look, None, smallest).0
    }

    fn build_leaving_out(
        map: &Map,
        look: &Look,
        before: Option<(&TileScene, &Touches)>,
        smallest: f64,
    ) -> (TileScene, Changed) {
        let mut notes = Vec::new();
        let mut opts = RenderOptions {
            width: LABELS_AS_AT,
            legend: false,
            labels: look.status_colours,
            engine: super::Engine::Auto,
            status_colours: look.status_colours,
            tracing_image: false,
            text: look.text,
            hidden: false,
        };
        if let Some(why) = opts.text.then(|| text_over_budget(map)).flatten() {
            notes.push(format!("the text is left out: {why}"));
            opts.text = false;
        }
        let overlay = Overlay::new(map, look.values.as_deref(), &opts);
        let tracing = Tracing::of(map, before.map(|(scene, _)| scene));
        let reuse = before.and_then(|(scene, touched)| match &scene.content {
            Content::Direct(d) => Some((d, touched)),
            Content::Usvg(_) => None,
        });
        let built = crate::guard::caught("drawing the map", || {
            // Moves, reshapes and restyles patch the scene in place; anything else walks it.
            let patched = reuse.and_then(|(scene, touched)| {
                let fills_none = overlay.fills.iter().all(Option::is_none) && overlay.labels.is_empty();
                fills_none.then(|| direct::patched(map, &opts, scene, touched)).flatten()
            });
            patched.or_else(|| {
                let reuse = reuse.map(|(scene, touched)| (scene, touched.nodes.as_slice()));
                direct::build_reusing(
                    map,
                    &overlay.fills,
                    &overlay.labels,
                    kurbo::Affine::IDENTITY,
                    &opts,
                    reuse,
                    smallest,
                )
            })
        });
        if let Ok(Some(scene)) = built {
            // A new tracing image (or a new place or opacity for it) is under every tile.
            let same_tracing = before.is_some_and(|(b, _)| match (&b.tracing, &tracing) {
                (Some(a), Some(b)) => {
                    std::sync::Arc::ptr_eq(&a.pixels, &b.pixels)
                        && a.to_map == b.to_map
                        && a.opacity == b.opacity
                }
                (a, b) => a.is_none() && b.is_none(),
            });
            let changed = match reuse {
                Some((old, _)) if same_tracing => Changed::Places(fewer(scene.changed_since(old))),
                _ => Changed::All,
            };
            let content = Content::Direct(scene);
            let extent = map.view_box.rect();
            let usvg_to_map = kurbo::Affine::IDENTITY;
            return (TileScene { content, tracing, usvg_to_map, extent, notes }, changed);
        }
        let vb = map.view_box;
        let tree = usvg::Tree::from_str(&overlay.svg(map), &fonts::safe_options());
        let (content, usvg_to_map) = match tree {
            Ok(tree) => {
                let size = tree.size();
                let to_map = kurbo::Affine::translate((vb.x, vb.y))
                    * kurbo::Affine::scale_non_uniform(
                        vb.width / f64::from(size.width()),
                        vb.height / f64::from(size.height()),
                    );
                (Content::Usvg(Box::new(tree)), to_map)
            }
            Err(e) => {
                notes.push(format!("the map cannot be drawn: {e}"));
                (Content::Direct(direct::empty()), kurbo::Affine::IDENTITY)
            }
        };
        (TileScene { content, tracing, usvg_to_map, extent: vb.rect(), notes }, Changed::All)
    }

    /// The artboard, in map units: the part of the map tiles are drawn for.
    pub fn extent(&self) -> Rect {
        self.extent
    }

    /// Draws one tile (`TILE`×`TILE` pixels). A failure of the rasteriser is an error, never
    /// a crash.
    pub fn render(&self, tile: TileId) -> Result<Pixmap, RenderError> {
        let scale = TileId::scale(tile.level);
        let shift = (-(tile.x as f64) * f64::from(TILE), -(tile.y as f64) * f64::from(TILE));
        self.draw(TILE, TILE, scale, shift, 0.0)
    }

    /// Draws the whole of `area` (map units) at `scale` pixels per unit, leaving out what is
    /// smaller than `smallest` pixels both ways (0 draws everything; the canvas's overview
    /// leaves out specks).
    pub fn render_area(&self, area: Rect, scale: f64, smallest: f64) -> Result<Pixmap, RenderError> {
        let (w, h) = ((area.width() * scale).ceil().max(1.0), (area.height() * scale).ceil().max(1.0));
        if w * h > super::MAX_PIXELS as f64
            || w > f64::from(super::MAX_SIDE)
            || h > f64::from(super::MAX_SIDE)
        {
            return Err(RenderError::TooLarge { width: w as u64, height: h as u64 });
        }
        self.draw(w as u32, h as u32, scale, (-area.x0 * scale, -area.y0 * scale), smallest)
    }

    fn draw(
        &self,
        width: u32,
        height: u32,
        scale: f64,
        shift: (f64, f64),
        smallest: f64,
    ) -> Result<Pixmap, RenderError> {
        crate::guard::caught("drawing a tile", || {
            let mut pixmap = Pixmap::new(width, height)
                .ok_or(RenderError::TooLarge { width: width.into(), height: height.into() })?;
            pixmap.fill(Color::WHITE);
            let threads = if width * height > TILE * TILE { 2 } else { 1 };
            raster::in_bands(&mut pixmap, threads, |band, top| {
                let shift = (shift.0, shift.1 - f64::from(top));
                let Some(tracing) = &self.tracing else {
                    self.draw_map(band, scale, shift, smallest);
                    return;
                };
                // The plan, then the map see-through over it in a layer of its own.
                let t = kurbo::Affine::translate(shift) * kurbo::Affine::scale(scale) * tracing.to_map;
                let pattern = tiny_skia::Pattern::new(
                    tracing.pixels.as_ref().as_ref(),
                    tiny_skia::SpreadMode::Pad,
                    tiny_skia::FilterQuality::Bilinear,
                    tracing.opacity,
                    Transform::identity(),
                );
                let paint = tiny_skia::Paint { shader: pattern, ..tiny_skia::Paint::default() };
                let whole = tiny_skia::Rect::from_xywh(
                    0.0,
                    0.0,
                    tracing.pixels.width() as f32,
                    tracing.pixels.height() as f32,
                );
                if let Some(whole) = whole {
                    band.fill_rect(whole, &paint, to_transform(t), None);
                }
                let Some(mut layer) = Pixmap::new(band.width(), band.height()) else { return };
                self.draw_map(&mut layer.as_mut(), scale, shift, smallest);
                let over =
                    tiny_skia::PixmapPaint { opacity: OVER_TRACING, ..tiny_skia::PixmapPaint::default() };
                band.draw_pixmap(0, 0, layer.as_ref(), &over, Transform::identity(), None);
            });
            Ok(pixmap)
        })
        .map_err(RenderError::Internal)
        .flatten()
    }

    /// Draws the map (not the tracing image) onto `target`.
    fn draw_map(&self, target: &mut tiny_skia::PixmapMut<'_>, scale: f64, shift: (f64, f64), smallest: f64) {
        match &self.content {
            Content::Direct(scene) => direct::draw(scene, target, scale, shift, smallest),
            Content::Usvg(tree) => {
                let t = kurbo::Affine::translate(shift) * kurbo::Affine::scale(scale) * self.usvg_to_map;
                resvg::render(tree, to_transform(t), target);
            }
        }
    }
}

fn to_transform(t: kurbo::Affine) -> Transform {
    let c = t.as_coeffs().map(|v| v as f32);
    Transform::from_row(c[0], c[1], c[2], c[3], c[4], c[5])
}
