//! The text tool: click where a label goes; the window asks for its text. Labels are
//! decoration and never bind.

use super::{
    OptionValue, Outcome, Preview, Request, Tool, ToolContext, ToolEvent, ToolKind, ToolOption, clamp_option,
};
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Places text labels.
pub struct TextTool {
    font_size: f64,
}

impl Default for TextTool {
    fn default() -> Self {
        TextTool { font_size: 14.0 }
    }
}

impl Tool for TextTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Text
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        Ok(match event {
            ToolEvent::Click(p) => {
                Outcome::request(Request::AskText { at: cx.snapped(*p, None), font_size: self.font_size })
            }
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
        vec![ToolOption {
            id: "font-size",
            label: "Font size",
            tooltip: "Size of new labels (map units)",
            value: OptionValue::Number { value: self.font_size, min: 1.0, max: 500.0, unit: "" },
        }]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        if id == "font-size"
            && let Some(v) = clamp_option(value, 1.0, 500.0)
        {
            self.font_size = v;
        }
    }
}
