//! A headless harness that drives a tool on a document the way the window does, with verbs
//! (press, drag, click, key), for tests of tools without a window.

use kurbo::Point;

use super::document::Document;
use super::error::EditorError;
use super::snap::Snap;
use super::tools::{Modifiers, Outcome, Preview, Request, Tool, ToolContext, ToolEvent, ToolKey, ToolKind};
use crate::model::NodeKey;

/// A document, a selection and one active tool, without a window.
pub struct Harness {
    /// The document the tool edits.
    pub doc: Document,
    /// The selection.
    pub selection: Vec<NodeKey>,
    /// Snapping (off by default, so points land where they are sent).
    pub snap: Snap,
    /// Modifier keys held for the next events.
    pub modifiers: Modifiers,
    /// Map units per screen pixel (1: the map at 100 %).
    pub units_per_pixel: f64,
    /// What the tool asked of the window, oldest first.
    pub requests: Vec<Request>,
    /// The smart guides the last event snapped to.
    pub guides: Vec<kurbo::Line>,
    tool: Box<dyn Tool>,
}

impl Harness {
    /// A harness on `doc` with the select tool.
    pub fn new(doc: Document) -> Harness {
        Harness {
            doc,
            selection: Vec::new(),
            snap: Snap { grid: false, spacing: 10.0, geometry: false, guides: false },
            modifiers: Modifiers::default(),
            units_per_pixel: 1.0,
            requests: Vec::new(),
            guides: Vec::new(),
            tool: ToolKind::Select.make(),
        }
    }

    /// A harness on a blank map of the given size.
    pub fn blank(width: f64, height: f64) -> Harness {
        Harness::new(Document::blank(width, height))
    }

    /// Switches to a fresh tool of `kind`.
    pub fn tool(&mut self, kind: ToolKind) -> &mut Self {
        self.tool = kind.make();
        self
    }

    /// The active tool.
    pub fn active(&mut self) -> &mut dyn Tool {
        self.tool.as_mut()
    }

    /// Sends one event to the tool; requests are kept in [`Harness::requests`].
    pub fn send(&mut self, event: ToolEvent) -> Result<Outcome, EditorError> {
        let mut cx = ToolContext {
            doc: &mut self.doc,
            selection: &mut self.selection,
            snap: self.snap,
            modifiers: self.modifiers,
            units_per_pixel: self.units_per_pixel,
            guides: Vec::new(),
        };
        let outcome = self.tool.event(&event, &mut cx)?;
        self.guides = cx.guides;
        self.requests.extend(outcome.request.clone());
        Ok(outcome)
    }

    fn must(&mut self, event: ToolEvent) -> Outcome {
        let what = format!("{event:?}");
        self.send(event).unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    /// The pointer moves to `p` with no button down.
    pub fn hover(&mut self, p: impl Into<Point>) -> Outcome {
        self.must(ToolEvent::Hover(Some(p.into())))
    }

    /// A drag begins at `p`.
    pub fn press(&mut self, p: impl Into<Point>) -> Outcome {
        self.must(ToolEvent::Press(p.into()))
    }

    /// The pointer moves to `p` with the button down.
    pub fn move_to(&mut self, p: impl Into<Point>) -> Outcome {
        self.must(ToolEvent::Drag(p.into()))
    }

    /// The button comes up at `p`.
    pub fn release(&mut self, p: impl Into<Point>) -> Outcome {
        self.must(ToolEvent::Release(p.into()))
    }

    /// A whole drag from `from` to `to`, through the point halfway.
    pub fn drag(&mut self, from: impl Into<Point>, to: impl Into<Point>) -> Outcome {
        let (from, to) = (from.into(), to.into());
        self.press(from);
        self.move_to(from.midpoint(to));
        self.move_to(to);
        self.release(to)
    }

    /// A click at `p` (the pointer moves there first).
    pub fn click(&mut self, p: impl Into<Point>) -> Outcome {
        let p = p.into();
        self.hover(p);
        self.must(ToolEvent::Click(p))
    }

    /// A double click at `p`: a click, then the double click.
    pub fn double_click(&mut self, p: impl Into<Point>) -> Outcome {
        let p = p.into();
        self.click(p);
        self.must(ToolEvent::DoubleClick(p))
    }

    /// A key press.
    pub fn key(&mut self, key: ToolKey) -> Outcome {
        self.must(ToolEvent::Key(key))
    }

    /// Runs `f` with Shift held.
    pub fn with_shift<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.modifiers.shift = true;
        let out = f(self);
        self.modifiers.shift = false;
        out
    }

    /// Runs `f` with Ctrl (Cmd) held.
    pub fn with_command<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.modifiers.command = true;
        let out = f(self);
        self.modifiers.command = false;
        out
    }

    /// The group the tool has entered, if any.
    pub fn entered(&self) -> Option<NodeKey> {
        self.tool.entered()
    }

    /// What the tool draws over the map now.
    pub fn preview(&self) -> Vec<Preview> {
        self.tool.preview(&self.doc, &self.selection, self.units_per_pixel)
    }
}
