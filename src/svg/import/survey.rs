//! What an import needs to know before any of the document becomes a node: its CSS, and the
//! ids `<use>` elements refer to. Most maps say all their CSS first and refer only to
//! definitions and symbols, so reading their head is enough ([`head`]); the others are read
//! whole first ([`survey`]), which also finds everything unsafe in them.

use std::collections::HashSet;

use super::{MAX_XML_NODES, UNSAFE_ELEMENTS, href_value, is_event_attribute, is_script_url};
use crate::findings::Removals;
use crate::svg::ImportError;
use crate::svg::prologue::Prologue;
use crate::svg::reader::{Attr, Event, Ns, Reader};

/// What was found before the walk.
#[derive(Default)]
pub struct Survey {
    /// The whole document was read: the CSS and the references are all known, and so is
    /// everything unsafe. Otherwise only the CSS before the content is, and the walk finds
    /// the rest (or finds that the whole document must be surveyed).
    pub complete: bool,
    /// The text of each CSS `<style>` element, in document order.
    pub styles: Vec<String>,
    /// The ids `<use>` elements refer to (`#id`): only those elements are kept whole.
    pub referenced: HashSet<String>,
    /// Elements that can become nodes (titles, descriptions, text spans and styles never do).
    pub elements: usize,
    /// Script and animation elements, event attributes, script URLs.
    pub unsafe_removed: Removals,
    /// Processing instructions inside the document.
    pub unsupported: Removals,
    /// True when a stylesheet uses `@import`.
    pub css_import: bool,
}

/// Reads the whole document once. Fails as the main pass would on malformed XML.
pub fn survey(text: &str, prologue: &Prologue) -> Result<Survey, ImportError> {
    let mut out = Survey { complete: true, ..Survey::default() };
    let mut reader = Reader::new(text, MAX_XML_NODES);
    // Open elements: true for a CSS `<style>` (its text is collected).
    let mut open: Vec<bool> = Vec::new();
    let mut style = String::new();
    while let Some(event) = reader.next_event()? {
        match event {
            Event::Start { ns, local, attrs } => {
                unsafe_content(local, &attrs, &mut out.unsafe_removed);
                let svg = ns == Some(Ns::Svg);
                if !matches!(local, "title" | "desc" | "tspan" | "style") {
                    out.elements += 1;
                }
                if svg
                    && local == "use"
                    && let Some(id) = href_value(&attrs).and_then(|h| h.strip_prefix('#'))
                {
                    out.referenced.insert(id.to_owned());
                }
                open.push(is_css(ns, local, &attrs));
            }
            Event::Text(t) if open.last() == Some(&true) => style.push_str(&t),
            Event::Text(_) => {}
            Event::End => {
                if open.pop() == Some(true) {
                    out.css_import |= style.contains("@import");
                    out.styles.push(std::mem::take(&mut style));
                }
            }
            Event::Instruction(target) => instruction(target, prologue, &mut out.unsupported),
        }
    }
    Ok(out)
}

/// The CSS of the `<style>` elements that come first in the root, before any element a
/// selector could match.
pub fn head(text: &str) -> Result<Survey, ImportError> {
    let mut out = Survey::default();
    let mut reader = Reader::new(text, MAX_XML_NODES);
    let mut depth = 0;
    let mut style: Option<String> = None;
    while let Some(event) = reader.next_event()? {
        match event {
            Event::Start { ns, local, attrs } => {
                let leading =
                    depth == 1 && ns == Some(Ns::Svg) && matches!(local, "style" | "title" | "desc");
                if depth > 0 && !leading {
                    break;
                }
                if is_css(ns, local, &attrs) {
                    style = Some(String::new());
                }
                depth += 1;
            }
            Event::Text(t) => {
                if let Some(style) = &mut style {
                    style.push_str(&t);
                }
            }
            Event::End => {
                depth -= 1;
                if let Some(style) = style.take() {
                    out.css_import |= style.contains("@import");
                    out.styles.push(style);
                }
            }
            Event::Instruction(_) => {}
        }
    }
    Ok(out)
}

/// True for a CSS `<style>` element.
pub fn is_css(ns: Option<Ns>, local: &str, attrs: &[Attr<'_>]) -> bool {
    ns == Some(Ns::Svg)
        && local == "style"
        && attrs
            .iter()
            .find(|a| a.ns.is_none() && a.local == "type")
            .is_none_or(|t| t.value.is_empty() || t.value == "text/css")
}

/// Records what is unsafe in an element: itself (script, animation, …), its event handler
/// attributes and script URLs.
pub fn unsafe_content(local: &str, attrs: &[Attr<'_>], out: &mut Removals) {
    if UNSAFE_ELEMENTS.iter().any(|u| u.eq_ignore_ascii_case(local)) {
        out.add(format!("element <{local}>"));
    }
    for a in attrs {
        if is_event_attribute(a.local) {
            out.add(format!("event attribute {}", a.local.to_ascii_lowercase()));
        } else if a.local == "href" && is_script_url(&a.value) {
            out.add("script URL in an href");
        }
    }
}

/// Records a processing instruction inside the document (those of the prologue are reported
/// with it).
pub fn instruction(target: &str, prologue: &Prologue, out: &mut Removals) {
    if !prologue.instructions.iter().any(|t| t == target) {
        out.add(format!("processing instruction <?{target}?>"));
    }
}
