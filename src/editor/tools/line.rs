//! The line tool: drag to draw a straight line, a decoration that never binds.

use super::shape_drag::ShapeDrag;
use super::{
    NumberOption, OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKind, ToolOption, polyline,
};
use crate::editor::{Document, EditorError};
use crate::model::{AreaType, Geometry, Node, NodeKey, NodeKind, Style};

/// Draws lines.
pub struct LineTool {
    drag: ShapeDrag,
    width: NumberOption,
}

impl Default for LineTool {
    fn default() -> Self {
        let width = NumberOption::new(
            "width",
            "Width",
            "Stroke width of new lines (map units)",
            (0.1, 100.0, ""),
            2.0,
        );
        LineTool { drag: ShapeDrag::new("Draw line"), width }
    }
}

impl Tool for LineTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Line
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let (outcome, done) = self.drag.event(event, cx);
        if let Some((from, to)) = done {
            let node = (from.distance(to) >= 1.0).then(|| {
                let mut node = Node::new(NodeKind::Shape(Geometry::Line(kurbo::Line::new(from, to))));
                node.area_type = Some(AreaType::Decoration);
                let mut style = Style::default();
                style.set("stroke", "#5A5A5A");
                style.set("stroke-width", format!("{}", self.width.value));
                style.set("fill", "none");
                node.style = style;
                node
            });
            cx.finish(self.drag.step(), node)?;
        }
        Ok(outcome)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.drag.span().map(|(a, b)| Preview::Outline(polyline(&[a, b]))).into_iter().collect()
    }

    fn busy(&self) -> bool {
        self.drag.busy()
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![self.width.describe()]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        self.width.set(id, value);
    }
}
