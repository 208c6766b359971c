//! The rectangle tool: drag a box to draw a new area, with rounded corners as an option.

use super::shape_drag::ShapeDrag;
use super::{
    NumberOption, OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKind, ToolOption,
    sized_area,
};
use crate::editor::{Document, EditorError};
use crate::model::{Geometry, NodeKey};

/// Draws rectangles.
pub struct RectangleTool {
    drag: ShapeDrag,
    corner_radius: NumberOption,
}

impl Default for RectangleTool {
    fn default() -> Self {
        RectangleTool {
            drag: ShapeDrag::new("Draw rectangle"),
            corner_radius: NumberOption::new(
                "corner-radius",
                "Corner radius",
                "Rounds the corners of new rectangles (map units)",
                (0.0, 1000.0, ""),
                0.0,
            ),
        }
    }
}

impl Tool for RectangleTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Rectangle
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let (outcome, done) = self.drag.event(event, cx);
        if let Some((from, to)) = done {
            let rect = kurbo::Rect::from_points(from, to);
            let r = self.corner_radius.value.min(rect.width() / 2.0).min(rect.height() / 2.0);
            let rx = (r > 0.0).then_some(r);
            let node = sized_area(cx.doc, Geometry::Rect { rect, rx, ry: rx });
            cx.finish(self.drag.step(), node)?;
        }
        Ok(outcome)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.drag.box_outline().map(Preview::Outline).into_iter().collect()
    }

    fn busy(&self) -> bool {
        self.drag.busy()
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![self.corner_radius.describe()]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        self.corner_radius.set(id, value);
    }
}
