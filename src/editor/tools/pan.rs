//! The pan tool: drag to move the view; the map point grabbed stays under the pointer.

use kurbo::Point;

use super::{Cursor, Outcome, Preview, Request, Tool, ToolContext, ToolEvent, ToolKind};
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Pans the view.
#[derive(Default)]
pub struct PanTool {
    grabbed: Option<Point>,
}

impl Tool for PanTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Pan
    }

    fn event(&mut self, event: &ToolEvent, _: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        Ok(match (event, self.grabbed) {
            (ToolEvent::Press(p), _) => {
                self.grabbed = Some(*p);
                Outcome::HANDLED
            }
            // The view moves so that the grabbed point is under the pointer again.
            (ToolEvent::Drag(p), Some(grabbed)) => Outcome::request(Request::Pan(*p - grabbed)),
            (ToolEvent::Release(_), Some(_)) => {
                self.grabbed = None;
                Outcome::HANDLED
            }
            _ => Outcome::IGNORED,
        })
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        Vec::new()
    }

    fn cursor(&self) -> Cursor {
        if self.grabbed.is_some() { Cursor::Grabbing } else { Cursor::Grab }
    }

    fn busy(&self) -> bool {
        self.grabbed.is_some()
    }
}
