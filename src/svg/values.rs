//! Typed values of the style properties and attributes export keeps: each value is parsed into
//! the grammar of its property and written back from what was parsed, so no raw text from the
//! input reaches an exported map. A value outside its grammar is dropped (the caller reports it).

use std::collections::HashMap;

use svgtypes::{Color, FontFamily, Length, LengthUnit, Paint, PaintFallback, PaintOrderKind};

use super::attrs::{MAX_COORD, sane};
use super::write::Num;

/// Largest `numOctaves` of `feTurbulence` kept (each octave is one more noise pass per pixel).
pub const MAX_OCTAVES: f64 = 8.0;
/// Largest `feMorphology` radius kept, as a fraction of the map's larger side (the work per
/// pixel grows with the radius's square).
pub const MAX_MORPHOLOGY_RADIUS_IN_MAPS: f64 = 0.01;
/// Largest `feMorphology` radius a render draws, in output pixels.
pub const MAX_MORPHOLOGY_RADIUS_PIXELS: f64 = 8.0;
/// Largest `feConvolveMatrix` order kept.
pub const MAX_KERNEL_ORDER: f64 = 9.0;
/// Largest font size kept, as a multiple of the map's larger side: bigger text cannot be
/// seen on the map, and the rasteriser fails on glyphs billions of pixels tall.
pub const MAX_FONT_SIZE_IN_MAPS: f64 = 10.0;
/// Most numbers in one list value (dash arrays, matrices, per-glyph positions).
const MAX_LIST: usize = 4096;

/// The ids of a map that a reference (`#id`, `url(#id)`) may name.
pub trait Refs: std::fmt::Debug {
    /// The id written for the referable id `id` (as read), when the map has it.
    fn written(&self, id: &str) -> Option<&str>;
}

impl Refs for HashMap<&str, &str> {
    fn written(&self, id: &str) -> Option<&str> {
        self.get(id).copied()
    }
}

/// What a typed value may refer to: ids of this map and the id each is written as.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Every referable id as read, and the id written for it.
    pub refs: &'a dyn Refs,
    /// The map's larger side in user units (bounds font sizes and filter radii).
    pub map_size: f64,
    /// Output pixels per user unit when the map is being rendered (bounds filter work).
    pub pixels_per_unit: Option<f64>,
}

impl Context<'_> {
    /// The largest morphology radius kept, in user units.
    fn max_radius(&self) -> f64 {
        let of_map = self.map_size * MAX_MORPHOLOGY_RADIUS_IN_MAPS;
        self.pixels_per_unit.map_or(of_map, |ppu| of_map.min(MAX_MORPHOLOGY_RADIUS_PIXELS / ppu))
    }

    /// `url(#…)` of the id written for `id` (as parsed, without its `#`), when the map has it.
    fn func_iri(&self, id: &str) -> Option<String> {
        self.refs.written(id).map(|w| format!("url(#{w})"))
    }
}

/// The grammar of a value.
#[derive(Debug, Clone, Copy)]
enum Grammar {
    Paint,
    Color,
    Opacity,
    Length { min: f64 },
    FontSize,
    DashArray,
    Number { min: f64, max: f64 },
    Reference,
    FontFamily,
    Font,
    FontWeight,
    PaintOrder,
    TextDecoration,
    Normal(&'static Grammar),
    Keyword(&'static [&'static str]),
}

const ANY_LENGTH: Grammar = Grammar::Length { min: -MAX_COORD };
const BASELINE: &[&str] = &[
    "auto",
    "baseline",
    "before-edge",
    "text-before-edge",
    "middle",
    "central",
    "after-edge",
    "text-after-edge",
    "ideographic",
    "alphabetic",
    "hanging",
    "mathematical",
    "top",
    "center",
    "bottom",
    "text-bottom",
    "text-top",
    "use-script",
    "no-change",
    "reset-size",
];
const BLEND_MODES: &[&str] = &[
    "normal",
    "multiply",
    "screen",
    "overlay",
    "darken",
    "lighten",
    "color-dodge",
    "color-burn",
    "hard-light",
    "soft-light",
    "difference",
    "exclusion",
    "hue",
    "saturation",
    "color",
    "luminosity",
];
const INTERPOLATION: &[&str] = &["auto", "sRGB", "linearRGB"];

/// The grammar of a presentation property; `None` for a property a map never keeps.
fn property_grammar(name: &str) -> Option<Grammar> {
    use Grammar as G;
    Some(match name {
        "fill" | "stroke" => G::Paint,
        "color" | "flood-color" | "stop-color" | "lighting-color" => G::Color,
        "opacity" | "fill-opacity" | "stroke-opacity" | "flood-opacity" | "stop-opacity" => G::Opacity,
        "stroke-width" => G::Length { min: 0.0 },
        "stroke-dashoffset" | "baseline-shift" => ANY_LENGTH,
        "letter-spacing" | "word-spacing" => G::Normal(&ANY_LENGTH),
        "font-size" => G::FontSize,
        "font-size-adjust" => G::Normal(&G::Number { min: 0.0, max: 100.0 }),
        "stroke-dasharray" => G::DashArray,
        "stroke-miterlimit" => G::Number { min: 1.0, max: 1.0e6 },
        "clip-path" | "mask" | "filter" | "marker-start" | "marker-mid" | "marker-end" => G::Reference,
        "font-family" => G::FontFamily,
        "font" => G::Font,
        "font-weight" => G::FontWeight,
        "paint-order" => G::PaintOrder,
        "text-decoration" => G::TextDecoration,
        "clip-rule" | "fill-rule" => G::Keyword(&["nonzero", "evenodd"]),
        "color-interpolation" | "color-interpolation-filters" => G::Keyword(INTERPOLATION),
        "color-rendering" => G::Keyword(&["auto", "optimizeSpeed", "optimizeQuality"]),
        "direction" => G::Keyword(&["ltr", "rtl"]),
        "dominant-baseline" | "alignment-baseline" => G::Keyword(BASELINE),
        "font-kerning" => G::Keyword(&["auto", "normal", "none"]),
        "font-stretch" => G::Keyword(&[
            "normal",
            "ultra-condensed",
            "extra-condensed",
            "condensed",
            "semi-condensed",
            "semi-expanded",
            "expanded",
            "extra-expanded",
            "ultra-expanded",
        ]),
        "font-style" => G::Keyword(&["normal", "italic", "oblique"]),
        "font-variant" => G::Keyword(&["normal", "small-caps"]),
        "font-feature-settings" => G::Keyword(&["normal"]),
        "image-rendering" => G::Keyword(&[
            "auto",
            "optimizeQuality",
            "optimizeSpeed",
            "pixelated",
            "crisp-edges",
            "smooth",
            "high-quality",
        ]),
        "shape-rendering" => G::Keyword(&["auto", "optimizeSpeed", "crispEdges", "geometricPrecision"]),
        "stroke-linecap" => G::Keyword(&["butt", "round", "square"]),
        "stroke-linejoin" => G::Keyword(&["miter", "miter-clip", "round", "bevel", "arcs"]),
        "text-anchor" => G::Keyword(&["start", "middle", "end"]),
        "text-rendering" => {
            G::Keyword(&["auto", "optimizeSpeed", "optimizeLegibility", "geometricPrecision"])
        }
        "visibility" => G::Keyword(&["visible", "hidden", "collapse"]),
        "white-space" => G::Keyword(&["normal", "pre", "nowrap", "pre-wrap", "break-spaces", "pre-line"]),
        "writing-mode" => G::Keyword(&[
            "horizontal-tb",
            "vertical-rl",
            "vertical-lr",
            "lr",
            "lr-tb",
            "rl",
            "rl-tb",
            "tb",
            "tb-rl",
        ]),
        "clip" => G::Keyword(&["auto"]),
        "display" => G::Keyword(&[
            "inline",
            "block",
            "none",
            "inline-block",
            "list-item",
            "run-in",
            "compact",
            "table",
            "inline-table",
            "table-row-group",
            "table-header-group",
            "table-footer-group",
            "table-row",
            "table-column-group",
            "table-column",
            "table-cell",
            "table-caption",
        ]),
        "isolation" => G::Keyword(&["auto", "isolate"]),
        "mix-blend-mode" => G::Keyword(BLEND_MODES),
        "overflow" => G::Keyword(&["visible", "hidden", "scroll", "auto"]),
        "unicode-bidi" => {
            G::Keyword(&["normal", "embed", "isolate", "bidi-override", "isolate-override", "plaintext"])
        }
        "vector-effect" => G::Keyword(&["none", "non-scaling-stroke"]),
        _ => return None,
    })
}

/// The value of a presentation property written from its parsed form, or `None` when the
/// property is not kept or the value is not in its grammar.
pub fn property(name: &str, value: &str, cx: &Context<'_>) -> Option<String> {
    let value = value.trim();
    if value == "inherit" {
        return Some("inherit".into());
    }
    typed(property_grammar(name)?, value, cx)
}

fn typed(grammar: Grammar, v: &str, cx: &Context<'_>) -> Option<String> {
    let num = Num::new(6);
    match grammar {
        Grammar::Paint => paint(v, cx),
        Grammar::Color => color_value(v),
        Grammar::Opacity => fraction(v).map(|o| num.fmt(o)),
        Grammar::Length { min } => {
            let l = length(v)?;
            (l.number >= min).then(|| write_length(&num, l))
        }
        Grammar::FontSize => font_size(v, cx),
        Grammar::DashArray => {
            if v == "none" {
                return Some("none".into());
            }
            length_list(v, 0.0, &num)
        }
        Grammar::Number { min, max } => {
            let n = number(v)?;
            Some(num.fmt(n.clamp(min, max)))
        }
        Grammar::Reference => {
            if v == "none" {
                return Some("none".into());
            }
            // Paint's parser reads `url(#id)` and refuses anything after it but a fallback.
            match Paint::from_str(v).ok()? {
                Paint::FuncIRI(id, None) => cx.func_iri(id),
                _ => None,
            }
        }
        Grammar::FontFamily => font_families(v),
        Grammar::Font => font_shorthand(v, cx),
        Grammar::FontWeight => match v {
            "normal" | "bold" | "bolder" | "lighter" => Some(v.to_owned()),
            _ => number(v).filter(|w| (1.0..=1000.0).contains(w)).map(|w| num.fmt(w)),
        },
        Grammar::PaintOrder => {
            let order: svgtypes::PaintOrder = v.parse().ok()?;
            let names: Vec<&str> = order
                .order
                .iter()
                .map(|k| match k {
                    PaintOrderKind::Fill => "fill",
                    PaintOrderKind::Stroke => "stroke",
                    PaintOrderKind::Markers => "markers",
                })
                .collect();
            Some(names.join(" "))
        }
        Grammar::TextDecoration => {
            let words: Vec<&str> = v.split_ascii_whitespace().collect();
            let ok = !words.is_empty()
                && words.iter().all(|w| matches!(*w, "none" | "underline" | "overline" | "line-through"));
            ok.then(|| words.join(" "))
        }
        Grammar::Normal(inner) => {
            if v == "normal" {
                Some("normal".into())
            } else {
                typed(*inner, v, cx)
            }
        }
        Grammar::Keyword(words) => words.iter().find(|w| **w == v).map(|w| (*w).to_owned()),
    }
}

/// A colour (`#rrggbb`, or `rgba(…)` when translucent), or `currentColor`.
fn color_value(v: &str) -> Option<String> {
    if v == "currentColor" {
        return Some(v.to_owned());
    }
    v.parse::<Color>().ok().map(write_color)
}

fn write_color(c: Color) -> String {
    if c.alpha == 255 {
        format!("#{:02x}{:02x}{:02x}", c.red, c.green, c.blue)
    } else {
        let a = Num::new(3).fmt(f64::from(c.alpha) / 255.0);
        format!("rgba({},{},{},{a})", c.red, c.green, c.blue)
    }
}

fn paint(v: &str, cx: &Context<'_>) -> Option<String> {
    match Paint::from_str(v).ok()? {
        Paint::None => Some("none".into()),
        Paint::Inherit => Some("inherit".into()),
        Paint::CurrentColor => Some("currentColor".into()),
        Paint::ContextFill => Some("context-fill".into()),
        Paint::ContextStroke => Some("context-stroke".into()),
        Paint::Color(c) => Some(write_color(c)),
        Paint::FuncIRI(iri, fallback) => {
            let fallback = match fallback {
                None => String::new(),
                Some(PaintFallback::None) => " none".into(),
                Some(PaintFallback::CurrentColor) => " currentColor".into(),
                Some(PaintFallback::Color(c)) => format!(" {}", write_color(c)),
            };
            match cx.func_iri(iri) {
                Some(url) => Some(url + &fallback),
                // A paint server that is not in this map: its fallback, as a browser would.
                None => (!fallback.is_empty()).then(|| fallback.trim_start().to_owned()),
            }
        }
    }
}

/// A number or percentage, as a fraction clamped to 0..=1 (opacities, gradient offsets).
fn fraction(v: &str) -> Option<f64> {
    let l = length(v)?;
    let f = match l.unit {
        LengthUnit::None => l.number,
        LengthUnit::Percent => l.number / 100.0,
        _ => return None,
    };
    Some(f.clamp(0.0, 1.0))
}

/// A list of sane lengths, each at least `min`, written with `num`; `None` when empty, too
/// long or any item fails.
fn length_list(v: &str, min: f64, num: &Num) -> Option<String> {
    let mut out = String::with_capacity(v.len());
    for (i, l) in svgtypes::LengthListParser::from(v).enumerate() {
        let l = l.ok().filter(|l| sane(l.number) && l.number >= min && i < MAX_LIST)?;
        if i > 0 {
            out.push(' ');
        }
        push_length(num, &mut out, l);
    }
    (!out.is_empty()).then_some(out)
}

fn length(v: &str) -> Option<Length> {
    let l: Length = v.parse().ok()?;
    sane(l.number).then_some(l)
}

fn number(v: &str) -> Option<f64> {
    let n: svgtypes::Number = v.trim().parse().ok()?;
    sane(n.0).then_some(n.0)
}

fn write_length(num: &Num, l: Length) -> String {
    let mut s = String::new();
    push_length(num, &mut s, l);
    s
}

fn push_length(num: &Num, out: &mut String, l: Length) {
    let unit = match l.unit {
        LengthUnit::None => "",
        LengthUnit::Em => "em",
        LengthUnit::Ex => "ex",
        LengthUnit::Px => "px",
        LengthUnit::In => "in",
        LengthUnit::Cm => "cm",
        LengthUnit::Mm => "mm",
        LengthUnit::Pt => "pt",
        LengthUnit::Pc => "pc",
        LengthUnit::Percent => "%",
    };
    num.push(out, l.number);
    out.push_str(unit);
}

const SIZE_KEYWORDS: &[&str] =
    &["xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "larger", "smaller"];

fn font_size(v: &str, cx: &Context<'_>) -> Option<String> {
    if let Some(k) = SIZE_KEYWORDS.iter().find(|k| **k == v) {
        return Some((*k).to_owned());
    }
    let l = length(v)?;
    let user_units = match l.unit {
        LengthUnit::Percent => {
            return (0.0..=10_000.0).contains(&l.number).then(|| write_length(&Num::new(6), l));
        }
        _ => super::attrs::length(v, 0.0)?,
    };
    (user_units >= 0.0 && user_units <= MAX_FONT_SIZE_IN_MAPS * cx.map_size.max(1.0))
        .then(|| write_length(&Num::new(6), l))
}

/// A font-family list with every name checked and quoted.
fn font_families(v: &str) -> Option<String> {
    let families = svgtypes::parse_font_families(v).ok()?;
    if families.is_empty() || families.len() > 32 {
        return None;
    }
    let mut out = Vec::with_capacity(families.len());
    for f in families {
        out.push(match f {
            FontFamily::Named(name) => {
                let name = name.trim();
                let ok = !name.is_empty()
                    && name.chars().count() <= 128
                    && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
                if !ok {
                    return None;
                }
                format!("'{name}'")
            }
            generic => generic.to_string(),
        });
    }
    Some(out.join(","))
}

fn font_shorthand(v: &str, cx: &Context<'_>) -> Option<String> {
    let f = svgtypes::FontShorthand::from_str(v).ok()?;
    let mut parts: Vec<String> = [f.font_style, f.font_variant, f.font_weight, f.font_stretch]
        .into_iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    parts.push(font_size(f.font_size, cx)?);
    parts.push(font_families(f.font_family)?);
    Some(parts.join(" "))
}

/// How an attribute (other than a presentation property) is checked and written.
#[derive(Debug, Clone, Copy)]
enum AttrGrammar {
    Length,
    LengthList,
    Number,
    NumberList {
        max: usize,
    },
    /// One or two numbers, each clamped to the range.
    NumberPair {
        min: f64,
        max: f64,
    },
    /// A morphology radius: a number pair clamped by [`Context::max_radius`].
    Radius,
    Transform,
    PathData,
    Points,
    ViewBox,
    AspectRatio,
    Offset,
    Orient,
    Name,
    FilterInput,
    Keyword(&'static [&'static str]),
}

const UNITS: &[&str] = &["userSpaceOnUse", "objectBoundingBox"];

fn attribute_grammar(name: &str) -> Option<AttrGrammar> {
    use AttrGrammar as A;
    Some(match name {
        "width" | "height" | "rx" | "ry" | "cx" | "cy" | "r" | "fx" | "fy" | "fr" | "x1" | "y1" | "x2"
        | "y2" | "refX" | "refY" | "markerWidth" | "markerHeight" | "startOffset" | "textLength" => A::Length,
        "x" | "y" | "dx" | "dy" => A::LengthList,
        "pathLength" | "k1" | "k2" | "k3" | "k4" | "slope" | "intercept" | "amplitude" | "exponent"
        | "divisor" | "bias" | "targetX" | "targetY" | "scale" | "seed" | "surfaceScale"
        | "diffuseConstant" | "specularConstant" | "specularExponent" | "azimuth" | "elevation" | "z"
        | "pointsAtX" | "pointsAtY" | "pointsAtZ" | "limitingConeAngle" => A::Number,
        "rotate" => A::NumberList { max: MAX_LIST },
        "values" => A::NumberList { max: 20 },
        "tableValues" => A::NumberList { max: 256 },
        "kernelMatrix" => A::NumberList { max: 81 },
        "stdDeviation" => A::NumberPair { min: 0.0, max: 1.0e4 },
        "baseFrequency" => A::NumberPair { min: 0.0, max: 1.0e3 },
        "kernelUnitLength" => A::NumberPair { min: 0.0, max: 1.0e3 },
        "radius" => A::Radius,
        "numOctaves" => A::NumberPair { min: 0.0, max: MAX_OCTAVES },
        "order" => A::NumberPair { min: 1.0, max: MAX_KERNEL_ORDER },
        "transform" | "gradientTransform" | "patternTransform" => A::Transform,
        "d" => A::PathData,
        "points" => A::Points,
        "viewBox" => A::ViewBox,
        "preserveAspectRatio" => A::AspectRatio,
        "offset" => A::Offset,
        "orient" => A::Orient,
        "result" => A::Name,
        "in" | "in2" => A::FilterInput,
        "gradientUnits"
        | "clipPathUnits"
        | "maskUnits"
        | "maskContentUnits"
        | "patternUnits"
        | "patternContentUnits"
        | "filterUnits" => A::Keyword(UNITS),
        // Primitive sizes relative to the bounding box would escape the filter bounds above.
        "primitiveUnits" => A::Keyword(&["userSpaceOnUse"]),
        "markerUnits" => A::Keyword(&["strokeWidth", "userSpaceOnUse"]),
        "spreadMethod" => A::Keyword(&["pad", "reflect", "repeat"]),
        "lengthAdjust" => A::Keyword(&["spacing", "spacingAndGlyphs"]),
        "method" => A::Keyword(&["align", "stretch"]),
        "spacing" => A::Keyword(&["auto", "exact"]),
        "side" => A::Keyword(&["left", "right"]),
        "xml:space" => A::Keyword(&["default", "preserve"]),
        "operator" => {
            A::Keyword(&["over", "in", "out", "atop", "xor", "arithmetic", "lighter", "erode", "dilate"])
        }
        "mode" => A::Keyword(BLEND_MODES),
        "type" => A::Keyword(&[
            "matrix",
            "saturate",
            "hueRotate",
            "luminanceToAlpha",
            "identity",
            "table",
            "discrete",
            "linear",
            "gamma",
            "fractalNoise",
            "turbulence",
        ]),
        "edgeMode" => A::Keyword(&["duplicate", "wrap", "none", "mirror"]),
        "preserveAlpha" => A::Keyword(&["true", "false"]),
        "xChannelSelector" | "yChannelSelector" => A::Keyword(&["R", "G", "B", "A"]),
        "stitchTiles" => A::Keyword(&["stitch", "noStitch"]),
        _ => return None,
    })
}

/// The value of a plain (non-presentation) attribute written from its parsed form, or `None`
/// when it is not kept or not in its grammar. `num` formats coordinates.
pub fn attribute(name: &str, value: &str, num: &Num, cx: &Context<'_>) -> Option<String> {
    let v = value.trim();
    let exact = Num::new(6);
    let grammar = match attribute_grammar(name)? {
        AttrGrammar::Radius => AttrGrammar::NumberPair { min: 0.0, max: cx.max_radius() },
        g => g,
    };
    match grammar {
        AttrGrammar::Radius => None,
        AttrGrammar::Length => length(v).map(|l| write_length(num, l)),
        AttrGrammar::LengthList => length_list(v, -MAX_COORD, num),
        AttrGrammar::Number => number(v).map(|n| exact.fmt(n)),
        AttrGrammar::NumberList { max } => {
            let items = svgtypes::NumberListParser::from(v)
                .take(max + 1)
                .map(|n| n.ok().filter(|n| sane(*n)))
                .collect::<Option<Vec<_>>>()?;
            (!items.is_empty() && items.len() <= max).then(|| {
                let mut s = String::new();
                exact.push_list(&mut s, &items);
                s
            })
        }
        AttrGrammar::NumberPair { min, max } => {
            let items = svgtypes::NumberListParser::from(v)
                .take(3)
                .map(|n| n.ok().filter(|n| !n.is_nan()))
                .collect::<Option<Vec<_>>>()?;
            (1..=2).contains(&items.len()).then(|| {
                let clamped: Vec<f64> = items.iter().map(|n| n.clamp(min, max)).collect();
                let mut s = String::new();
                exact.push_list(&mut s, &clamped);
                s
            })
        }
        AttrGrammar::Transform => super::attrs::transform(v).map(|t| num.transform(t).unwrap_or_default()),
        AttrGrammar::PathData => super::attrs::path(v).ok().map(|(p, _)| num.path_data(&p)),
        AttrGrammar::Points => super::attrs::points(v).map(|p| num.points(&p)),
        AttrGrammar::ViewBox => super::attrs::view_box(v).map(|vb| {
            let mut s = String::new();
            num.push_list(&mut s, &[vb.x, vb.y, vb.width, vb.height]);
            s
        }),
        AttrGrammar::AspectRatio => {
            let a: svgtypes::AspectRatio = v.parse().ok()?;
            Some(aspect_ratio(a))
        }
        AttrGrammar::Offset => fraction(v).map(|o| exact.fmt(o)),
        AttrGrammar::Orient => match v {
            "auto" | "auto-start-reverse" => Some(v.to_owned()),
            _ => {
                let a: svgtypes::Angle = v.parse().ok()?;
                sane(a.number).then(|| exact.fmt(a.to_degrees()))
            }
        },
        AttrGrammar::Name => is_name(v).then(|| v.to_owned()),
        AttrGrammar::FilterInput => match v {
            "SourceGraphic" | "SourceAlpha" | "BackgroundImage" | "BackgroundAlpha" | "FillPaint"
            | "StrokePaint" => Some(v.to_owned()),
            _ => is_name(v).then(|| v.to_owned()),
        },
        AttrGrammar::Keyword(words) => words.iter().find(|w| **w == v).map(|w| (*w).to_owned()),
    }
}

/// A filter result name: ASCII letters, digits, `-` and `_`, at most 64 characters.
fn is_name(v: &str) -> bool {
    !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn aspect_ratio(a: svgtypes::AspectRatio) -> String {
    use svgtypes::Align;
    let align = match a.align {
        Align::None => "none",
        Align::XMinYMin => "xMinYMin",
        Align::XMidYMin => "xMidYMin",
        Align::XMaxYMin => "xMaxYMin",
        Align::XMinYMid => "xMinYMid",
        Align::XMidYMid => "xMidYMid",
        Align::XMaxYMid => "xMaxYMid",
        Align::XMinYMax => "xMinYMax",
        Align::XMidYMax => "xMidYMax",
        Align::XMaxYMax => "xMaxYMax",
    };
    let mut s = String::new();
    if a.defer {
        s.push_str("defer ");
    }
    s.push_str(align);
    if a.slice {
        s.push_str(" slice");
    }
    s
}

/// True when a value reaches for something outside the map or for script: a URL function,
/// an image function, a CSS escape, an `@import`, `expression(` or a script scheme. Used only
/// to say why a value was removed; what is kept is decided by the grammars above.
pub fn reaches_out(value: &str) -> bool {
    let folded: String =
        value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    folded.contains('\\')
        || ["url(", "image(", "image-set(", "@import", "expression(", "javascript:", "vbscript:", "//"]
            .iter()
            .any(|bad| folded.contains(bad))
}

/// Plain text for an attribute that holds words for people (author, attribution): control
/// characters become spaces.
pub fn plain_text(v: &str) -> String {
    v.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

/// `data-okviz-autofetch`: `true`, or the name of an attribute (an XML name).
pub fn autofetch(v: &str) -> Option<String> {
    let v = v.trim();
    if v.eq_ignore_ascii_case("true") {
        return Some("true".into());
    }
    let mut chars = v.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && v.len() <= 128;
    ok.then(|| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx<'a>(refs: &'a HashMap<&'a str, &'a str>) -> Context<'a> {
        Context { refs, map_size: 100.0, pixels_per_unit: None }
    }

    #[test]
    fn escapes_and_foreign_urls_never_pass() {
        let refs: HashMap<&str, &str> = [("g", "g")].into();
        let c = cx(&refs);
        for (p, v) in [
            ("fill", r"\75 rl(http://evil.example/p.svg#g)"),
            ("filter", r"\55 RL(http://evil.example/f)"),
            ("clip-path", r"U\52 L(http://evil.example/c)"),
            ("marker-end", r"\000075rl(http://evil.example/m)"),
            ("mask", "image-set('http://evil.example/m.png' 1x)"),
            ("fill", "url(http://evil.example/p.svg#g)"),
            ("fill", "url(#missing)"),
            ("stroke", "expression(alert(1))"),
            ("font-family", "\"a\\\"b\", url(http://evil.example)"),
            ("cursor", "url(http://evil.example/c.cur)"),
        ] {
            assert_eq!(property(p, v, &c), None, "{p}: {v}");
        }
    }

    #[test]
    fn legitimate_values_are_rewritten_from_their_parse() {
        let refs: HashMap<&str, &str> = [("grad", "grad_2")].into();
        let c = cx(&refs);
        assert_eq!(property("fill", "url(#grad) red", &c).as_deref(), Some("url(#grad_2) #ff0000"));
        assert_eq!(property("fill", " RED ", &c).as_deref(), Some("#ff0000"));
        assert_eq!(property("stroke", "rgba(0,0,0,.5)", &c).as_deref(), Some("rgba(0,0,0,0.502)"));
        assert_eq!(property("stroke-dasharray", "4, 2 1", &c).as_deref(), Some("4 2 1"));
        assert_eq!(
            property("font-family", "'DejaVu Sans', sans-serif", &c).as_deref(),
            Some("'DejaVu Sans',sans-serif")
        );
        assert_eq!(property("opacity", "150%", &c).as_deref(), Some("1"));
        assert_eq!(property("fill", "currentColor", &c).as_deref(), Some("currentColor"));
        assert_eq!(property("font-size", "4294967296", &c), None);
        assert_eq!(property("font-size", "12px", &c).as_deref(), Some("12px"));
    }

    #[test]
    fn filter_work_is_bounded() {
        let n = Num::new(3);
        let refs = HashMap::new();
        let mut c = cx(&refs);
        assert_eq!(attribute("radius", "1e39", &n, &c).as_deref(), Some("1"));
        assert_eq!(attribute("numOctaves", "1e6", &n, &c).as_deref(), Some("8"));
        assert_eq!(attribute("order", "1000", &n, &c).as_deref(), Some("9"));
        assert_eq!(attribute("in", "x\" onload=\"y", &n, &c), None);
        c.pixels_per_unit = Some(16.0);
        assert_eq!(attribute("radius", "1000", &n, &c).as_deref(), Some("0.5"));
    }

    #[test]
    fn root_metadata() {
        assert_eq!(autofetch("TRUE").as_deref(), Some("true"));
        assert_eq!(autofetch("data-area").as_deref(), Some("data-area"));
        assert_eq!(autofetch("javascript:alert(1)"), None);
        assert_eq!(plain_text("a\nb"), "a b");
    }
}
