//! The export allowlist: only the SVG elements, attributes, style properties and references a
//! static map needs survive; everything else is removed and counted.

use std::collections::HashSet;

use super::css::is_property;
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

/// Attributes (other than presentation properties and `data-okviz-*`) a static map may use.
const ATTRIBUTES: &[&str] = &[
    "id",
    "style",
    "transform",
    "x",
    "y",
    "width",
    "height",
    "rx",
    "ry",
    "cx",
    "cy",
    "r",
    "fx",
    "fy",
    "fr",
    "x1",
    "y1",
    "x2",
    "y2",
    "points",
    "d",
    "pathLength",
    "viewBox",
    "preserveAspectRatio",
    "href",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "clipPathUnits",
    "maskUnits",
    "maskContentUnits",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "markerUnits",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "filterUnits",
    "primitiveUnits",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "side",
    "xml:space",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "mode",
    "type",
    "values",
    "tableValues",
    "slope",
    "intercept",
    "amplitude",
    "exponent",
    "kernelMatrix",
    "order",
    "divisor",
    "bias",
    "targetX",
    "targetY",
    "edgeMode",
    "preserveAlpha",
    "scale",
    "xChannelSelector",
    "yChannelSelector",
    "baseFrequency",
    "numOctaves",
    "seed",
    "stitchTiles",
    "radius",
    "surfaceScale",
    "diffuseConstant",
    "specularConstant",
    "specularExponent",
    "kernelUnitLength",
    "azimuth",
    "elevation",
    "z",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "limitingConeAngle",
];

/// Raster formats an embedded image may use.
const DATA_IMAGES: &[&str] = &["data:image/png", "data:image/jpeg", "data:image/webp", "data:image/gif"];

/// Decides what survives export and counts what does not.
#[derive(Debug)]
pub struct Sanitizer<'a> {
    ids: &'a HashSet<String>,
    /// What was removed.
    pub removed: Removals,
}

impl<'a> Sanitizer<'a> {
    /// A sanitiser for a document whose ids are `ids` (targets of `#id` references).
    pub fn new(ids: &'a HashSet<String>) -> Self {
        Self { ids, removed: Removals::default() }
    }

    /// True when the element may be written; counts it as removed otherwise.
    pub fn element(&mut self, name: &str) -> bool {
        let ok = matches!(name, "g" | "rect" | "path" | "polygon" | "text") || ELEMENTS.contains(&name);
        if !ok {
            self.removed.add(format!("element <{name}>"));
        }
        ok
    }

    /// The value to write for an attribute, or `None` when it must be removed.
    pub fn attribute<'v>(&mut self, name: &str, value: &'v str) -> Option<&'v str> {
        let ok = if name == "href" {
            self.href_ok(value)
        } else if name == "style" {
            unreachable_style(name)
        } else {
            ATTRIBUTES.contains(&name) || is_property(name) || name.starts_with("data-okviz-")
        };
        let ok = ok && value_is_safe(value) && (name == "href" || !has_foreign_url(value, self.ids));
        if !ok {
            self.removed.add(format!("attribute {name}"));
        }
        ok.then_some(value)
    }

    /// Keeps a style declaration when the property is a presentation property and its value
    /// references nothing outside the map.
    pub fn declaration(&mut self, property: &str, value: &str) -> bool {
        let ok = self.declaration_allowed(property, value);
        if !ok {
            self.removed_declaration(property);
        }
        ok
    }

    /// Like [`Sanitizer::declaration`], without counting a removal.
    pub fn declaration_allowed(&self, property: &str, value: &str) -> bool {
        is_property(property) && value_is_safe(value) && !has_foreign_url(value, self.ids)
    }

    /// Counts the removal of a style declaration.
    pub fn removed_declaration(&mut self, property: &str) {
        self.removed.add(format!("style property {property}"));
    }

    /// Keeps a drill or link URL only when it is `https:`.
    pub fn url(&mut self, attribute: &str, value: &str) -> bool {
        let ok = is_https_url(value);
        if !ok {
            self.removed.add(format!("non-https {attribute}"));
        }
        ok
    }

    fn href_ok(&self, value: &str) -> bool {
        match value.strip_prefix('#') {
            Some(id) => self.ids.contains(id),
            None => is_data_image(value),
        }
    }
}

fn unreachable_style(_: &str) -> bool {
    // `style` attributes are built from sanitised declarations, never copied.
    false
}

/// A raster `data:` URL in an allowed format, base64-encoded.
pub fn is_data_image(value: &str) -> bool {
    let head = value.get(..30).unwrap_or(value).to_ascii_lowercase();
    DATA_IMAGES
        .iter()
        .any(|p| head.strip_prefix(p).is_some_and(|rest| rest.starts_with(';') || rest.starts_with(',')))
        && value.contains(";base64,")
}

/// True for an absolute `https:` URL with a host and no white space or control characters.
pub fn is_https_url(value: &str) -> bool {
    let v = value.trim();
    let lower = v.get(..8).unwrap_or("").to_ascii_lowercase();
    lower == "https://"
        && v.len() > 8
        && !v[8..].starts_with('/')
        && !v.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

fn value_is_safe(value: &str) -> bool {
    !["javascript:", "vbscript:", "expression(", "@import", "<", "data:text", "data:application"]
        .iter()
        .any(|bad| find_ignore_case(value, bad).is_some())
}

/// Byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len())
        .find(|&i| h[i..i + n.len()].iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// True when a value uses `url(…)` for anything but a `#id` of this map.
fn has_foreign_url(value: &str, ids: &HashSet<String>) -> bool {
    let mut rest = value;
    while let Some(at) = find_ignore_case(rest, "url(") {
        let inner = &rest[at + 4..];
        let end = inner.find(')').unwrap_or(inner.len());
        let target = inner[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        match target.strip_prefix('#') {
            Some(id) if ids.contains(id) => {}
            _ => return true,
        }
        rest = &inner[end..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let ids: HashSet<String> = ["g1".to_owned()].into();
        let mut s = Sanitizer::new(&ids);
        assert!(s.declaration("fill", "url(#g1)"));
        assert!(!s.declaration("fill", "url(#missing)"));
        assert!(!s.declaration("fill", "url(http://evil.example/p.svg#g)"));
        assert!(!s.declaration("behavior", "x"));
        assert_eq!(s.removed.total(), 3);
    }

    #[test]
    fn hrefs() {
        let ids: HashSet<String> = ["a".to_owned()].into();
        let mut s = Sanitizer::new(&ids);
        assert!(s.attribute("href", "#a").is_some());
        assert!(s.attribute("href", "data:image/png;base64,AAAA").is_some());
        assert!(s.attribute("href", "data:image/svg+xml;base64,AAAA").is_none());
        assert!(s.attribute("href", "file:///etc/passwd").is_none());
        assert!(s.attribute("onclick", "x").is_none());
    }
}
