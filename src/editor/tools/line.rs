//! The line tool: drag to draw a straight line, a decoration that never binds.

use super::shape_drag::ShapeDrag;
use super::{
    OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKind, ToolOption, clamp_option, polyline,
};
use crate::editor::{Document, EditorError};
use crate::model::{AreaType, Geometry, Node, NodeKey, NodeKind, Style};

/// Draws lines.
pub struct LineTool {
    drag: ShapeDrag,
    width: f64,
}

impl Default for LineTool {
    fn default() -> Self {
        LineTool { drag: ShapeDrag::default(), width: 2.0 }
    }
}

impl Tool for LineTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Line
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let (outcome, done) = self.drag.event(event, cx);
        if let Some((from, to)) = done
            && from.distance(to) >= 1.0
        {
            let mut node = Node::new(NodeKind::Shape(Geometry::Line(kurbo::Line::new(from, to))));
            node.area_type = Some(AreaType::Decoration);
            let mut style = Style::default();
            style.set("stroke", "#5A5A5A");
            style.set("stroke-width", format!("{}", self.width));
            style.set("fill", "none");
            node.style = style;
            cx.create("Draw line", node)?;
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
        vec![ToolOption {
            id: "width",
            label: "Width",
            tooltip: "Stroke width of new lines (map units)",
            value: OptionValue::Number { value: self.width, min: 0.1, max: 100.0, unit: "" },
        }]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        if id == "width"
            && let Some(v) = clamp_option(value, 0.1, 100.0)
        {
            self.width = v;
        }
    }
}
