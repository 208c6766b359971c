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
        // The selected shape, or else the first area along the line that it cuts in two (the
        // line may start in a corridor and cross the room).
        let mut crossed: Vec<NodeKey> = Vec::new();
        match cx.selection.as_slice() {
            [one] => crossed.push(*one),
            _ => {
                for s in line.windows(2) {
                    for i in 0..=64 {
                        if let Some(k) = cx.doc.hit(s[0].lerp(s[1], f64::from(i) / 64.0))
                            && !crossed.contains(&k)
                        {
                            crossed.push(k);
                        }
                    }
                }
            }
        }
        let Some((key, changes)) =
            crossed.iter().find_map(|k| Some((*k, split(cx.doc.map(), *k, &line).ok()?)))
        else {
            return Err(EditorError::Refused(
                "the line cuts no area in two (select the area to split)".into(),
            ));
        };
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
