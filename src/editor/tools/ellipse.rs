//! The ellipse tool: drag a box to draw a new elliptical area inside it, or a circle with the
//! Circle option (the largest circle in the box, from the corner where the drag began).

use kurbo::Shape;

use super::shape_drag::ShapeDrag;
use super::{OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKind, ToolOption, sized_area};
use crate::editor::{Document, EditorError};
use crate::model::{Geometry, NodeKey};

/// Draws ellipses.
pub struct EllipseTool {
    drag: ShapeDrag,
    circle: bool,
}

impl Default for EllipseTool {
    fn default() -> Self {
        EllipseTool { drag: ShapeDrag::new("Draw ellipse"), circle: false }
    }
}

impl EllipseTool {
    /// The box the ellipse fills: the dragged one, or a square in it for a circle.
    fn frame(&self, from: kurbo::Point, to: kurbo::Point) -> kurbo::Rect {
        if !self.circle {
            return kurbo::Rect::from_points(from, to);
        }
        let side = (to.x - from.x).abs().min((to.y - from.y).abs());
        let corner =
            kurbo::Point::new(from.x + side.copysign(to.x - from.x), from.y + side.copysign(to.y - from.y));
        kurbo::Rect::from_points(from, corner)
    }
}

impl Tool for EllipseTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Ellipse
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let (outcome, done) = self.drag.event(event, cx);
        if let Some((from, to)) = done {
            let r = self.frame(from, to);
            let geometry =
                Geometry::Ellipse { center: r.center(), rx: r.width() / 2.0, ry: r.height() / 2.0 };
            let node = sized_area(cx.doc, geometry);
            cx.finish(self.drag.step(), node)?;
        }
        Ok(outcome)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.drag
            .span()
            .map(|(a, b)| Preview::Outline(kurbo::Ellipse::from_rect(self.frame(a, b)).to_path(0.1)))
            .into_iter()
            .collect()
    }

    fn busy(&self) -> bool {
        self.drag.busy()
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![ToolOption {
            id: "circle",
            label: "Circle",
            tooltip: "Draw circles: the largest circle in the dragged box",
            value: OptionValue::Toggle(self.circle),
        }]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        if let ("circle", OptionValue::Toggle(on)) = (id, value) {
            self.circle = *on;
        }
    }
}
