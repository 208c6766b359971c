//! The pen tool: click points of a polygon; clicking the first point again, a double click or
//! Enter closes it into a new area; Escape drops it.

use kurbo::Point;

use super::{Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind, polygon_area, polyline};
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Draws polygons point by point.
#[derive(Default)]
pub struct PenTool {
    points: Vec<Point>,
    pointer: Option<Point>,
}

impl PenTool {
    fn close(&mut self, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let node = polygon_area(cx.doc, std::mem::take(&mut self.points));
        cx.finish("Draw polygon", node)?;
        Ok(Outcome::HANDLED)
    }
}

impl Tool for PenTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Pen
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match event {
            ToolEvent::Hover(p) => {
                // Only the outline being drawn follows the pointer (snapping costs a search).
                self.pointer = p.filter(|_| !self.points.is_empty()).map(|p| cx.snapped(p, None));
                Ok(Outcome::IGNORED)
            }
            ToolEvent::Click(p) => {
                let p = cx.snapped(*p, None);
                if self.points.len() >= 3 && self.points[0].distance(p) <= cx.pixels(8.0) {
                    return self.close(cx);
                }
                if self.points.last() != Some(&p) {
                    self.points.push(p);
                }
                Ok(Outcome::HANDLED)
            }
            ToolEvent::DoubleClick(_) | ToolEvent::Key(ToolKey::Enter) if self.points.len() >= 3 => {
                self.close(cx)
            }
            ToolEvent::Key(ToolKey::Escape) if !self.points.is_empty() => {
                self.points.clear();
                Ok(Outcome::HANDLED)
            }
            _ => Ok(Outcome::IGNORED),
        }
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        let Some(first) = self.points.first() else { return Vec::new() };
        let mut points = self.points.clone();
        points.extend(self.pointer);
        vec![Preview::Outline(polyline(&points)), Preview::Ring(*first)]
    }

    fn busy(&self) -> bool {
        !self.points.is_empty()
    }
}
