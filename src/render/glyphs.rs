//! Text layout with the compiled-in font for the direct renderer: harfrust shaping (as usvg
//! does) with one shaper for all labels, a cache of shaping plans (making one took most of
//! the time of shaping a short label) and a cache of glyph outlines.

use std::collections::HashMap;
use std::sync::Arc;

use harfrust::{FontRef, ShapePlan, ShapePlanKey, ShaperData, UnicodeBuffer};
use skrifa::MetadataProvider;
use skrifa::outline::{DrawSettings, OutlinePen};
use tiny_skia::{Path, PathBuilder, Transform};

use super::fonts::DEJAVU_SANS;

/// A positioned glyph outline: the outline in font units (y up) and where it goes.
pub struct PlacedGlyph {
    /// The outline, shared by every occurrence of the glyph.
    pub outline: Arc<Path>,
    /// From font units to the text's coordinates.
    pub transform: Transform,
}

/// Shapes text and hands out cached glyph outlines.
pub struct TextShaper {
    font: FontRef<'static>,
    data: ShaperData,
    units_per_em: f32,
    /// A plan per script, direction and language met so far.
    plans: Vec<ShapePlan>,
    outlines: HashMap<u32, Option<Arc<Path>>>,
}

impl TextShaper {
    /// A shaper for the compiled-in font.
    pub fn new() -> Option<Self> {
        let font = FontRef::from_index(DEJAVU_SANS, 0).ok()?;
        let data = ShaperData::new(&font);
        let metrics = skrifa::FontRef::from_index(DEJAVU_SANS, 0)
            .ok()?
            .metrics(skrifa::instance::Size::unscaled(), skrifa::instance::LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em);
        Some(Self { font, data, units_per_em, plans: Vec::new(), outlines: HashMap::new() })
    }

    /// True when the text needs nothing beyond simple left-to-right shaping (no bidi).
    pub fn supports(text: &str) -> bool {
        text.chars().all(|c| (c as u32) < 0x0530 || (0x2000..0x2070).contains(&(c as u32)) || c == '€')
    }

    /// Lays out one line: glyphs placed from `origin` (the baseline start) at `size` units
    /// per em, shifted by `anchor` (0 start, 0.5 middle, 1 end) of the advance.
    pub fn layout(&mut self, text: &str, size: f32, origin: (f32, f32), anchor: f32) -> Vec<PlacedGlyph> {
        let shaper = self.data.shaper(&self.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        // Text of no known script is shaped as before, without a plan: the plan's script
        // would not be the buffer's.
        let (direction, script, language) = (buffer.direction(), buffer.script(), buffer.language());
        let plan = (script != harfrust::script::UNKNOWN).then(|| {
            let key = ShapePlanKey::new(Some(script), direction).language(language.as_ref());
            self.plans.iter().position(|p| key.matches(p)).unwrap_or_else(|| {
                self.plans.push(ShapePlan::new(&shaper, direction, Some(script), language.as_ref(), &[]));
                self.plans.len() - 1
            })
        });
        let output = shaper.shape(buffer, harfrust::ShapeOptions::new().plan(plan.map(|i| &self.plans[i])));
        let scale = size / self.units_per_em;
        let advance: i32 = output.glyph_positions().iter().map(|p| p.x_advance).sum();
        let mut pen_x = origin.0 - anchor * advance as f32 * scale;
        let mut out = Vec::with_capacity(output.len());
        let infos: Vec<u32> = output.glyph_infos().iter().map(|i| i.glyph_id).collect();
        for (gid, pos) in infos.into_iter().zip(output.glyph_positions()) {
            if let Some(outline) = self.outline(gid) {
                let x = pen_x + pos.x_offset as f32 * scale;
                let y = origin.1 - pos.y_offset as f32 * scale;
                out.push(PlacedGlyph {
                    outline,
                    transform: Transform::from_row(scale, 0.0, 0.0, -scale, x, y),
                });
            }
            pen_x += pos.x_advance as f32 * scale;
        }
        out
    }

    fn outline(&mut self, gid: u32) -> Option<Arc<Path>> {
        self.outlines
            .entry(gid)
            .or_insert_with(|| {
                let font = skrifa::FontRef::from_index(DEJAVU_SANS, 0).ok()?;
                let glyph = font.outline_glyphs().get(skrifa::GlyphId::new(gid))?;
                let mut pen = Pen(PathBuilder::new());
                let settings = DrawSettings::unhinted(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                );
                glyph.draw(settings, &mut pen).ok()?;
                pen.0.finish().map(Arc::new)
            })
            .clone()
    }
}

struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}
