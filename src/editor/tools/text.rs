//! The text tool: click where a label goes; the window asks for its text. Labels are
//! decoration and never bind.

use super::{
    NumberOption, OptionValue, Outcome, Preview, Request, Tool, ToolContext, ToolEvent, ToolKind, ToolOption,
};
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Places text labels.
pub struct TextTool {
    font_size: NumberOption,
}

impl Default for TextTool {
    fn default() -> Self {
        TextTool {
            font_size: NumberOption::new(
                "font-size",
                "Font size",
                "Size of new labels (map units)",
                (1.0, 500.0, ""),
                14.0,
            ),
        }
    }
}

impl Tool for TextTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Text
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        Ok(match event {
            ToolEvent::Click(p) => Outcome::request(Request::AskText {
                at: cx.snapped(*p, None),
                font_size: self.font_size.value,
            }),
            _ => Outcome::IGNORED,
        })
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        Vec::new()
    }

    fn cursor(&self) -> super::Cursor {
        super::Cursor::Text
    }

    fn busy(&self) -> bool {
        false
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![self.font_size.describe()]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        self.font_size.set(id, value);
    }
}
