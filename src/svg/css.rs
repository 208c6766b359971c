//! Style resolution at import: presentation attributes, `<style>` sheets (CSS classes) and
//! `style` attributes cascaded into one ordered list of declarations per element.

use std::rc::Rc;

use simplecss::StyleSheet;

use super::reader::Attr;

/// True for an SVG presentation property: the only CSS properties a map keeps (the inherited
/// ones and those below, which apply to the element itself).
pub fn is_property(name: &str) -> bool {
    is_inherited(name)
        || matches!(
            name,
            "alignment-baseline"
                | "baseline-shift"
                | "clip"
                | "clip-path"
                | "display"
                | "filter"
                | "flood-color"
                | "flood-opacity"
                | "isolation"
                | "lighting-color"
                | "mask"
                | "mix-blend-mode"
                | "opacity"
                | "overflow"
                | "stop-color"
                | "stop-opacity"
                | "text-decoration"
                | "unicode-bidi"
                | "vector-effect"
        )
}

/// True for a property a child inherits from its parent when it does not set it.
pub fn is_inherited(name: &str) -> bool {
    matches!(
        name,
        "clip-rule"
            | "color"
            | "color-interpolation"
            | "color-interpolation-filters"
            | "color-rendering"
            | "direction"
            | "dominant-baseline"
            | "fill"
            | "fill-opacity"
            | "fill-rule"
            | "font"
            | "font-family"
            | "font-feature-settings"
            | "font-kerning"
            | "font-size"
            | "font-size-adjust"
            | "font-stretch"
            | "font-style"
            | "font-variant"
            | "font-weight"
            | "image-rendering"
            | "letter-spacing"
            | "marker"
            | "marker-end"
            | "marker-mid"
            | "marker-start"
            | "paint-order"
            | "shape-rendering"
            | "stroke"
            | "stroke-dasharray"
            | "stroke-dashoffset"
            | "stroke-linecap"
            | "stroke-linejoin"
            | "stroke-miterlimit"
            | "stroke-opacity"
            | "stroke-width"
            | "text-anchor"
            | "text-rendering"
            | "visibility"
            | "white-space"
            | "word-spacing"
            | "writing-mode"
    )
}

/// Declarations as (property, value) pairs, one per property, in order of first appearance.
pub type Decls = Vec<(String, String)>;

fn set(decls: &mut Decls, name: &str, value: &str) {
    let value = value.trim();
    match decls.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => value.clone_into(&mut slot.1),
        None => decls.push((name.to_owned(), value.to_owned())),
    }
}

/// The CSS of every `<style>` element of a document, ready to match.
pub struct Sheet<'a> {
    sheet: StyleSheet<'a>,
    siblings: bool,
}

impl<'a> Sheet<'a> {
    /// The rules of the text of the document's CSS `<style>` elements (`@import` is ignored).
    pub fn parse(styles: &'a [String]) -> Self {
        let mut sheet = StyleSheet::new();
        for text in styles {
            sheet.parse_more(text);
        }
        let siblings = sheet.rules.iter().any(|r| r.selector.to_string().contains(" + "));
        Self { sheet, siblings }
    }

    /// True when the document has CSS rules.
    pub fn has_rules(&self) -> bool {
        !self.sheet.rules.is_empty()
    }

    /// True when a selector looks at an element's previous sibling (`a + b`): only then must
    /// previous siblings be kept to match it.
    pub fn has_sibling_selectors(&self) -> bool {
        self.siblings
    }

    /// The element's own specified declarations: presentation attributes, then matching CSS
    /// rules by specificity, then the `style` attribute, then `!important` rules. `element`
    /// places it in the document for the selectors.
    pub fn specified(&self, attrs: &[Attr<'_>], element: &impl simplecss::Element) -> Decls {
        let mut decls = Decls::new();
        for attr in attrs {
            if attr.ns.is_none() && is_property(attr.local) {
                set(&mut decls, attr.local, &attr.value);
            }
        }
        let matching: Vec<_> = if self.has_rules() {
            self.sheet.rules.iter().filter(|r| r.selector.matches(element)).collect()
        } else {
            Vec::new()
        };
        for rule in &matching {
            for d in rule.declarations.iter().filter(|d| !d.important) {
                apply(&mut decls, d.name, d.value);
            }
        }
        if let Some(style) = attrs.iter().find(|a| a.ns.is_none() && a.local == "style") {
            for d in simplecss::DeclarationTokenizer::from(style.value.as_ref()) {
                apply(&mut decls, d.name, d.value);
            }
        }
        for rule in &matching {
            for d in rule.declarations.iter().filter(|d| d.important) {
                apply(&mut decls, d.name, d.value);
            }
        }
        decls
    }
}

/// Applies one declaration, expanding the `marker` shorthand and dropping unknown properties.
fn apply(decls: &mut Decls, name: &str, value: &str) {
    if name == "marker" {
        for n in ["marker-start", "marker-mid", "marker-end"] {
            set(decls, n, value);
        }
    } else if is_property(name) {
        set(decls, name, value);
    }
}

/// The inherited context passed from a parent to its children: computed values of inherited
/// properties that some ancestor set explicitly.
#[derive(Debug, Clone, Default)]
pub struct Inherited {
    decls: Rc<Decls>,
    /// Distinguishes contexts that may differ, so styles computed in one can be reused.
    id: u64,
}

impl Inherited {
    /// An identity of this context: equal ids always mean equal declarations.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The context for the children of an element with these specified declarations.
    pub fn child(&self, specified: &Decls) -> Inherited {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let changes = specified.iter().any(|(k, v)| is_inherited(k) && v != "inherit");
        if !changes {
            return self.clone();
        }
        let mut out = Decls::clone(&self.decls);
        for (k, v) in specified {
            if is_inherited(k) && v != "inherit" {
                set(&mut out, k, v);
            }
        }
        Inherited { decls: Rc::new(out), id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
    }

    /// Resolves `inherit` values in `specified` against this context.
    pub fn resolve_inherit(&self, specified: &mut Decls) {
        specified.retain_mut(|(k, v)| {
            if v != "inherit" {
                return true;
            }
            match self.decls.iter().find(|(pk, _)| pk == k) {
                Some((_, pv)) => {
                    v.clone_from(pv);
                    true
                }
                None => false,
            }
        });
    }

    /// A complete style for a self-contained element: inherited values first, own values win.
    pub fn full_style(&self, specified: &Decls) -> Decls {
        let mut out = Decls::clone(&self.decls);
        for (k, v) in specified {
            set(&mut out, k, v);
        }
        out
    }
}
