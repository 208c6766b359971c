//! A drag from one point to another, snapped at both ends: what the rectangle, ellipse and
//! line tools share. The drag is an undo transaction named after what it draws: begun on
//! press, finished by the tool on release ([`super::ToolContext::finish`]), aborted by Escape.

use kurbo::{BezPath, Point};

use super::{Outcome, ToolContext, ToolEvent, ToolKey};

/// The span being dragged out, if any.
pub(super) struct ShapeDrag {
    step: &'static str,
    span: Option<(Point, Point)>,
}

impl ShapeDrag {
    /// A drag whose undo step is called `step`.
    pub(super) const fn new(step: &'static str) -> Self {
        ShapeDrag { step, span: None }
    }

    /// The undo step's name.
    pub(super) fn step(&self) -> &'static str {
        self.step
    }

    /// Feeds an event; returns what it did and, on release, the finished span.
    pub(super) fn event(
        &mut self,
        event: &ToolEvent,
        cx: &mut ToolContext<'_>,
    ) -> (Outcome, Option<(Point, Point)>) {
        match event {
            ToolEvent::Press(p) => {
                let p = cx.snapped(*p, None);
                self.span = Some((p, p));
                cx.doc.begin(self.step);
            }
            ToolEvent::Drag(p) => match &mut self.span {
                Some((_, to)) => *to = cx.snapped(*p, None),
                None => return (Outcome::IGNORED, None),
            },
            ToolEvent::Release(p) => {
                let Some((from, _)) = self.span.take() else { return (Outcome::IGNORED, None) };
                return (Outcome::HANDLED, Some((from, cx.snapped(*p, None))));
            }
            ToolEvent::Key(ToolKey::Escape) if self.span.is_some() => {
                self.span = None;
                cx.doc.abort();
            }
            _ => return (Outcome::IGNORED, None),
        }
        (Outcome::HANDLED, None)
    }

    /// The span so far.
    pub(super) fn span(&self) -> Option<(Point, Point)> {
        self.span
    }

    /// True while dragging.
    pub(super) fn busy(&self) -> bool {
        self.span.is_some()
    }

    /// The span's box as an outline.
    pub(super) fn box_outline(&self) -> Option<BezPath> {
        use kurbo::Shape;
        self.span.map(|(a, b)| kurbo::Rect::from_points(a, b).to_path(0.1))
    }
}
