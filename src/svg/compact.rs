//! Dropping the white space between elements of large documents before they are parsed into a
//! tree: it has no effect outside text content, and in big maps (one element per indented
//! line) it is a third of all parsed nodes.

use std::ops::Range;

use xmlparser::{ElementEnd, Token, Tokenizer};

/// Documents smaller than this are parsed as they are.
pub const MIN_BYTES: usize = 1024 * 1024;

/// Elements whose white space is content and must be kept.
fn keeps_white_space(local: &str) -> bool {
    matches!(local, "text" | "tspan" | "textPath" | "title" | "desc" | "style" | "a")
}

/// The document without white-space-only text between elements, or `None` when it has
/// nothing to drop or does not tokenize (then the original is parsed and reports the error).
pub fn compact(text: &str) -> Option<String> {
    let mut drop: Vec<Range<usize>> = Vec::new();
    let mut stack: Vec<bool> = Vec::new();
    let mut pending = false;
    let mut dropped = 0;
    for token in Tokenizer::from(text) {
        match token.ok()? {
            Token::ElementStart { local, .. } => {
                pending = stack.last().copied().unwrap_or(false) || keeps_white_space(local.as_str());
            }
            Token::ElementEnd { end: ElementEnd::Open, .. } => stack.push(pending),
            Token::ElementEnd { end: ElementEnd::Close(..), .. } => {
                stack.pop();
            }
            Token::Text { text: t }
                if !stack.last().copied().unwrap_or(false) && t.as_str().trim().is_empty() =>
            {
                dropped += t.range().len();
                drop.push(t.range());
            }
            _ => {}
        }
    }
    if dropped == 0 {
        return None;
    }
    let mut out = String::with_capacity(text.len() - dropped);
    let mut at = 0;
    for r in drop {
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_content_white_space() {
        let src = "<svg>\n  <g>\n    <rect/>\n  </g>\n  <text> a <tspan>b</tspan> c</text>\n<title> t </title></svg>";
        let out = compact(src).unwrap();
        assert_eq!(out, "<svg><g><rect/></g><text> a <tspan>b</tspan> c</text><title> t </title></svg>");
    }

    #[test]
    fn leaves_malformed_input_to_the_parser() {
        assert!(compact("<svg><g></svg").is_none());
        assert!(compact("<svg><g/></svg>").is_none(), "nothing to drop");
    }
}
