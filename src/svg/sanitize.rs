//! The export allowlist: only the SVG elements, attributes, style properties and references a
//! static map needs survive; everything else is removed and counted.

use super::css::is_property;
use super::values::{self, Context};
use super::write::Num;
use crate::findings::Removals;

/// Elements a static map may contain.
const ELEMENTS: &[&str] = &[
    "g",
    "defs",
    "title",
    "desc",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "path",
    "text",
    "tspan",
    "textPath",
    "image",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Raster formats an embedded image may use.
const DATA_IMAGES: &[&str] = &["data:image/png", "data:image/jpeg", "data:image/webp", "data:image/gif"];

/// Most pixels an embedded image may decode to (a PNG bomb claims billions).
pub const MAX_IMAGE_PIXELS: u64 = 64 * 1024 * 1024;

/// Decides what survives export: every kept value is parsed and written back from its parse
/// (the `values` module); everything else is removed and counted.
#[derive(Debug)]
pub struct Sanitizer<'a> {
    cx: Context<'a>,
    num: Num,
    /// What was removed because the map does not support it.
    pub removed: Removals,
    /// What was removed because it could reach outside the map or run script (a subset of
    /// the kinds a value can take: a `url(`, `image-set(`, CSS escape, script or `@import`).
    pub unsafe_removed: Removals,
    /// Other editors' own state (Inkscape's and Sodipodi's attributes), which no map needs.
    pub editor_state: Removals,
}

impl<'a> Sanitizer<'a> {
    /// A sanitiser for a document whose referable ids are `refs` (each id as read, and the id
    /// written for it), whose larger side is `map_size`, writing coordinates with `num`;
    /// `pixels_per_unit` when the output is rendered at that scale.
    pub fn new(refs: &'a dyn values::Refs, map_size: f64, pixels_per_unit: Option<f64>, num: Num) -> Self {
        Self {
            cx: Context { refs, map_size, pixels_per_unit },
            num,
            removed: Removals::default(),
            unsafe_removed: Removals::default(),
            editor_state: Removals::default(),
        }
    }

    /// True when the element may be written; counts it as removed otherwise.
    pub fn element(&mut self, name: &str) -> bool {
        let ok = Self::allows_element(name);
        if !ok {
            self.removed.add(format!("element <{name}>"));
        }
        ok
    }

    /// True when the element may be written (nothing counted).
    pub fn allows_element(name: &str) -> bool {
        matches!(name, "g" | "rect" | "path" | "polygon" | "text") || ELEMENTS.contains(&name)
    }

    /// The value to write for an attribute (parsed and re-written), or `None` when it must be
    /// removed. `id` and `style` are written by the caller, never through here.
    pub fn attribute(&mut self, name: &str, value: &str) -> Option<String> {
        let written = self.attribute_value(name, value);
        if written.is_none() {
            if name.starts_with("inkscape:") || name.starts_with("sodipodi:") {
                self.editor_state.add(format!("attribute {name}"));
            } else {
                self.count(format!("attribute {name}"), value);
            }
        }
        written
    }

    /// Like [`Sanitizer::attribute`], without counting a removal.
    pub fn attribute_value(&self, name: &str, value: &str) -> Option<String> {
        if name == "href" {
            self.href(value)
        } else if is_property(name) {
            values::property(name, value, &self.cx)
        } else if name.starts_with("data-okviz-")
            && !matches!(name, "data-okviz-drill-url" | "data-okviz-link-url")
        {
            Some(values::plain_text(value))
        } else {
            values::attribute(name, value, &self.num, &self.cx)
        }
    }

    /// Counts a removal as unsafe or unsupported, by what the removed value reaches for.
    fn count(&mut self, what: String, value: &str) {
        if values::reaches_out(value) {
            self.unsafe_removed.add(what);
        } else {
            self.removed.add(what);
        }
    }

    /// A style declaration's value parsed and re-written, or `None` (counted) when the property
    /// is not kept or the value is not in its grammar.
    pub fn declaration(&mut self, property: &str, value: &str) -> Option<String> {
        let written = self.declaration_value(property, value);
        if written.is_none() {
            self.removed_declaration(property, value);
        }
        written
    }

    /// Like [`Sanitizer::declaration`], without counting a removal.
    pub fn declaration_value(&self, property: &str, value: &str) -> Option<String> {
        values::property(property, value, &self.cx)
    }

    /// Counts the removal of a style declaration.
    pub fn removed_declaration(&mut self, property: &str, value: &str) {
        self.count(format!("style property {property}"), value);
    }

    /// Keeps a drill or link URL only when it is `https:`.
    pub fn url(&mut self, attribute: &str, value: &str) -> bool {
        let ok = is_https_url(value);
        if !ok {
            self.unsafe_removed.add(format!("non-https {attribute}"));
        }
        ok
    }

    /// An `href`: a `#id` of this map (as written), or an embedded raster image.
    pub fn href(&self, value: &str) -> Option<String> {
        match value.trim().strip_prefix('#') {
            Some(id) => self.cx.refs.written(id).map(|w| format!("#{w}")),
            None => data_image(value),
        }
    }
}

/// A raster `data:` URL in an allowed format with base64 data whose image is of a sane size,
/// written back with white space removed; `None` otherwise.
pub fn data_image(value: &str) -> Option<String> {
    let value = value.trim();
    let (head, data) = value.split_once(',')?;
    let head = head.to_ascii_lowercase();
    let mime = head.strip_suffix(";base64")?;
    let mime = DATA_IMAGES
        .iter()
        .find(|p| mime == **p || mime.strip_prefix(**p).is_some_and(|r| r.starts_with(';')))?;
    let data: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if !data.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
        return None;
    }
    image_size_ok(&data).then(|| format!("{mime};base64,{data}"))
}

/// True when the image's header gives a size of at most [`MAX_IMAGE_PIXELS`].
fn image_size_ok(base64_data: &str) -> bool {
    use base64::Engine;
    // The size is in the first bytes of every allowed format; 64 KiB covers JPEG's segments.
    let prefix_len = base64_data.len().min(64 * 1024 / 3 * 4);
    let prefix = &base64_data[..prefix_len - prefix_len % 4];
    let Ok(bytes) = base64::engine::general_purpose::STANDARD
        .decode(prefix.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(prefix.trim_end_matches('=')))
    else {
        return false;
    };
    match imagesize::blob_size(&bytes) {
        Ok(size) => (size.width as u64).saturating_mul(size.height as u64) <= MAX_IMAGE_PIXELS,
        Err(_) => false,
    }
}

/// True for an absolute `https:` URL with a host and no white space or control characters.
pub fn is_https_url(value: &str) -> bool {
    let v = value.trim();
    let lower = v.get(..8).unwrap_or("").to_ascii_lowercase();
    lower == "https://"
        && v.len() > 8
        && !v[8..].starts_with('/')
        && !v
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>' || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn urls() {
        assert!(is_https_url("https://example.com/a.svg"));
        assert!(!is_https_url("http://example.com"));
        assert!(!is_https_url("javascript:alert(1)"));
        assert!(!is_https_url("https:///etc/passwd"));
        assert!(!is_https_url("https://exa mple.com"));
    }

    #[test]
    fn style_urls_only_to_own_ids() {
        let refs: HashMap<&str, &str> = [("g1", "g1")].into();
        let mut s = Sanitizer::new(&refs, 100.0, None, Num::new(3));
        assert_eq!(s.declaration("fill", "url(#g1)").as_deref(), Some("url(#g1)"));
        assert!(s.declaration("fill", "url(#missing)").is_none());
        assert!(s.declaration("fill", "url(http://evil.example/p.svg#g)").is_none());
        assert!(s.declaration("behavior", "x").is_none());
        assert_eq!(s.removed.total(), 1);
        assert_eq!(s.unsafe_removed.total(), 2);
    }

    #[test]
    fn hrefs() {
        let refs: HashMap<&str, &str> = [("a", "a_2")].into();
        let mut s = Sanitizer::new(&refs, 100.0, None, Num::new(3));
        assert_eq!(s.attribute("href", "#a").as_deref(), Some("#a_2"));
        // A 1×1 PNG.
        let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
        assert!(s.attribute("href", png).is_some());
        assert!(s.attribute("href", "data:image/svg+xml;base64,AAAA").is_none());
        assert!(s.attribute("href", "file:///etc/passwd").is_none());
        assert!(s.attribute("onclick", "x").is_none());
    }
}
