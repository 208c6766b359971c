//! The ellipse tool: drag a box to draw a new elliptical area inside it.

use kurbo::Shape;

use super::shape_drag::ShapeDrag;
use super::{Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKind, area_node};
use crate::editor::{Document, EditorError};
use crate::model::{Geometry, NodeKey};

/// Draws ellipses.
#[derive(Default)]
pub struct EllipseTool {
    drag: ShapeDrag,
}

impl Tool for EllipseTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Ellipse
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let (outcome, done) = self.drag.event(event, cx);
        if let Some((from, to)) = done {
            let r = kurbo::Rect::from_points(from, to);
            if r.width() >= 1.0 && r.height() >= 1.0 {
                let geometry =
                    Geometry::Ellipse { center: r.center(), rx: r.width() / 2.0, ry: r.height() / 2.0 };
                let node = area_node(cx.doc, geometry);
                cx.create("Draw ellipse", node)?;
            }
        }
        Ok(outcome)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.drag
            .span()
            .map(|(a, b)| {
                let r = kurbo::Rect::from_points(a, b);
                Preview::Outline(kurbo::Ellipse::from_rect(r).to_path(0.1))
            })
            .into_iter()
            .collect()
    }

    fn busy(&self) -> bool {
        self.drag.busy()
    }
}
