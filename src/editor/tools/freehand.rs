//! The freehand tool: drag a closed outline; it becomes a new area, smoothed into curves when
//! smoothing is on (a Catmull–Rom spline through the points, reduced by kurbo's path
//! simplifier to the fewest curves within the tolerance).

use kurbo::{BezPath, Point};

use super::{
    NumberOption, OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind, ToolOption,
    polygon_area, polyline, sized_area,
};
use crate::editor::{Document, EditorError};
use crate::model::{Geometry, NodeKey};

/// Points closer together than this many screen pixels are not kept.
const MIN_SPACING_PX: f64 = 3.0;

/// Draws outlines freehand.
pub struct FreehandTool {
    points: Option<Vec<Point>>,
    /// Greatest distance, in screen pixels, the smoothed outline may stray from the drawn one
    /// (0: keep the drawn points as a polygon).
    smoothing: NumberOption,
}

impl Default for FreehandTool {
    fn default() -> Self {
        let smoothing = NumberOption::new(
            "smoothing",
            "Smoothing",
            "How far the smoothed outline may stray from what you drew (screen pixels; 0 keeps every point)",
            (0.0, 20.0, "px"),
            2.0,
        );
        FreehandTool { points: None, smoothing }
    }
}

impl Tool for FreehandTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Freehand
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match event {
            ToolEvent::Press(p) => {
                self.points = Some(vec![cx.rounded(*p)]);
                cx.doc.begin("Draw freehand");
            }
            ToolEvent::Drag(p) => {
                let spacing = cx.pixels(MIN_SPACING_PX);
                let Some(points) = &mut self.points else { return Ok(Outcome::IGNORED) };
                if points.last().is_none_or(|l| l.distance(*p) >= spacing) {
                    points.push(cx.rounded(*p));
                }
            }
            ToolEvent::Release(p) => {
                let Some(mut points) = self.points.take() else { return Ok(Outcome::IGNORED) };
                points.push(cx.rounded(*p));
                points.dedup();
                let node = if self.smoothing.value > 0.0 && points.len() >= 3 {
                    sized_area(
                        cx.doc,
                        Geometry::Path(smoothed(&points, cx.pixels(self.smoothing.value)).into(), None),
                    )
                } else {
                    polygon_area(cx.doc, points)
                };
                cx.finish("Draw freehand", node)?;
            }
            ToolEvent::Key(ToolKey::Escape) if self.points.is_some() => {
                self.points = None;
                cx.doc.abort();
            }
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.points.as_deref().map(|p| Preview::Outline(polyline(p))).into_iter().collect()
    }

    fn busy(&self) -> bool {
        self.points.is_some()
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![self.smoothing.describe()]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        self.smoothing.set(id, value);
    }
}

/// The closed outline through `points`, fitted with curves to within `accuracy` map units.
fn smoothed(points: &[Point], accuracy: f64) -> BezPath {
    // The simplifier needs a smooth path (a polyline has a corner at every point): first the
    // closed Catmull–Rom spline through the points.
    let n = points.len();
    let at = |i: usize| points[i % n];
    let mut spline = BezPath::new();
    spline.move_to(points[0]);
    for i in 0..n {
        let (p0, p1, p2, p3) = (at(i + n - 1), at(i), at(i + 1), at(i + 2));
        spline.curve_to(p1 + (p2 - p0) / 6.0, p2 - (p3 - p1) / 6.0, p2);
    }
    spline.close_path();
    kurbo::simplify::simplify_bezpath(spline, accuracy, &kurbo::simplify::SimplifyOptions::default())
}
