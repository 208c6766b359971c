//! SVG import: any authoring tool's SVG into the map model, safely and with styles resolved.
//!
//! Never fetches a URL and never reads a file the map refers to: external images, `use`
//! references to other files and CSS `@import` are dropped and reported.

use foldhash::{HashMap, HashMapExt};

use kurbo::{Affine, Circle, Line, Point, Rect};
use roxmltree::{Document, Node as XNode, NodeId};

use super::attrs;
use super::css::{Decls, Inherited, Sheet, is_inherited, is_property};
use super::prologue::{self, Prologue};
use super::{INKSCAPE_NS, ImportError, SODIPODI_NS, SVG_NS, SYNMAP_NS, XLINK_NS, XML_NS};
use crate::binding::RawId;
use crate::findings::{Finding, Removals, Severity};
use crate::model::{
    AreaType, Binding, Geometry, Guide, Map, MapMeta, Node, NodeKey, NodeKind, Style, StyleInterner,
    TracingImage, ViewBox, XmlElement, XmlNode,
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

/// Parses SVG text into a map.
pub fn import_svg(text: &str) -> Result<Imported, ImportError> {
    // Before the tree is built: the parser expands entities as it goes.
    let prologue = prologue::read(text)?;
    let opts =
        roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: MAX_XML_NODES, ..Default::default() };
    let doc = Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => ImportError::TooManyElements { limit: MAX_XML_NODES as usize },
        e => ImportError::NotXml(e.to_string()),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(ImportError::NotSvg(format!(
            "the root element is <{}>, not <svg>",
            root.tag_name().name()
        )));
    }
    if root.tag_name().namespace().is_some_and(|ns| ns != SVG_NS) {
        return Err(ImportError::NotSvg("the root <svg> is not in the SVG namespace".into()));
    }
    let sheet = Sheet::collect(&doc);
    // Room for every element that can become a node (titles and text spans never do).
    let elements = doc
        .descendants()
        .filter(|n| n.is_element() && !matches!(n.tag_name().name(), "title" | "desc" | "tspan" | "style"))
        .count();
    let mut imp = Importer {
        doc: &doc,
        sheet,
        map: Map::with_capacity(ViewBox { x: 0.0, y: 0.0, width: 100.0, height: 100.0 }, elements),
        findings: Vec::new(),
        unsafe_removed: Removals::default(),
        unsupported: Removals::default(),
        external: Removals::default(),
        ids: None,
        use_stack: Vec::new(),
        in_use: 0,
        created: 0,
        css_class_elements: 0,
        styles: StyleInterner::default(),
        shape_styles: HashMap::new(),
        use_budget: USE_BUDGET_BYTES + 4 * text.len() as u64,
        use_sizes: HashMap::new(),
    };
    imp.root(root)?;
    Ok(imp.finish(&prologue))
}

struct Importer<'a, 'input> {
    doc: &'a Document<'input>,
    sheet: Sheet<'a>,
    map: Map,
    findings: Vec<Finding>,
    unsafe_removed: Removals,
    unsupported: Removals,
    external: Removals,
    ids: Option<HashMap<&'a str, NodeId>>,
    use_stack: Vec<NodeId>,
    in_use: usize,
    created: usize,
    css_class_elements: usize,
    styles: StyleInterner,
    shape_styles: HashMap<(u64, Decls), Style>,
    /// Bytes `<use>` may still copy.
    use_budget: u64,
    /// The bytes one copy of a `<use>` target costs, by target.
    use_sizes: HashMap<NodeId, u64>,
}

impl<'a, 'input> Importer<'a, 'input> {
    fn root(&mut self, root: XNode<'a, 'input>) -> Result<(), ImportError> {
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
            title: child_text(root, "title"),
            description: child_text(root, "desc"),
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
        let specified = self.specified(root);
        let inh = Inherited::default().child(&specified);
        self.children(root, None, &inh, 1)?;
        if vb.is_none() {
            let derived = match explicit {
                Some(_) => "taken from its width and height",
                None => {
                    let content = self
                        .map
                        .roots()
                        .iter()
                        .filter_map(|&k| self.map.bbox_in_doc(k))
                        .reduce(|a, b| a.union(b));
                    if let Some(r) = content.filter(|r| r.width() > 0.0 && r.height() > 0.0) {
                        self.map.view_box =
                            ViewBox { x: r.x0, y: r.y0, width: r.width(), height: r.height() };
                    }
                    "fitted to its content"
                }
            };
            self.findings.push(Finding::new(
                Severity::Warning,
                "missing-viewbox",
                format!("the map has no viewBox; export writes one {derived}"),
            ));
        }
        Ok(())
    }

    fn children(
        &mut self,
        x: XNode<'a, 'input>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        for child in x.children().filter(XNode::is_element) {
            self.element(child, parent, inh, depth)?;
        }
        Ok(())
    }

    fn element(
        &mut self,
        x: XNode<'a, 'input>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        if depth > MAX_DEPTH {
            return Err(ImportError::TooDeep { limit: MAX_DEPTH });
        }
        let tag = x.tag_name();
        match tag.namespace() {
            Some(SVG_NS) => {}
            Some(INKSCAPE_NS | SODIPODI_NS) => return Ok(()),
            Some(SYNMAP_NS) => {
                self.editor_element(x);
                return Ok(());
            }
            _ => {
                self.unsupported.add(format!("element {}", tag.name()));
                return Ok(());
            }
        }
        let name = tag.name();
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
                el.attrs.retain(|(k, _)| {
                    !matches!(k.as_str(), "id" | "transform") && !OKVIZ_NODE_ATTRS.contains(&k.as_str())
                });
                node.attrs.clear();
                node.title = None;
                node.kind = NodeKind::Decor(el);
                self.push(parent, node)?;
            }
            "image" => self.image(x, parent, inh)?,
            "use" => self.use_element(x, parent, inh, depth)?,
            "defs" => {
                for def in x.children().filter(XNode::is_element) {
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
    fn editor_element(&mut self, x: XNode<'_, '_>) {
        let position = x.attribute("position").and_then(|p| attrs::length(p, 0.0));
        if let (true, Some(position)) = (x.tag_name().name() == "guide", position) {
            self.map.guides.push(Guide { vertical: x.attribute("axis") == Some("x"), position });
        }
    }

    fn push(&mut self, parent: Option<NodeKey>, mut node: Node) -> Result<NodeKey, ImportError> {
        // Large maps hold hundreds of thousands of nodes: drop spare capacity.
        node.attrs.shrink_to_fit();
        if let NodeKind::Decor(el) = &mut node.kind {
            el.shrink_to_fit();
        }
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

    fn specified(&mut self, x: XNode<'_, '_>) -> Decls {
        if x.attribute("class").is_some() && self.sheet.has_rules() {
            self.css_class_elements += 1;
        }
        self.sheet.specified(x)
    }

    /// A group node and the inherited context for its children.
    fn group_node(&mut self, x: XNode<'a, 'input>, inh: &Inherited) -> (Node, Inherited) {
        let mut specified = self.specified(x);
        inh.resolve_inherit(&mut specified);
        let child_inh = inh.child(&specified);
        let mut node = self.common(x, NodeKind::Group(Vec::new()));
        node.style = self.styles.intern(specified.into_iter().filter(|(k, _)| !is_inherited(k)).collect());
        (node, child_inh)
    }

    /// Id, title, Synoptic attributes, transform and carried attributes of a group or shape.
    fn common(&mut self, x: XNode<'_, '_>, kind: NodeKind) -> Node {
        let mut node = Node::new(kind);
        if self.in_use == 0 {
            node.id = self.id(x);
        }
        if let Some((text, from)) = title(x) {
            (node.title, node.title_attr) = (Some(text), from);
        }
        node.area_type = x.attribute("data-okviz-area-type").and_then(AreaType::parse);
        if x.attribute("data-okviz-unbound").is_some_and(attrs::boolean) {
            node.binding = Binding::DoNotBind;
        } else if let Some(v) = x.attribute("data-okviz-strong").filter(|v| !v.trim().is_empty()) {
            node.binding = Binding::Strong(v.to_owned());
        }
        node.drill_url = x.attribute("data-okviz-drill-url").map(str::to_owned);
        node.link_url = x.attribute("data-okviz-link-url").map(str::to_owned);
        node.no_labels = x.attribute("data-okviz-no-labels").map(attrs::boolean);
        node.hidden = x.attribute((SYNMAP_NS, "hidden")).is_some_and(attrs::boolean);
        node.locked = x.attribute((SYNMAP_NS, "locked")).is_some_and(attrs::boolean);
        node.reference = x.attribute((SYNMAP_NS, "reference")).is_some_and(attrs::boolean);
        if let Some(t) = x.attribute("transform") {
            match attrs::transform(t) {
                Some(t) => node.transform = t,
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
        let geometry_attrs = geometry_attrs(x.tag_name().name());
        for a in x.attributes() {
            let local = a.name();
            // A name already taken as the title is not kept a second time.
            let title_source = matches!(
                (a.namespace(), local),
                (None, "data-name" | "aria-label") | (Some(INKSCAPE_NS), "label")
            );
            if title_source && node.title.as_deref() == Some(a.value().trim()) {
                continue;
            }
            let carried = match a.namespace() {
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
                Some(INKSCAPE_NS) => Some(format!("inkscape:{local}")),
                Some(SODIPODI_NS) => Some(format!("sodipodi:{local}")),
                Some(XML_NS) => Some(format!("xml:{local}")),
                Some(_) => None,
            };
            if let Some(name) = carried {
                node.attrs.push((name, a.value().to_owned()));
            }
        }
        node
    }

    /// The id exactly as read (`check` reports one the rules would write differently).
    fn id(&mut self, x: XNode<'_, '_>) -> Option<RawId> {
        RawId::new(x.attribute("id")?)
    }

    fn geometry(&mut self, x: XNode<'_, '_>) -> Option<Geometry> {
        let vb = self.map.view_box;
        let len = |name: &str, of: f64| x.attribute(name).map_or(Some(0.0), |v| attrs::length(v, of));
        let diag = (vb.width.hypot(vb.height)) / std::f64::consts::SQRT_2;
        let geometry = match x.tag_name().name() {
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
                    Some(Geometry::Path(p, (!truncated).then(|| d.into())))
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
                    format!("dropped a <{}> with missing, malformed or absurd geometry", x.tag_name().name()),
                )
                .at(element_label(x)),
            );
        }
        geometry
    }

    fn image(
        &mut self,
        x: XNode<'a, 'input>,
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
        if x.attribute((SYNMAP_NS, "role")) == Some("tracing") {
            let vb = self.map.view_box;
            let len = |n: &str, of: f64| x.attribute(n).and_then(|v| attrs::length(v, of)).unwrap_or(0.0);
            let (x0, y0) = (len("x", vb.width), len("y", vb.height));
            let rect = Rect::new(x0, y0, x0 + len("width", vb.width), y0 + len("height", vb.height));
            let opacity = x.attribute("opacity").and_then(|o| o.trim().parse().ok()).unwrap_or(1.0_f64);
            self.map.tracing =
                Some(TracingImage { data_url: h.to_owned(), rect, opacity: opacity.clamp(0.0, 1.0) });
            return Ok(());
        }
        let mut node = self.common(x, NodeKind::Decor(XmlElement::default()));
        let mut specified = self.specified(x);
        inh.resolve_inherit(&mut specified);
        node.style = self.styles.intern(specified);
        let mut el = XmlElement { name: "image".into(), attrs: Vec::new(), children: Vec::new() };
        for n in ["x", "y", "width", "height", "preserveAspectRatio"] {
            if let Some(v) = x.attribute(n) {
                el.attrs.push((n.to_owned(), v.to_owned()));
            }
        }
        el.attrs.push(("href".into(), h.to_owned()));
        node.attrs.retain(|(k, _)| {
            !matches!(k.as_str(), "href" | "x" | "y" | "width" | "height" | "preserveAspectRatio")
        });
        node.kind = NodeKind::Decor(el);
        self.push(parent, node)?;
        Ok(())
    }

    fn use_element(
        &mut self,
        x: XNode<'a, 'input>,
        parent: Option<NodeKey>,
        inh: &Inherited,
        depth: usize,
    ) -> Result<(), ImportError> {
        let Some(h) = href(x) else { return Ok(()) };
        let Some(target_id) = h.strip_prefix('#') else {
            self.external.add(format!("use {}", describe_ref(h)));
            return Ok(());
        };
        let Some(target) = self.lookup(target_id) else {
            self.findings.push(Finding::new(
                Severity::Warning,
                "broken-reference",
                format!("<use> refers to a missing element \"#{target_id}\""),
            ));
            return Ok(());
        };
        if self.use_stack.contains(&target.id()) {
            self.findings.push(Finding::new(
                Severity::Warning,
                "reference-cycle",
                format!("<use> of \"#{target_id}\" refers to itself"),
            ));
            return Ok(());
        }
        let (mut node, child_inh) = self.group_node(x, inh);
        node.attrs.retain(|(k, _)| !matches!(k.as_str(), "href" | "x" | "y" | "width" | "height"));
        let vb = self.map.view_box;
        let dx = x.attribute("x").and_then(|v| attrs::length(v, vb.width)).unwrap_or(0.0);
        let dy = x.attribute("y").and_then(|v| attrs::length(v, vb.height)).unwrap_or(0.0);
        node.transform *= Affine::translate((dx, dy));
        if target.has_tag_name((SVG_NS, "symbol"))
            && let Some(t) = symbol_transform(target, x)
        {
            node.transform *= t;
        }
        let cost = self.use_cost(target);
        if cost > self.use_budget {
            let limit = USE_BUDGET_BYTES + 4 * self.doc.input_text().len() as u64;
            return Err(ImportError::UseExpansion { limit });
        }
        self.use_budget -= cost;
        let key = self.push(parent, node)?;
        self.use_stack.push(target.id());
        self.in_use += 1;
        let result = if target.has_tag_name((SVG_NS, "symbol")) {
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
    fn use_cost(&mut self, target: XNode<'_, '_>) -> u64 {
        *self.use_sizes.entry(target.id()).or_insert_with(|| {
            target
                .descendants()
                .map(|n| {
                    let attrs: usize = n.attributes().map(|a| a.name().len() + a.value().len()).sum();
                    let text = if n.is_text() { n.text().map_or(0, str::len) } else { 0 };
                    let node = if n.is_element() { USE_NODE_COST } else { 0 };
                    node + (attrs + text) as u64
                })
                .sum()
        })
    }

    fn lookup(&mut self, id: &str) -> Option<XNode<'a, 'input>> {
        let doc = self.doc;
        let ids = self.ids.get_or_insert_with(|| {
            doc.descendants().filter_map(|n| Some((n.attribute("id")?, n.id()))).collect()
        });
        ids.get(id).and_then(|&nid| doc.get_node(nid))
    }

    fn def(&mut self, x: XNode<'a, 'input>, depth: usize) -> Result<(), ImportError> {
        let name = x.tag_name().name();
        if x.tag_name().namespace() != Some(SVG_NS) || matches!(name, "style" | "title" | "desc" | "symbol") {
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
        x: XNode<'_, '_>,
        inherited: Option<&Inherited>,
        depth: usize,
    ) -> Result<XmlElement, ImportError> {
        let (mut el, decls) = self.xml_styled(x, inherited, depth)?;
        if !decls.is_empty() {
            el.attrs.push(("style".into(), Style::from_iter(decls).to_css()));
        }
        Ok(el)
    }

    /// [`Importer::xml`], with the element's own resolved style returned instead of written
    /// as its `style` attribute (a label's node holds it as its style).
    fn xml_styled(
        &mut self,
        x: XNode<'_, '_>,
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
        let mut el =
            XmlElement { name: x.tag_name().name().to_owned(), attrs: Vec::new(), children: Vec::new() };
        for a in x.attributes() {
            let local = a.name();
            let name = match a.namespace() {
                None if is_event_attribute(local) => continue,
                None if matches!(local, "class" | "style") || is_property(local) => continue,
                None => local.to_owned(),
                Some(XLINK_NS) if local == "href" => "href".to_owned(),
                Some(XML_NS) => format!("xml:{local}"),
                Some(_) => continue,
            };
            if name == "href" && !a.value().starts_with('#') && !is_data_image(a.value()) {
                self.external.add(format!("reference {}", describe_ref(a.value())));
                continue;
            }
            el.attrs.push((name, a.value().to_owned()));
        }
        for child in x.children() {
            if child.is_text() {
                if let Some(t) = child.text() {
                    el.children.push(XmlNode::Text(t.to_owned()));
                }
                continue;
            }
            if !child.is_element() || child.tag_name().namespace() != Some(SVG_NS) {
                continue;
            }
            let n = child.tag_name().name();
            if UNSAFE_ELEMENTS.contains(&n) {
                continue;
            }
            if n == "style" {
                continue;
            }
            el.children.push(XmlNode::Element(Box::new(self.xml(child, None, depth + 1)?)));
        }
        Ok((el, decls))
    }

    /// Everything unsafe or external in the document, wherever it stands (inside shapes and
    /// titles too), in one pass: script and animation elements, event attributes, script URLs,
    /// external DTDs and entities, stylesheet processing instructions and CSS `@import`. None
    /// of it reaches the map.
    fn unsafe_content(&mut self, prologue: &Prologue) {
        let mut css_import = false;
        for n in self.doc.descendants() {
            if let Some(pi) = n.pi() {
                if !prologue.instructions.iter().any(|t| t == pi.target) {
                    self.unsupported.add(format!("processing instruction <?{}?>", pi.target));
                }
                continue;
            }
            if !n.is_element() {
                continue;
            }
            let name = n.tag_name().name();
            if UNSAFE_ELEMENTS.iter().any(|u| u.eq_ignore_ascii_case(name)) {
                self.unsafe_removed.add(format!("element <{name}>"));
            }
            css_import |=
                n.has_tag_name((SVG_NS, "style")) && n.text().is_some_and(|t| t.contains("@import"));
            for a in n.attributes() {
                if is_event_attribute(a.name()) {
                    self.unsafe_removed.add(format!("event attribute {}", a.name().to_ascii_lowercase()));
                } else if a.name() == "href" && is_script_url(a.value()) {
                    self.unsafe_removed.add("script URL in an href");
                }
            }
        }
        if css_import {
            self.external.add("CSS @import");
        }
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
        self.unsafe_content(prologue);
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
fn child_text(x: XNode<'_, '_>, name: &str) -> Option<String> {
    let child = x.children().find(|c| c.has_tag_name((SVG_NS, name)))?;
    let text: String = child.children().filter(XNode::is_text).filter_map(|c| c.text()).collect();
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The element's title: its `<title>` child, else `inkscape:label`, `data-name` or `aria-label`,
/// with the attribute it came from.
fn title(x: XNode<'_, '_>) -> Option<(String, Option<&'static str>)> {
    let text = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
    if let Some(t) = child_text(x, "title").as_deref().and_then(text) {
        return Some((t, None));
    }
    [
        ((INKSCAPE_NS, "label"), "inkscape:label"),
        (("", "data-name"), "data-name"),
        (("", "aria-label"), "aria-label"),
    ]
    .into_iter()
    .find_map(|((ns, local), name)| {
        let value = if ns.is_empty() { x.attribute(local) } else { x.attribute((ns, local)) };
        value.and_then(text).map(|t| (t, Some(name)))
    })
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

fn href<'b>(x: XNode<'b, '_>) -> Option<&'b str> {
    x.attribute("href").or_else(|| x.attribute((XLINK_NS, "href"))).map(str::trim)
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
fn symbol_transform(symbol: XNode<'_, '_>, use_el: XNode<'_, '_>) -> Option<Affine> {
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
fn element_label(x: XNode<'_, '_>) -> String {
    x.attribute("id").map_or_else(|| format!("<{}>", x.tag_name().name()), str::to_owned)
}

fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}
