//! The first pass of an import, over the whole document before any of it becomes a node: its
//! CSS, the ids `<use>` elements refer to, its size, and everything unsafe or external in it.

use std::collections::HashSet;

use super::{MAX_XML_NODES, UNSAFE_ELEMENTS, href_value, is_event_attribute, is_script_url};
use crate::findings::Removals;
use crate::svg::ImportError;
use crate::svg::prologue::Prologue;
use crate::svg::reader::{Event, Ns, Reader};

/// What the first pass found.
#[derive(Default)]
pub struct Survey {
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
    let mut out = Survey::default();
    let mut reader = Reader::new(text, MAX_XML_NODES);
    // Open elements: true for a CSS `<style>` (its text is collected).
    let mut open: Vec<bool> = Vec::new();
    let mut style = String::new();
    while let Some(event) = reader.next_event()? {
        match event {
            Event::Start { ns, local, attrs } => {
                if UNSAFE_ELEMENTS.iter().any(|u| u.eq_ignore_ascii_case(local)) {
                    out.unsafe_removed.add(format!("element <{local}>"));
                }
                for a in &attrs {
                    if is_event_attribute(a.local) {
                        out.unsafe_removed.add(format!("event attribute {}", a.local.to_ascii_lowercase()));
                    } else if a.local == "href" && is_script_url(&a.value) {
                        out.unsafe_removed.add("script URL in an href");
                    }
                }
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
                let css = svg
                    && local == "style"
                    && attrs
                        .iter()
                        .find(|a| a.ns.is_none() && a.local == "type")
                        .is_none_or(|t| t.value.is_empty() || t.value == "text/css");
                open.push(css);
            }
            Event::Text(t) if open.last() == Some(&true) => style.push_str(&t),
            Event::Text(_) => {}
            Event::End => {
                if open.pop() == Some(true) {
                    out.css_import |= style.contains("@import");
                    out.styles.push(std::mem::take(&mut style));
                }
            }
            Event::Instruction(target) => {
                if !prologue.instructions.iter().any(|t| t == target) {
                    out.unsupported.add(format!("processing instruction <?{target}?>"));
                }
            }
        }
    }
    Ok(out)
}
