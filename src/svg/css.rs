//! Style resolution at import: presentation attributes, `<style>` sheets (CSS classes) and
//! `style` attributes cascaded into one ordered list of declarations per element.

use roxmltree::Node;
use simplecss::{AttributeOperator, PseudoClass, StyleSheet};

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
}

impl<'a> Sheet<'a> {
    /// Collects the `<style>` elements of the document (CSS only; `@import` is ignored).
    pub fn collect(doc: &'a roxmltree::Document<'a>) -> Self {
        let mut sheet = StyleSheet::new();
        for node in doc.descendants().filter(|n| n.has_tag_name((super::SVG_NS, "style"))) {
            let is_css = node.attribute("type").is_none_or(|t| t.is_empty() || t == "text/css");
            if !is_css {
                continue;
            }
            for child in node.children() {
                if let Some(text) = child.text() {
                    sheet.parse_more(text);
                }
            }
        }
        Self { sheet }
    }

    /// True when the document has CSS rules.
    pub fn has_rules(&self) -> bool {
        !self.sheet.rules.is_empty()
    }

    /// The element's own specified declarations: presentation attributes, then matching CSS
    /// rules by specificity, then the `style` attribute, then `!important` rules.
    pub fn specified(&self, node: Node<'_, '_>) -> Decls {
        let mut decls = Decls::new();
        for attr in node.attributes() {
            if attr.namespace().is_none() && is_property(attr.name()) {
                set(&mut decls, attr.name(), attr.value());
            }
        }
        let matching: Vec<_> = if self.has_rules() {
            let el = XmlElement(node);
            self.sheet.rules.iter().filter(|r| r.selector.matches(&el)).collect()
        } else {
            Vec::new()
        };
        for rule in &matching {
            for d in rule.declarations.iter().filter(|d| !d.important) {
                apply(&mut decls, d.name, d.value);
            }
        }
        if let Some(style) = node.attribute("style") {
            for d in simplecss::DeclarationTokenizer::from(style) {
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
    decls: Decls,
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
        let mut out = self.decls.clone();
        for (k, v) in specified {
            if is_inherited(k) && v != "inherit" {
                set(&mut out, k, v);
            }
        }
        Inherited { decls: out, id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
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
        let mut out = self.decls.clone();
        for (k, v) in specified {
            set(&mut out, k, v);
        }
        out
    }
}

/// Adapter letting simplecss match selectors against roxmltree elements.
struct XmlElement<'a, 'input>(Node<'a, 'input>);

impl simplecss::Element for XmlElement<'_, '_> {
    fn parent_element(&self) -> Option<Self> {
        self.0.parent_element().map(XmlElement)
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0.prev_sibling_element().map(XmlElement)
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.0.tag_name().name() == name
    }

    fn attribute_matches(&self, local_name: &str, operator: AttributeOperator<'_>) -> bool {
        self.0.attribute(local_name).is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: PseudoClass<'_>) -> bool {
        matches!(class, PseudoClass::FirstChild) && self.0.prev_sibling_element().is_none()
    }
}
