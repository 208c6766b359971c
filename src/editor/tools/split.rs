//! The split tool: click the points of a cutting line across an area (it may bend); a double
//! click or Enter cuts the selected shape along it (or, with nothing selected, the first area
//! the line crosses) into areas, as one undo step; Escape drops the line.

use kurbo::Point;

use super::{Cursor, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind, polyline};
use crate::editor::shaping::split;
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Cuts areas along a drawn line.
#[derive(Default)]
pub struct SplitTool {
    points: Vec<Point>,
    pointer: Option<Point>,
}

impl SplitTool {
    fn cut(&mut self, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let line = std::mem::take(&mut self.points);
        // The selected shape, or the first area the line crosses (it may start outside it).
        let target = match cx.selection.as_slice() {
            [one] => Some(*one),
            _ => line
                .windows(2)
                .find_map(|s| (0..=32).find_map(|i| cx.doc.hit(s[0].lerp(s[1], f64::from(i) / 32.0)))),
        };
        let Some(key) = target else {
            return Err(EditorError::Refused("select the area to split, or start the line on it".into()));
        };
        let changes = split(cx.doc.map(), key, &line)?;
        let pieces = changes.len();
        cx.doc.edit("Split", changes)?;
        // The kept piece and the new ones are selected.
        let map = cx.doc.map();
        let (parent, index) = map.position(key).unwrap_or((None, 0));
        let siblings = map.children(parent);
        *cx.selection = siblings.iter().skip(index).take(pieces).copied().collect();
        Ok(Outcome::HANDLED)
    }
}

impl Tool for SplitTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Split
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match event {
            ToolEvent::Hover(p) => {
                self.pointer = p.filter(|_| !self.points.is_empty()).map(|p| cx.snapped(p, None));
                Ok(Outcome::IGNORED)
            }
            ToolEvent::Click(p) => {
                let p = cx.snapped(*p, None);
                if self.points.last() != Some(&p) {
                    self.points.push(p);
                }
                Ok(Outcome::HANDLED)
            }
            ToolEvent::DoubleClick(_) | ToolEvent::Key(ToolKey::Enter) if self.points.len() >= 2 => {
                self.cut(cx)
            }
            ToolEvent::Key(ToolKey::Escape) if !self.points.is_empty() => {
                self.points.clear();
                Ok(Outcome::HANDLED)
            }
            _ => Ok(Outcome::IGNORED),
        }
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        if self.points.is_empty() {
            return Vec::new();
        }
        let mut points = self.points.clone();
        points.extend(self.pointer);
        vec![Preview::Outline(polyline(&points))]
    }

    fn cursor(&self) -> Cursor {
        Cursor::Crosshair
    }

    fn busy(&self) -> bool {
        !self.points.is_empty()
    }
}
