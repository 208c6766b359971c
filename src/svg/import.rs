//! SVG import: any authoring tool's SVG into the map model, safely and with styles resolved.
//!
//! Never fetches a URL and never reads a file the map refers to: external images, `use`
//! references to other files and CSS `@import` are dropped and reported.

mod element;
mod survey;
mod walk;

use std::collections::HashSet;
use std::rc::Rc;

use foldhash::{HashMap, HashMapExt};

use kurbo::{Affine, Circle, Line, Point, Rect};

use self::element::{Child, Element};
use self::survey::Survey;
use super::ImportError;
use super::attrs;
use super::css::{Decls, Inherited, Sheet, is_inherited, is_property};
use super::prologue::{self, Prologue};
use super::reader::{Attr, Ns};
use crate::binding::RawId;
use crate::findings::{Finding, Removals, Severity};
use crate::model::{
    AreaType, Binding, Geometry, Guide, Map, MapMeta, Node, NodeKey, NodeKind, Style, StyleInterner,
    TitleAttr, TracingImage, ViewBox, XmlElement, XmlNode,
};

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 512;
/// Most XML nodes parsed from one document.
pub const MAX_XML_NODES: u32 = 4_000_000;
/// Most map nodes created, counting copies made by `use`.
pub const MAX_MAP_NODES: usize = 2_000_000;
/// Bytes `<use>` may copy beyond four times the document's size (each copied element counts
/// its attributes and text plus a fixed cost for the node).
pub const USE_BUDGET_BYTES: u64 = 16 * 1024 * 1024;
/// What one copied element costs besides its attributes and text.
const USE_NODE_COST: u64 = 256;

/// Elements that must never reach a map: scripts, embedded HTML and animation.
const UNSAFE_ELEMENTS: &[&str] = &[
    "script",
    "foreignObject",
    "set",
    "animate",
    "animateMotion",
    "animateTransform",
    "animateColor",
    "iframe",
    "audio",
    "video",
    "canvas",
    "handler",
    "listener",
    "discard",
];

/// Definition elements kept in the map's `defs`.
const DEF_ELEMENTS: &[&str] =
    &["linearGradient", "radialGradient", "clipPath", "mask", "pattern", "marker", "filter"];

/// The `data-okviz-*` attributes the model holds as fields; others are carried through.
const OKVIZ_NODE_ATTRS: &[&str] = &[
    "data-okviz-area-type",
    "data-okviz-unbound",
    "data-okviz-strong",
    "data-okviz-drill-url",
    "data-okviz-link-url",
    "data-okviz-no-labels",
];

/// Raster formats an embedded image may use.
const DATA_IMAGE_PREFIXES: &[&str] =
    &["data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/webp", "data:image/gif"];

/// The result of an import: the map and what the author should know about the source.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The map.
    pub map: Map,
    /// Problems found in the source and what import changed.
    pub findings: Vec<Finding>,
    /// Number of elements whose style came from CSS classes.
    pub css_class_elements: usize,
}

/// Where a `<use>` copy goes: after its siblings, or in the place a deferred `<use>` held.
enum Slot {
    Push(Option<NodeKey>),
    Replace(NodeKey),
}

/// Parses SVG text into a map.
///
/// Two passes over the text, neither building a tree of it: the first reads the CSS, the ids
/// `<use>` refers to and anything unsafe; the second builds the map as elements end, keeping
/// whole only the element being read and the targets of `<use>`.
pub fn import_svg(text: &str) -> Result<Imported, ImportError> {
    import_svg_keeping(text, true)
}

/// [`import_svg`], keeping the text of each path for a lossless save or not.
pub fn import_svg_keeping(text: &str, path_text: bool) -> Result<Imported, ImportError> {
    // Before the text is read: references to entities are expanded as it is.
    let prologue = prologue::read(text)?;
    if let Some(imported) = import_with(text, &prologue, survey::head(text)?, path_text)? {
        return Ok(imported);
    }
    import_with(text, &prologue, survey::survey(text, &prologue)?, path_text)?
        .ok_or_else(|| ImportError::Internal("a surveyed document asked to be surveyed".into()))
}

/// Reads the document into a map knowing what `survey` found; `None` when the document must
/// be surveyed whole first (CSS after its content, a `<use>` of an element read before it).
fn import_with(
    text: &str,
    prologue: &Prologue,
    mut survey: Survey,
    path_text: bool,
) -> Result<Option<Imported>, ImportError> {
    let referenced = std::mem::take(&mut survey.referenced);
    let unsafe_removed = std::mem::take(&mut survey.unsafe_removed);
    let unsupported = std::mem::take(&mut survey.unsupported);
    let sheet = Sheet::parse(&survey.styles);
    let mut imp = Importer {
        sheet,
        map: Map::with_capacity(ViewBox { x: 0.0, y: 0.0, width: 100.0, height: 100.0 }, survey.elements),
        findings: Vec::new(),
        unsafe_removed,
        unsupported,
        external: Removals::default(),
        surveyed: survey.complete,
        path_text,
        styles_read: 0,
        needs_survey: false,
        referenced,
        targets: HashMap::new(),
        deferred: Vec::new(),
        reading: true,
        use_stack: Vec::new(),
        in_use: 0,
        created: 0,
        css_class_elements: 0,
        styles: StyleInterner::default(),
        shape_styles: HashMap::new(),
        use_limit: USE_BUDGET_BYTES + 4 * text.len() as u64,
        use_budget: USE_BUDGET_BYTES + 4 * text.len() as u64,
        use_sizes: HashMap::new(),
        view_box_note: None,
    };
    imp.walk(text, prologue, survey.styles.len())?;
    if !imp.needs_survey {
        imp.reading = false;
        imp.resolve_deferred()?;
    }
    if imp.needs_survey {
        return Ok(None);
    }
    imp.fit_view_box();
    if survey.css_import {
        imp.external.add("CSS @import");
    }
    Ok(Some(imp.finish(prologue)))
}

/// A `<use>` read before its target: its node holds the place until the target has been read.
struct Deferred<'a> {
    key: NodeKey,
    use_el: Element<'a>,
    inh: Inherited,
    depth: usize,
}

struct Importer<'a> {
    sheet: Sheet<'a>,
    map: Map,
    findings: Vec<Finding>,
    unsafe_removed: Removals,
    unsupported: Removals,
    external: Removals,
    /// The whole document was surveyed first (else the walk finds what is unsafe, and asks
    /// for the survey when what it knows is not enough).
    surveyed: bool,
    /// Each path keeps the text it was read from (for a lossless save).
    path_text: bool,
    /// CSS `<style>` elements read so far.
    styles_read: usize,
    /// The walk found CSS it did not know of, or a `<use>` of an element it did not keep.
    needs_survey: bool,
    /// The ids `<use>` elements refer to (without a survey: those of uses read so far).
    referenced: HashSet<String>,
    /// The elements with those ids, kept whole once read (the first of each id).
    targets: HashMap<String, Rc<Element<'a>>>,
    deferred: Vec<Deferred<'a>>,
    /// True while the document is being read (a `<use>` target may still come).
    reading: bool,
    use_stack: Vec<String>,
    in_use: usize,
    created: usize,
    css_class_elements: usize,
    styles: StyleInterner,
    shape_styles: HashMap<(u64, Decls), Style>,
    /// Bytes `<use>` may copy in all.
    use_limit: u64,
    /// Bytes `<use>` may still copy.
    use_budget: u64,
    /// The bytes one copy of a `<use>` target costs, by target id.
    use_sizes: HashMap<String, u64>,
    /// Where the viewBox of a root without one comes from.
    view_box_note: Option<&'static str>,
}

impl<'a> Importer<'a> {
    /// The root `<svg>` as it starts: size, artboard and metadata; the context its children
    /// inherit.
    fn root(&mut self, root: &Element<'_>) -> Result<Inherited, ImportError> {
        if root.name != "svg" {
            return Err(ImportError::NotSvg(format!("the root element is <{}>, not <svg>", root.name)));
        }
        if root.ns.is_some_and(|ns| ns != Ns::Svg) {
            return Err(ImportError::NotSvg("the root <svg> is not in the SVG namespace".into()));
        }
        let size = (root.attribute("width"), root.attribute("height"));
        let vb = match root.attribute("viewBox") {
            Some(text) => Some(attrs::view_box(text).ok_or_else(|| {
                ImportError::BadViewBox(format!(
                    "the viewBox \"{}\" is not four sane numbers with a positive size",
                    truncate(text)
                ))
            })?),
            None => None,
        };
        self.map.width = size.0.map(str::to_owned);
        self.map.height = size.1.map(str::to_owned);
        self.map.meta = MapMeta {
            author: root.attribute("data-okviz-svg-author").map(str::to_owned),
            attribution: root.attribute("data-okviz-svg-attribution").map(str::to_owned),
            autofetch: root.attribute("data-okviz-autofetch").map(str::to_owned),
            no_labels: root.attribute("data-okviz-no-labels").map(attrs::boolean),
            title: None,
            description: None,
            label: root.attribute("aria-label").map(str::to_owned),
        };
        let explicit = vb.or_else(|| {
            let w = attrs::length(size.0?, 0.0)?;
            let h = attrs::length(size.1?, 0.0)?;
            (w > 0.0 && h > 0.0).then_some(ViewBox { x: 0.0, y: 0.0, width: w, height: h })
        });
        if let Some(vb) = explicit {
            self.map.view_box = vb;
        }
        self.view_box_note = match (vb, explicit) {
            (Some(_), _) => None,
            (None, Some(_)) => Some("taken from its width and height"),
            (None, None) => Some("fitted to its content"),
        };
        let specified = self.specified(root);
        Ok(Inherited::default().child(&specified))
    }

    /// A map without a viewBox gets one (from its size, else fitted to its content) and a
    /// finding saying so.
    fn fit_view_box(&mut self) {
        let Some(note) = self.view_box_note else { return };
        if note == "fitted to its content" {
            let content =
                self.map.roots().iter().filter_map(|&k| self.map.bbox_in_doc(k)).reduce(|a, b| a.union(b));
            if let Some(r) = content.filter(|r| r.width() > 0.0 && r.height() > 0.0) {
                self.map.view_box = ViewBox { x: r.x0, y: r.y0, width: r.width(), height: r.height() };
            }
        }
        self.findings.push(Finding::new(
            Severity::Warning,
            "missing-viewbox",
            format!("the map has no viewBox; export writes one {note}"),
        ));
    }

    fn children(
        &mut self,
        x: &Element<'a>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        for child in x.elements() {
            self.element(child, parent, inh, depth)?;
        }
        Ok(())
    }

    fn element(
        &mut self,
        x: &Element<'a>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        if depth > MAX_DEPTH {
            return Err(ImportError::TooDeep { limit: MAX_DEPTH });
        }
        match x.ns {
            Some(Ns::Svg) => {}
            Some(Ns::Inkscape | Ns::Sodipodi) => return Ok(()),
            Some(Ns::Synmap) => {
                self.editor_element(x);
                return Ok(());
            }
            _ => {
                self.unsupported.add(format!("element {}", x.name));
                return Ok(());
            }
        }
        let name = x.name;
        match name {
            "g" | "a" | "switch" => {
                if name == "a" && href(x).is_some() {
                    self.unsupported
                        .add("link of an <a> element (its content is kept; use data-okviz-link-url)");
                }
                let (node, child_inh) = self.group_node(x, inh);
                let key = self.push(parent, node)?;
                self.children(x, Some(key), &child_inh, depth + 1)?;
            }
            "rect" | "circle" | "ellipse" | "line" | "polyline" | "polygon" | "path" => {
                if let Some(geometry) = self.geometry(x) {
                    let mut specified = self.specified(x);
                    inh.resolve_inherit(&mut specified);
                    let mut node = self.common(x, NodeKind::Shape(geometry));
                    node.style = self.shape_style(inh, specified);
                    self.push(parent, node)?;
                }
            }
            "text" => {
                let mut node = self.common(x, NodeKind::Decor(XmlElement::default()));
                let (mut el, decls) = self.xml_styled(x, Some(inh), depth)?;
                node.style = self.styles.intern(decls);
                // What the node holds as fields is written from them, never twice.
                el.retain_attrs(|(k, _)| {
                    !matches!(k.as_str(), "id" | "transform") && !OKVIZ_NODE_ATTRS.contains(&k.as_str())
                });
                node.set_attrs(Box::default());
                node.title = None;
                node.kind = NodeKind::Decor(el);
                self.push(parent, node)?;
            }
            "image" => self.image(x, parent, inh)?,
            "use" => self.use_element(x, parent, inh, depth)?,
            "defs" => {
                for def in x.elements() {
                    self.def(def, depth + 1)?;
                }
            }
            n if DEF_ELEMENTS.contains(&n) => self.def(x, depth)?,
            "symbol" | "style" | "title" | "desc" | "metadata" => {}
            n if UNSAFE_ELEMENTS.contains(&n) => {}
            n => self.unsupported.add(format!("element <{n}>")),
        }
        Ok(())
    }

    /// Editor-only state saved in synmap's namespace: guides.
    fn editor_element(&mut self, x: &Element<'_>) {
        let position = x.attribute("position").and_then(|p| attrs::length(p, 0.0));
        if let (true, Some(position)) = (x.name == "guide", position) {
            self.map.guides.push(Guide { vertical: x.attribute("axis") == Some("x"), position });
        }
    }

    fn push(&mut self, parent: Option<NodeKey>, node: Node) -> Result<NodeKey, ImportError> {
        self.created += 1;
        if self.created > MAX_MAP_NODES {
            return Err(ImportError::TooManyElements { limit: MAX_MAP_NODES });
        }
        Ok(self.map.push(parent, node))
    }

    /// The complete style of a shape, shared with every shape of the same context and
    /// declarations (computed once for the thousands of rooms of a large map).
    fn shape_style(&mut self, inh: &Inherited, specified: Decls) -> Style {
        let key = (inh.id(), specified);
        if let Some(style) = self.shape_styles.get(&key) {
            return style.clone();
        }
        let style = self.styles.intern(inh.full_style(&key.1));
        self.shape_styles.insert(key, style.clone());
        style
    }

    /// The element's specified declarations (counting those styled by CSS classes).
    fn specified(&mut self, x: &Element<'_>) -> Decls {
        if x.attribute("class").is_some() && self.sheet.has_rules() {
            self.css_class_elements += 1;
        }
        x.specified.clone()
    }

    /// A group node and the inherited context for its children.
    fn group_node(&mut self, x: &Element<'_>, inh: &Inherited) -> (Node, Inherited) {
        let mut specified = self.specified(x);
        inh.resolve_inherit(&mut specified);
        let child_inh = inh.child(&specified);
        let mut node = self.common(x, NodeKind::Group(Vec::new()));
        node.style = self.styles.intern(specified.into_iter().filter(|(k, _)| !is_inherited(k)).collect());
        (node, child_inh)
    }

    /// Id, title, Synoptic attributes, transform and carried attributes of a group or shape.
    fn common(&mut self, x: &Element<'_>, kind: NodeKind) -> Node {
        let mut node = Node::new(kind);
        if self.in_use == 0 {
            node.id = self.id(x);
        }
        if let Some((text, from)) = title(x) {
            (node.title, node.title_attr) = (Some(text.into()), from);
        }
        node.area_type = x.attribute("data-okviz-area-type").and_then(AreaType::parse);
        if x.attribute("data-okviz-unbound").is_some_and(attrs::boolean) {
            node.set_binding(Binding::DoNotBind);
        } else if let Some(v) = x.attribute("data-okviz-strong").filter(|v| !v.trim().is_empty()) {
            node.set_binding(Binding::Strong(v.into()));
        }
        node.set_drill_url(x.attribute("data-okviz-drill-url").map(Into::into));
        node.set_link_url(x.attribute("data-okviz-link-url").map(Into::into));
        node.no_labels = x.attribute("data-okviz-no-labels").map(attrs::boolean);
        node.hidden = x.attribute_ns(Ns::Synmap, "hidden").is_some_and(attrs::boolean);
        node.locked = x.attribute_ns(Ns::Synmap, "locked").is_some_and(attrs::boolean);
        node.reference = x.attribute_ns(Ns::Synmap, "reference").is_some_and(attrs::boolean);
        if let Some(t) = x.attribute("transform") {
            match attrs::transform(t) {
                Some(t) => node.set_transform(t),
                None => self.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "bad-transform",
                        format!("ignored a malformed transform \"{}\"", truncate(t)),
                    )
                    .at(element_label(x)),
                ),
            }
        }
        node.set_attrs(carried_attrs(x, node.title.as_deref()));
        node
    }

    /// The id exactly as read (`check` reports one the rules would write differently).
    fn id(&mut self, x: &Element<'_>) -> Option<RawId> {
        RawId::new(x.attribute("id")?)
    }

    fn geometry(&mut self, x: &Element<'_>) -> Option<Geometry> {
        let vb = self.map.view_box;
        let len = |name: &str, of: f64| x.attribute(name).map_or(Some(0.0), |v| attrs::length(v, of));
        let diag = (vb.width.hypot(vb.height)) / std::f64::consts::SQRT_2;
        let geometry = match x.name {
            "rect" => {
                let (x0, y0) = (len("x", vb.width)?, len("y", vb.height)?);
                let (w, h) = (len("width", vb.width)?, len("height", vb.height)?);
                let rx = x.attribute("rx").and_then(|v| attrs::length(v, vb.width));
                let ry = x.attribute("ry").and_then(|v| attrs::length(v, vb.height));
                (w >= 0.0 && h >= 0.0).then(|| Geometry::Rect {
                    rect: Rect::new(x0, y0, x0 + w, y0 + h),
                    rx,
                    ry,
                })
            }
            "circle" => {
                let r = len("r", diag)?;
                (r >= 0.0).then(|| {
                    Geometry::Circle(Circle::new(
                        (len("cx", vb.width).unwrap_or(0.0), len("cy", vb.height).unwrap_or(0.0)),
                        r,
                    ))
                })
            }
            "ellipse" => {
                let (rx, ry) = (len("rx", vb.width)?, len("ry", vb.height)?);
                let center = Point::new(len("cx", vb.width)?, len("cy", vb.height)?);
                (rx >= 0.0 && ry >= 0.0).then_some(Geometry::Ellipse { center, rx, ry })
            }
            "line" => Some(Geometry::Line(Line::new(
                (len("x1", vb.width)?, len("y1", vb.height)?),
                (len("x2", vb.width)?, len("y2", vb.height)?),
            ))),
            "polyline" => attrs::points(x.attribute("points").unwrap_or("")).map(Geometry::Polyline),
            "polygon" => attrs::points(x.attribute("points").unwrap_or("")).map(Geometry::Polygon),
            "path" => match x.attribute("d").map(|d| (d, attrs::path(d))) {
                Some((d, Ok((p, truncated)))) => {
                    if truncated {
                        self.findings.push(
                            Finding::new(
                                Severity::Warning,
                                "bad-path-data",
                                "path data has an error; kept the part before it",
                            )
                            .at(element_label(x)),
                        );
                    }
                    // The text is kept only when all of it was read.
                    Some(Geometry::Path(p.into(), (self.path_text && !truncated).then(|| d.into())))
                }
                _ => None,
            },
            _ => None,
        };
        if geometry.is_none() {
            self.findings.push(
                Finding::new(
                    Severity::Error,
                    "bad-geometry",
                    format!("dropped a <{}> with missing, malformed or absurd geometry", x.name),
                )
                .at(element_label(x)),
            );
        }
        geometry
    }

    fn image(
        &mut self,
        x: &Element<'_>,
        parent: Option<NodeKey>,
        inh: &Inherited,
    ) -> Result<(), ImportError> {
        let Some(h) = href(x) else { return Ok(()) };
        if !is_data_image(h) {
            self.external.add(format!("image {}", describe_ref(h)));
            return Ok(());
        }
        if super::sanitize::data_image(h).is_none() {
            self.unsafe_removed.add(format!(
                "embedded image that is damaged or over {} megapixels",
                super::sanitize::MAX_IMAGE_PIXELS / (1024 * 1024)
            ));
            return Ok(());
        }
        if x.attribute_ns(Ns::Synmap, "role") == Some("tracing") {
            let vb = self.map.view_box;
            let len = |n: &str, of: f64| x.attribute(n).and_then(|v| attrs::length(v, of)).unwrap_or(0.0);
            let (x0, y0) = (len("x", vb.width), len("y", vb.height));
            let rect = Rect::new(x0, y0, x0 + len("width", vb.width), y0 + len("height", vb.height));
            let opacity = x.attribute("opacity").and_then(|o| o.trim().parse().ok()).unwrap_or(1.0_f64);
            self.map.tracing =
                Some(TracingImage { data_url: h.into(), rect, opacity: opacity.clamp(0.0, 1.0) });
            return Ok(());
        }
        let mut node = self.common(x, NodeKind::Decor(XmlElement::default()));
        let mut specified = self.specified(x);
        inh.resolve_inherit(&mut specified);
        node.style = self.styles.intern(specified);
        let mut attrs = Vec::new();
        for n in ["x", "y", "width", "height", "preserveAspectRatio"] {
            if let Some(v) = x.attribute(n) {
                attrs.push((n.to_owned(), v.to_owned()));
            }
        }
        attrs.push(("href".into(), h.to_owned()));
        node.retain_attrs(|k| !["href", "x", "y", "width", "height", "preserveAspectRatio"].contains(&k));
        node.kind = NodeKind::Decor(XmlElement::new("image", attrs, Vec::new()));
        self.push(parent, node)?;
        Ok(())
    }

    fn use_element(
        &mut self,
        x: &Element<'a>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        let Some(h) = href(x) else { return Ok(()) };
        let Some(target_id) = h.strip_prefix('#') else {
            self.external.add(format!("use {}", describe_ref(h)));
            return Ok(());
        };
        match self.targets.get(target_id) {
            Some(target) => {
                let target = Rc::clone(target);
                self.copy(x, &target, Slot::Push(parent), inh, depth)
            }
            None if self.reading => {
                // The target may come later in the document: hold the place.
                if !self.surveyed {
                    self.referenced.insert(target_id.to_owned());
                }
                let key = self.push(parent, Node::new(NodeKind::Group(Vec::new())))?;
                self.deferred.push(Deferred { key, use_el: x.clone(), inh: inh.clone(), depth });
                Ok(())
            }
            None => {
                self.broken_reference(target_id);
                Ok(())
            }
        }
    }

    /// The `<use>` elements read before their targets, now that the whole document is read.
    fn resolve_deferred(&mut self) -> Result<(), ImportError> {
        for d in std::mem::take(&mut self.deferred) {
            let target_id = href(&d.use_el).and_then(|h| h.strip_prefix('#')).unwrap_or_default();
            match self.targets.get(target_id) {
                Some(target) => {
                    let target = Rc::clone(target);
                    self.copy(&d.use_el, &target, Slot::Replace(d.key), &d.inh, d.depth)?;
                }
                // Perhaps read before the `<use>`, and not kept: survey the document.
                None if !self.surveyed => {
                    self.needs_survey = true;
                    return Ok(());
                }
                None => {
                    self.broken_reference(target_id);
                    self.map.detach(d.key);
                }
            }
        }
        Ok(())
    }

    fn broken_reference(&mut self, target_id: &str) {
        self.findings.push(Finding::new(
            Severity::Warning,
            "broken-reference",
            format!("<use> refers to a missing element \"#{target_id}\""),
        ));
    }

    /// A copy of `target` for the `<use>` element `x`: a group with the use's transform and
    /// style holding the target (a symbol's content, fitted to the use's viewport).
    fn copy(
        &mut self,
        x: &Element<'a>,
        target: &Element<'a>,
        slot: Slot,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        let target_id = target.attribute("id").unwrap_or_default().to_owned();
        if self.use_stack.contains(&target_id) {
            self.findings.push(Finding::new(
                Severity::Warning,
                "reference-cycle",
                format!("<use> of \"#{target_id}\" refers to itself"),
            ));
            if let Slot::Replace(key) = slot {
                self.map.detach(key);
            }
            return Ok(());
        }
        let (mut node, child_inh) = self.group_node(x, inh);
        node.retain_attrs(|k| !["href", "x", "y", "width", "height"].contains(&k));
        let vb = self.map.view_box;
        let dx = x.attribute("x").and_then(|v| attrs::length(v, vb.width)).unwrap_or(0.0);
        let dy = x.attribute("y").and_then(|v| attrs::length(v, vb.height)).unwrap_or(0.0);
        node.set_transform(node.transform() * Affine::translate((dx, dy)));
        if target.is("symbol")
            && let Some(t) = symbol_transform(target, x)
        {
            node.set_transform(node.transform() * t);
        }
        let cost = self.use_cost(&target_id, target);
        if cost > self.use_budget {
            return Err(ImportError::UseExpansion { limit: self.use_limit });
        }
        self.use_budget -= cost;
        let key = match slot {
            Slot::Push(parent) => self.push(parent, node)?,
            Slot::Replace(key) => {
                self.map.replace(key, node);
                key
            }
        };
        self.use_stack.push(target_id);
        self.in_use += 1;
        let result = if target.is("symbol") {
            let mut specified = self.specified(target);
            child_inh.resolve_inherit(&mut specified);
            let inner = child_inh.child(&specified);
            self.children(target, Some(key), &inner, depth + 1)
        } else {
            self.element(target, Some(key), &child_inh, depth + 1)
        };
        self.in_use -= 1;
        self.use_stack.pop();
        result
    }

    /// What one copy of a `<use>` target costs: its elements, attributes and text.
    fn use_cost(&mut self, id: &str, target: &Element<'_>) -> u64 {
        fn cost(el: &Element<'_>) -> u64 {
            let attrs: usize = el.attrs.iter().map(|a| a.local.len() + a.value.len()).sum();
            let children: u64 = el
                .children
                .iter()
                .map(|c| match c {
                    Child::Element(e) => cost(e),
                    Child::Text(t) => t.len() as u64,
                })
                .sum();
            USE_NODE_COST + attrs as u64 + children
        }
        if let Some(&n) = self.use_sizes.get(id) {
            return n;
        }
        let n = cost(target);
        self.use_sizes.insert(id.to_owned(), n);
        n
    }

    fn def(&mut self, x: &Element<'_>, depth: usize) -> Result<(), ImportError> {
        let name = x.name;
        if x.ns != Some(Ns::Svg) || matches!(name, "style" | "title" | "desc" | "symbol") {
            return Ok(());
        }
        if UNSAFE_ELEMENTS.contains(&name) {
            return Ok(());
        }
        let el = self.xml(x, None, depth)?;
        self.map.defs.push(el);
        Ok(())
    }

    /// Copies an element subtree as XML, resolving CSS classes into `style` and dropping
    /// unsafe elements, event attributes and external references.
    fn xml(
        &mut self,
        x: &Element<'_>,
        inherited: Option<&Inherited>,
        depth: usize,
    ) -> Result<XmlElement, ImportError> {
        let (mut el, decls) = self.xml_styled(x, inherited, depth)?;
        if !decls.is_empty() {
            let mut attrs = std::mem::take(&mut el.attrs).into_vec();
            attrs.push(("style".into(), Style::from_iter(decls).to_css()));
            el.attrs = attrs.into();
        }
        Ok(el)
    }

    /// [`Importer::xml`], with the element's own resolved style returned instead of written
    /// as its `style` attribute (a label's node holds it as its style).
    fn xml_styled(
        &mut self,
        x: &Element<'_>,
        inherited: Option<&Inherited>,
        depth: usize,
    ) -> Result<(XmlElement, Decls), ImportError> {
        if depth > MAX_DEPTH {
            return Err(ImportError::TooDeep { limit: MAX_DEPTH });
        }
        self.created += 1;
        if self.created > MAX_MAP_NODES {
            return Err(ImportError::TooManyElements { limit: MAX_MAP_NODES });
        }
        let mut specified = self.specified(x);
        let decls = match inherited {
            Some(inh) => {
                inh.resolve_inherit(&mut specified);
                inh.full_style(&specified)
            }
            None => {
                specified.retain(|(_, v)| v != "inherit");
                specified
            }
        };
        let (mut attrs, mut children) = (Vec::new(), Vec::new());
        for a in &x.attrs {
            let local = a.local;
            let name = match a.ns {
                None if is_event_attribute(local) => continue,
                None if matches!(local, "class" | "style") || is_property(local) => continue,
                None => local.to_owned(),
                Some(Ns::Xlink) if local == "href" => "href".to_owned(),
                Some(Ns::Xml) => format!("xml:{local}"),
                Some(_) => continue,
            };
            if name == "href" && !a.value.starts_with('#') && !is_data_image(&a.value) {
                self.external.add(format!("reference {}", describe_ref(&a.value)));
                continue;
            }
            attrs.push((name, a.value.clone().into_owned()));
        }
        for child in &x.children {
            let child = match child {
                Child::Text(t) => {
                    children.push(XmlNode::Text(t.clone().into_owned()));
                    continue;
                }
                Child::Element(child) => child,
            };
            if child.ns != Some(Ns::Svg) || child.name == "style" || UNSAFE_ELEMENTS.contains(&child.name) {
                continue;
            }
            children.push(XmlNode::Element(Box::new(self.xml(child, None, depth + 1)?)));
        }
        Ok((XmlElement::new(x.name, attrs, children), decls))
    }

    /// What the prologue declares that a map must not use: external DTDs and entities and
    /// processing instructions. (The survey found the rest of what is unsafe.)
    fn unsafe_prologue(&mut self, prologue: &Prologue) {
        if prologue.external_dtd {
            self.unsafe_removed.add("external DTD (never read)");
        }
        for _ in 0..prologue.external_entities {
            self.unsafe_removed.add("external entity (never read)");
        }
        for target in &prologue.instructions {
            if target.eq_ignore_ascii_case("xml-stylesheet") {
                self.unsafe_removed.add("processing instruction <?xml-stylesheet?>");
            } else {
                self.unsupported.add(format!("processing instruction <?{target}?>"));
            }
        }
    }

    fn finish(mut self, prologue: &Prologue) -> Imported {
        self.unsafe_prologue(prologue);
        for (what, n) in self.unsafe_removed.iter() {
            self.findings.push(Finding::new(
                Severity::Error,
                "unsafe-content",
                format!("removed {what} ({n}×): the visual does not allow it"),
            ));
        }
        for (what, n) in self.external.iter() {
            self.findings.push(Finding::new(
                Severity::Warning,
                "external-reference",
                format!("not loaded: {what} ({n}×); maps may only embed data: images"),
            ));
        }
        for (what, n) in self.unsupported.iter() {
            self.findings.push(Finding::new(
                Severity::Warning,
                "unsupported-content",
                format!("removed unsupported {what} ({n}×)"),
            ));
        }
        if self.css_class_elements > 0 {
            self.findings.push(Finding::new(
                Severity::Warning,
                "css-classes",
                format!("{} elements are styled by CSS classes, which the visual may not apply; export writes inline styles", self.css_class_elements),
            ));
        }
        Imported { map: self.map, findings: self.findings, css_class_elements: self.css_class_elements }
    }
}

/// The attributes a node carries through untouched: all but those it holds as fields or
/// styles, event handlers, and a name already taken as its `title`.
fn carried_attrs(x: &Element<'_>, title: Option<&str>) -> Box<[(String, String)]> {
    let geometry_attrs = geometry_attrs(x.name);
    let mut out = Vec::new();
    for a in &x.attrs {
        let local = a.local;
        let title_source =
            matches!((a.ns, local), (None, "data-name" | "aria-label") | (Some(Ns::Inkscape), "label"));
        if title_source && title == Some(a.value.trim()) {
            continue;
        }
        let carried = match a.ns {
            None => {
                if is_event_attribute(local) {
                    continue;
                }
                let consumed = matches!(local, "id" | "class" | "style" | "transform")
                    || OKVIZ_NODE_ATTRS.contains(&local)
                    || is_property(local)
                    || geometry_attrs.contains(&local);
                (!consumed).then(|| local.to_owned())
            }
            Some(Ns::Inkscape) => Some(format!("inkscape:{local}")),
            Some(Ns::Sodipodi) => Some(format!("sodipodi:{local}")),
            Some(Ns::Xml) => Some(format!("xml:{local}")),
            Some(_) => None,
        };
        if let Some(name) = carried {
            out.push((name, a.value.clone().into_owned()));
        }
    }
    out.into_boxed_slice()
}

/// Attributes consumed as geometry by each shape element.
fn geometry_attrs(element: &str) -> &'static [&'static str] {
    match element {
        "rect" => &["x", "y", "width", "height", "rx", "ry"],
        "circle" => &["cx", "cy", "r"],
        "ellipse" => &["cx", "cy", "rx", "ry"],
        "line" => &["x1", "y1", "x2", "y2"],
        "polyline" | "polygon" => &["points"],
        "path" => &["d"],
        "use" => &["x", "y", "width", "height"],
        _ => &[],
    }
}

/// The text of an element's first `name` child (`title`, `desc`), its text nodes only, trimmed.
fn child_text(x: &Element<'_>, name: &str) -> Option<String> {
    x.elements().find(|c| c.is(name)).and_then(|c| trimmed(&c.text()))
}

/// The text without surrounding white space; `None` when nothing is left.
fn trimmed(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The element's title: its `<title>` child, else `inkscape:label`, `data-name` or `aria-label`,
/// with the attribute it came from.
fn title(x: &Element<'_>) -> Option<(String, Option<TitleAttr>)> {
    title_from(x, child_text(x, "title").as_deref())
}

/// [`title`] given the text of the element's first `<title>` child (a group's comes after it
/// has become a node).
fn title_from(x: &Element<'_>, child: Option<&str>) -> Option<(String, Option<TitleAttr>)> {
    if let Some(t) = child.and_then(trimmed) {
        return Some((t, None));
    }
    [
        (x.attribute_ns(Ns::Inkscape, "label"), TitleAttr::InkscapeLabel),
        (x.attribute("data-name"), TitleAttr::DataName),
        (x.attribute("aria-label"), TitleAttr::AriaLabel),
    ]
    .into_iter()
    .find_map(|(value, name)| value.and_then(trimmed).map(|t| (t, Some(name))))
}

/// An event handler attribute (`onclick`, `ONLOAD`, …), in any case.
fn is_event_attribute(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
}

/// A URL that runs script when followed: `javascript:` or `vbscript:` (white space and control
/// characters inside the scheme are ignored, as browsers do).
fn is_script_url(value: &str) -> bool {
    let scheme: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:") || scheme.starts_with("vbscript:")
}

fn href<'b>(x: &'b Element<'_>) -> Option<&'b str> {
    href_value(&x.attrs)
}

/// The target of `href` or `xlink:href` among these attributes, trimmed.
fn href_value<'b>(attrs: &'b [Attr<'_>]) -> Option<&'b str> {
    let find = |ns: Option<Ns>| attrs.iter().find(|a| a.ns == ns && a.local == "href");
    find(None).or_else(|| find(Some(Ns::Xlink))).map(|a| a.value.trim())
}

fn is_data_image(h: &str) -> bool {
    let lower = h.get(..16).unwrap_or(h).to_ascii_lowercase();
    DATA_IMAGE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Names a reference for a report without echoing a long or sensitive URL in full.
fn describe_ref(h: &str) -> String {
    match h.split_once(':') {
        Some((scheme, _)) if scheme.len() < 12 && !scheme.contains('/') => format!("({scheme}: URL)"),
        _ => "(relative file path)".to_owned(),
    }
}

/// The transform that maps a symbol's viewBox into the viewport the `use` gives it
/// (`xMidYMid meet`).
fn symbol_transform(symbol: &Element<'_>, use_el: &Element<'_>) -> Option<Affine> {
    let vb = attrs::view_box(symbol.attribute("viewBox")?)?;
    let w = use_el
        .attribute("width")
        .or(symbol.attribute("width"))
        .and_then(|v| attrs::length(v, 0.0))
        .unwrap_or(vb.width);
    let h = use_el
        .attribute("height")
        .or(symbol.attribute("height"))
        .and_then(|v| attrs::length(v, 0.0))
        .unwrap_or(vb.height);
    let s = (w / vb.width).min(h / vb.height);
    let tx = (w - vb.width * s) / 2.0 - vb.x * s;
    let ty = (h - vb.height * s) / 2.0 - vb.y * s;
    Some(Affine::new([s, 0.0, 0.0, s, tx, ty]))
}

/// How to name an element in a finding: its id, else its tag.
fn element_label(x: &Element<'_>) -> String {
    x.attribute("id").map_or_else(|| format!("<{}>", x.name), str::to_owned)
}

fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}
