//! Export: the map as a Synoptic-ready SVG — viewBox, inline styles only, valid unique ids,
//! `<title>` children, `data-okviz-*` attributes, sanitised by an allowlist.

use std::collections::HashMap;
use std::sync::Arc;

use super::css::is_property;
use super::optimise::{self, Decls, Plan};
use super::sanitize::Sanitizer;
use super::shapes::{ShapeTaker, ShapeWork, shortest_shape};
use super::values;
use super::write::{Num, attr, escape_attr, escape_text};
use crate::binding::{AreaId, RawId};
use crate::findings::Removals;
use crate::ids::UniqueIds;
use crate::model::{Binding, Geometry, Map, Node, NodeKey, NodeKind, Style, XmlElement, XmlNode};

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Decimals kept in numbers (0 to 8).
    pub precision: u8,
    /// Embed the tracing image under the map.
    pub include_tracing_image: bool,
    /// Fill colours replacing each node's own fill, indexed by [`NodeKey::index`] (previews).
    pub fill_override: Option<Vec<Option<String>>>,
    /// Trusted SVG markup appended after the map content (preview labels).
    pub overlay: Option<String>,
    /// Leave out text decorations (a render over its text budget).
    pub without_text: bool,
    /// Output pixels per user unit, when the export is rendered: bounds filter work.
    pub pixels_per_unit: Option<f64>,
    /// The map drawn at this opacity over the tracing image (the editor's canvas, so the plan
    /// being traced shows through what is drawn on it).
    pub over_tracing_opacity: Option<f64>,
    /// Write the editor's lossless save format instead of a Synoptic-ready export: ids as they
    /// are, carried attributes kept, and editor-only state (hidden, locked, tracing image,
    /// guides) in the `synmap:` namespace.
    pub lossless: bool,
    /// Write the map in its shortest form (see [`super::optimise`]): styles shared by a group's
    /// members moved up to it, default values dropped, colours, numbers and path data in their
    /// shortest form, shapes as paths where shorter, invisible decorations, empty groups,
    /// groups with nothing of their own and unused definitions left out, no white space
    /// between elements. Ids, titles, `data-okviz-*`, the order of areas and the picture stay.
    /// Ignored by the lossless format.
    pub optimise: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            precision: 3,
            include_tracing_image: false,
            fill_override: None,
            overlay: None,
            without_text: false,
            pixels_per_unit: None,
            over_tracing_opacity: None,
            lossless: false,
            optimise: true,
        }
    }
}

/// An id changed by export: invalid, or a duplicate of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rename {
    /// The id in the map.
    pub from: String,
    /// The id written.
    pub to: String,
}

/// The exported document and what export changed.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The SVG text.
    pub svg: String,
    /// Ids export changed (invalid or duplicate ones), areas first, in document order.
    pub renames: Vec<Rename>,
    /// What the sanitiser removed as unsupported, by kind.
    pub removed: Removals,
    /// What the sanitiser removed as unsafe (reaching outside the map or running script).
    pub unsafe_removed: Removals,
    /// Other editors' state the sanitiser removed (Inkscape's attributes): nothing to report.
    pub editor_state: Removals,
    /// The id written for each node.
    pub written_ids: WrittenIdTable,
}

/// The id the export writes for each node, all in one string: a string each took 3 MB for a
/// 50,000-room plan. (Ids come from a file of at most 64 MiB and grow at most fivefold when
/// written, so their places fit in 32 bits.)
#[derive(Debug, Clone, Default)]
pub struct WrittenIdTable {
    text: String,
    /// Start and end in `text`, by [`NodeKey::index`]; [`NO_ID`] for a node without an id.
    spans: Vec<(u32, u32)>,
}

/// The span of a node written without an id.
const NO_ID: (u32, u32) = (u32::MAX, u32::MAX);

impl WrittenIdTable {
    /// A table for `nodes` nodes, none with an id yet, with room for `bytes` of ids.
    fn new(nodes: usize, bytes: usize) -> Self {
        Self { text: String::with_capacity(bytes), spans: vec![NO_ID; nodes] }
    }

    fn set(&mut self, key: NodeKey, id: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(id);
        self.spans[key.index()] = (start, self.text.len() as u32);
    }

    /// The id written for `key`, if it has one.
    pub fn get(&self, key: NodeKey) -> Option<&str> {
        let &(start, end) = self.spans.get(key.index())?;
        ((start, end) != NO_ID).then(|| &self.text[start as usize..end as usize])
    }
}

/// Writes the map as a Synoptic-ready SVG.
pub fn export_svg(map: &Map, opts: &ExportOptions) -> Exported {
    export_into(map, opts, None).0
}

/// Writes the map as SVG to `sink` as it goes, so a large map's text is never held whole (a
/// lossless save of a map of millions of points); returns what export reports (`svg` empty).
pub fn write_svg(
    map: &Map,
    opts: &ExportOptions,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<Exported> {
    let (mut exported, error) = export_into(map, opts, Some(sink));
    match error {
        Some(e) => Err(e),
        None => {
            sink.write_all(exported.svg.as_bytes())?;
            exported.svg = String::new();
            Ok(exported)
        }
    }
}

/// What export reports, and the size of the text it writes, which is counted and never held
/// (the check of a large map).
pub fn export_measured(map: &Map, opts: &ExportOptions) -> (u64, Exported) {
    /// Counts what is written to it.
    struct Counter(u64);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let (mut exported, _) = export_into(map, opts, Some(&mut counter));
    let size = counter.0 + exported.svg.len() as u64;
    exported.svg = String::new();
    (size, exported)
}

/// The export, its text spilled to `sink` when there is one (what is left of it returned in
/// `svg`), and the first error writing to the sink.
fn export_into(
    map: &Map,
    opts: &ExportOptions,
    mut sink: Option<&mut dyn std::io::Write>,
) -> (Exported, Option<std::io::Error>) {
    let ids = WrittenIds::assign(map, opts.lossless);
    let (svg, removed, unsafe_removed, editor_state, sink_error) = {
        let refs = LazyRefs { ids: &ids, map, table: std::cell::OnceCell::new() };
        let vb = map.view_box;
        let optimise = opts.optimise && !opts.lossless;
        let num = if optimise { Num::lean(opts.precision) } else { Num::new(opts.precision) };
        let capacity = if sink.is_some() { 2 * SPILL_BYTES } else { map.key_bound() * 160 + 1024 };
        let work = optimise.then(|| ShapeWork::new(map, num, |key| written(map, opts, key)));
        let mut w = Writer {
            map,
            opts,
            num,
            plan: None,
            shapes: None,
            nl: if optimise { "" } else { "\n" },
            out: String::with_capacity(capacity),
            sink: sink.take(),
            sink_error: None,
            ids: &ids.nodes,
            def_ids: &ids.defs,
            sanitizer: Sanitizer::new(&refs, vb.width.max(vb.height), opts.pixels_per_unit, num),
            style_cache: foldhash::HashMap::default(),
        };
        if let Some(work) = &work {
            // The shapes' shortest geometry is worked out on the other core from the start,
            // and on this one too once the styles are planned, whichever is free.
            std::thread::scope(|scope| {
                let worker = scope.spawn(|| work.run_worker());
                w.shapes = Some(ShapeTaker::new(work, worker.thread().clone()));
                w.plan = Some(w.plan());
                w.document();
                // Stops the worker (a sink error ends writing early).
                w.shapes = None;
                // A panic there was met again here, where its chunk was worked out once more.
                let _ = worker.join();
            });
        } else {
            w.document();
        }
        let s = w.sanitizer;
        (w.out, s.removed, s.unsafe_removed, s.editor_state, w.sink_error)
    };
    let exported =
        Exported { svg, renames: ids.renames, removed, unsafe_removed, editor_state, written_ids: ids.nodes };
    (exported, sink_error)
}

/// Text written to a sink leaves memory in chunks of about this size (the buffer is twice
/// that: a quarter of a megabyte writes as fast as a megabyte, and holds less).
const SPILL_BYTES: usize = 1 << 17;

/// The id written for every node and definition.
struct WrittenIds<'m> {
    /// Per node.
    nodes: WrittenIdTable,
    /// Per definition element, by its address while the map is borrowed.
    defs: HashMap<usize, String>,
    /// Definitions with an id, in document order, and the id as read.
    defs_in_order: Vec<(&'m XmlElement, &'m str)>,
    renames: Vec<Rename>,
}

impl<'m> WrittenIds<'m> {
    /// Areas (groups and shapes) claim their ids first, in document order, so they keep them;
    /// an invalid area id is written by the id rules. Ids of definitions and decorations give
    /// way. In a lossless save every id is written as it is, duplicates included.
    fn assign(map: &'m Map, lossless: bool) -> Self {
        let mut defs_in_order: Vec<(&XmlElement, &str)> = Vec::new();
        let mut stack: Vec<&XmlElement> = map.defs.iter().rev().collect();
        while let Some(el) = stack.pop() {
            if let Some(id) = el.attr("id").filter(|id| !id.is_empty()) {
                defs_in_order.push((el, id));
            }
            stack.extend(el.children.iter().rev().filter_map(|c| match c {
                XmlNode::Element(e) => Some(&**e),
                XmlNode::Text(_) => None,
            }));
        }
        let mut unique = UniqueIds::default();
        let mut renames = Vec::new();
        let mut claim = |raw: &str| -> String {
            if lossless {
                return raw.to_owned();
            }
            let wanted =
                RawId::new(raw).map_or_else(|| AreaId::new("_").expect("a valid id"), |r| r.to_area_id());
            let written = unique.claim(&wanted).to_string();
            if written != raw {
                renames.push(Rename { from: raw.to_owned(), to: written.clone() });
            }
            written
        };
        let id_bytes = map.iter().filter_map(|(_, n)| n.id.as_ref()).map(|id| id.as_str().len()).sum();
        let mut nodes = WrittenIdTable::new(map.key_bound(), id_bytes);
        let is_area = |n: &Node| matches!(n.kind, NodeKind::Group(_) | NodeKind::Shape(_));
        for (key, node) in map.iter().filter(|(_, n)| is_area(n)) {
            if let Some(id) = &node.id {
                nodes.set(key, &claim(id.as_str()));
            }
        }
        let defs =
            defs_in_order.iter().map(|&(el, id)| (el as *const XmlElement as usize, claim(id))).collect();
        for (key, node) in map.iter().filter(|(_, n)| !is_area(n)) {
            if let Some(id) = &node.id {
                nodes.set(key, &claim(id.as_str()));
            }
        }
        WrittenIds { nodes, defs, defs_in_order, renames }
    }

    /// What each `#id` reference resolves to: the id written for the first holder of the id
    /// in the order written (definitions, then the map's nodes).
    fn refs<'s>(&'s self, map: &'m Map) -> HashMap<&'m str, &'s str> {
        let ids = map.iter().filter(|(_, n)| n.id.is_some()).count();
        let mut refs = HashMap::with_capacity(self.defs_in_order.len() + ids);
        for &(el, id) in &self.defs_in_order {
            refs.entry(id).or_insert(self.defs[&(el as *const XmlElement as usize)].as_str());
        }
        for (key, node) in map.iter() {
            if let (Some(id), Some(written)) = (&node.id, self.nodes.get(key)) {
                refs.entry(id.as_str()).or_insert(written);
            }
        }
        refs
    }
}

/// The ids references resolve to, tabled at the first reference met: most large maps have
/// none, and the table of a 50,000-room plan's ids took 4 MB.
struct LazyRefs<'s, 'm> {
    ids: &'s WrittenIds<'m>,
    map: &'m Map,
    table: std::cell::OnceCell<HashMap<&'m str, &'s str>>,
}

impl std::fmt::Debug for LazyRefs<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyRefs").field("table", &self.table).finish_non_exhaustive()
    }
}

impl values::Refs for LazyRefs<'_, '_> {
    fn written(&self, id: &str) -> Option<&str> {
        self.table.get_or_init(|| self.ids.refs(self.map)).get(id).copied()
    }
}

struct Writer<'a, 's> {
    map: &'a Map,
    opts: &'a ExportOptions,
    num: Num,
    /// What the optimised export writes of each node (none: everything as it is).
    plan: Option<Plan>,
    /// The optimised export's shapes, worked out on both cores.
    shapes: Option<ShapeTaker<'a, 'a>>,
    /// Written between elements: a newline, or nothing when optimising.
    nl: &'static str,
    out: String,
    /// Where `out` is spilled as it grows, if anywhere.
    sink: Option<&'s mut dyn std::io::Write>,
    /// The first error writing to `sink` (nothing more is written after it).
    sink_error: Option<std::io::Error>,
    ids: &'a WrittenIdTable,
    def_ids: &'a HashMap<usize, String>,
    sanitizer: Sanitizer<'a>,
    /// Sanitised declarations and the properties removed, per shared style.
    style_cache: foldhash::HashMap<usize, Arc<Sanitized>>,
}

/// A style's sanitised declarations, and the declarations sanitising removed.
type Sanitized = (Decls, Vec<(String, String)>);

impl Writer<'_, '_> {
    fn document(&mut self) {
        let map = self.map;
        let vb = map.view_box;
        if self.plan.is_none() {
            self.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        self.out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        let mut view_box = String::new();
        self.num.push_list(&mut view_box, &[vb.x, vb.y, vb.width, vb.height]);
        attr(&mut self.out, "viewBox", &view_box);
        for (name, value) in [("width", &map.width), ("height", &map.height)] {
            if let Some(v) = value.as_deref().filter(|v| super::attrs::length(v, 100.0).is_some()) {
                attr(&mut self.out, name, v);
            }
        }
        let meta = &map.meta;
        for (name, value) in
            [("data-okviz-svg-author", &meta.author), ("data-okviz-svg-attribution", &meta.attribution)]
        {
            if let Some(v) = value {
                attr(&mut self.out, name, &values::plain_text(v));
            }
        }
        if let Some(v) = &meta.autofetch {
            match values::autofetch(v) {
                Some(v) => attr(&mut self.out, "data-okviz-autofetch", &v),
                None => self.sanitizer.removed.add("attribute data-okviz-autofetch"),
            }
        }
        if let Some(b) = meta.no_labels {
            attr(&mut self.out, "data-okviz-no-labels", bool_str(b));
        }
        if self.opts.lossless {
            if let Some(label) = &meta.label {
                attr(&mut self.out, "aria-label", label);
            }
            self.lossless_namespaces();
        }
        self.out.push('>');
        self.out.push_str(self.nl);
        if self.opts.lossless {
            for (name, text) in [("title", &meta.title), ("desc", &meta.description)] {
                if let Some(text) = text {
                    self.out.push_str(&format!("<{name}>"));
                    super::write::escape_text(&mut self.out, text);
                    self.out.push_str(&format!("</{name}>\n"));
                }
            }
            for g in &map.guides {
                self.out.push_str("<synmap:guide");
                attr(&mut self.out, "axis", if g.vertical { "x" } else { "y" });
                attr(&mut self.out, "position", &self.num.fmt(g.position));
                self.out.push_str("/>\n");
            }
        }
        let used = self.plan.as_ref().map(|plan| self.used_definitions(plan));
        let written_id = |d: &XmlElement| self.def_ids.get(&(d as *const XmlElement as usize));
        let defs: Vec<&XmlElement> = map
            .defs
            .iter()
            .filter(|d| used.as_ref().is_none_or(|used| written_id(d).is_some_and(|id| used.contains(id))))
            .collect();
        if !defs.is_empty() {
            self.out.push_str("<defs>");
            self.out.push_str(self.nl);
            for def in defs {
                self.xml(def);
                self.out.push_str(self.nl);
            }
            self.out.push_str("</defs>");
            self.out.push_str(self.nl);
        }
        if self.opts.include_tracing_image || self.opts.lossless {
            self.tracing_image();
        }
        let see_through = self
            .opts
            .over_tracing_opacity
            .filter(|_| map.tracing.is_some() && self.opts.include_tracing_image);
        if let Some(opacity) = see_through {
            self.out.push_str("<g");
            attr(&mut self.out, "opacity", &self.num.fmt(opacity.clamp(0.0, 1.0)));
            self.out.push('>');
            self.out.push_str(self.nl);
        }
        for &key in map.roots() {
            self.node(key);
        }
        if see_through.is_some() {
            self.out.push_str("</g>");
            self.out.push_str(self.nl);
        }
        if let Some(overlay) = &self.opts.overlay {
            self.out.push_str(overlay);
        }
        self.out.push_str("</svg>");
        self.out.push_str(self.nl);
    }

    /// True when a lossless save writes the node's title as the attribute it was read from.
    fn title_in_attr(&self, node: &Node) -> bool {
        self.opts.lossless && node.title_attr.is_some()
    }

    /// Declares the namespaces a lossless save uses: synmap's own, and the editors' whose
    /// attributes the map carries.
    fn lossless_namespaces(&mut self) {
        attr(&mut self.out, "xmlns:synmap", super::SYNMAP_NS);
        let uses = |prefix: &str| {
            self.map.iter().any(|(_, n)| {
                n.attrs().iter().any(|(k, _)| k.starts_with(prefix))
                    || n.title_attr.is_some_and(|k| k.as_str().starts_with(prefix))
            })
        };
        let inkscape = uses("inkscape:");
        let sodipodi = uses("sodipodi:");
        if inkscape {
            attr(&mut self.out, "xmlns:inkscape", super::INKSCAPE_NS);
        }
        if sodipodi {
            attr(&mut self.out, "xmlns:sodipodi", super::SODIPODI_NS);
        }
    }

    fn tracing_image(&mut self) {
        let Some(t) = &self.map.tracing else { return };
        let Some(href) = self.sanitizer.attribute("href", &t.data_url) else { return };
        self.out.push_str("<image");
        for (name, v) in
            [("x", t.rect.x0), ("y", t.rect.y0), ("width", t.rect.width()), ("height", t.rect.height())]
        {
            attr(&mut self.out, name, &self.num.fmt(v));
        }
        if t.opacity < 1.0 {
            attr(&mut self.out, "opacity", &self.num.fmt(t.opacity.clamp(0.0, 1.0)));
        }
        attr(&mut self.out, "data-okviz-area-type", "decoration");
        if self.opts.lossless {
            attr(&mut self.out, "synmap:role", "tracing");
        }
        attr(&mut self.out, "href", &href);
        self.out.push_str("/>");
        self.out.push_str(self.nl);
    }

    /// Writes `out` to the sink once it holds a chunk (the document is a stream: any point is
    /// a fine place to cut it).
    fn spill(&mut self) {
        let Some(sink) = self.sink.as_mut() else { return };
        if self.out.len() >= SPILL_BYTES {
            if self.sink_error.is_none()
                && let Err(e) = sink.write_all(self.out.as_bytes())
            {
                self.sink_error = Some(e);
            }
            self.out.clear();
        }
    }

    fn node(&mut self, key: NodeKey) {
        self.spill();
        let map = self.map;
        let node = map.node(key);
        let mut name = node.element_name();
        if !self.written(key) {
            return;
        }
        if !self.sanitizer.element(name) {
            return;
        }
        if let Some(plan) = &self.plan {
            if plan.skip[key.index()] {
                // Left out as invisible: what its style lost is still reported.
                self.report_style_removals(key);
                return;
            }
            if plan.flatten[key.index()] {
                for &c in map.children(Some(key)) {
                    self.node(c);
                }
                return;
            }
        }
        let shape = match &node.kind {
            NodeKind::Shape(g) if self.plan.is_some() => {
                let (shortest, attrs) = self
                    .shapes
                    .as_mut()
                    .and_then(|shapes| shapes.take(key))
                    .unwrap_or_else(|| shortest_shape(g, node.id.is_some(), self.num, true));
                name = shortest;
                Some(attrs)
            }
            _ => None,
        };
        self.out.push('<');
        self.out.push_str(name);
        if let Some(id) = self.ids.get(key) {
            attr(&mut self.out, "id", id);
        }
        match &node.kind {
            NodeKind::Shape(_) if shape.is_some() => self.out.push_str(&shape.unwrap_or_default()),
            NodeKind::Shape(g) => self.geometry(g),
            NodeKind::Decor(el) => {
                let moved = self.plan.as_ref().and_then(|_| text_moved(el, node.transform()));
                for (k, v) in &el.attrs {
                    match (k.as_str(), moved) {
                        ("x" | "y", Some(_)) => {}
                        // The plan writes presentation attributes with the style (what the
                        // sanitiser refuses is counted here, once).
                        (k, _) if self.plan.is_some() && is_property(k) => {
                            let _ = self.sanitizer.attribute(k, v);
                        }
                        _ => self.checked_attr(k, v),
                    }
                }
                if let Some((x, y)) = moved {
                    attr(&mut self.out, "x", &self.num.fmt(x));
                    attr(&mut self.out, "y", &self.num.fmt(y));
                }
            }
            NodeKind::Group(_) => {}
        }
        let moved_text = matches!(&node.kind, NodeKind::Decor(el) if self.plan.is_some() && text_moved(el, node.transform()).is_some());
        if let Some(t) = self.num.transform(node.transform()).filter(|_| !moved_text) {
            attr(&mut self.out, "transform", &t);
        }
        if self.plan.is_some() {
            self.report_style_removals(key);
            if let Some(plan) = &self.plan {
                optimise::write_decls(&mut self.out, &plan.styles[key.index()]);
            }
        } else {
            self.style(&node.style, self.fill_override(key).as_deref(), true);
        }
        self.okviz(node);
        if self.opts.lossless {
            if let (Some(name), Some(title)) = (node.title_attr, &node.title) {
                attr(&mut self.out, name.as_str(), title);
            }
            if node.hidden {
                attr(&mut self.out, "synmap:hidden", "true");
            }
            if node.locked {
                attr(&mut self.out, "synmap:locked", "true");
            }
            if node.reference {
                attr(&mut self.out, "synmap:reference", "true");
            }
        }
        for (k, v) in node.attrs() {
            if self.opts.lossless && k != "style" {
                attr(&mut self.out, k, v);
            } else {
                self.checked_attr(k, v);
            }
        }
        let children = map.children(Some(key));
        let decor_children = match &node.kind {
            NodeKind::Decor(el) => &el.children[..],
            _ => &[],
        };
        if (node.title.is_none() || self.title_in_attr(node))
            && children.is_empty()
            && decor_children.is_empty()
        {
            self.out.push_str("/>");
            self.out.push_str(self.nl);
            return;
        }
        self.out.push('>');
        if let Some(title) = node.title.as_ref().filter(|_| !self.title_in_attr(node)) {
            self.out.push_str("<title>");
            escape_text(&mut self.out, title);
            self.out.push_str("</title>");
        }
        for child in decor_children {
            self.xml_node(child);
        }
        if !children.is_empty() {
            self.out.push_str(self.nl);
            for &c in children {
                self.node(c);
            }
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.out.push_str(self.nl);
    }

    /// The fill a preview gives a node in place of its own.
    fn fill_override(&self, key: NodeKey) -> Option<String> {
        self.opts.fill_override.as_ref().and_then(|f| f.get(key.index()).cloned().flatten())
    }

    /// Counts what sanitising a node's style removes (the optimised export writes the plan's
    /// declarations instead).
    fn report_style_removals(&mut self, key: NodeKey) {
        let fill = self.fill_override(key);
        let sanitized = self.sanitized(&self.map.node(key).style, fill.as_deref());
        for (property, value) in &sanitized.1 {
            self.sanitizer.removed_declaration(property, value);
        }
    }

    /// False for nodes no export writes (see [`written`]).
    fn written(&self, key: NodeKey) -> bool {
        written(self.map, self.opts, key)
    }

    /// The optimised export's plan: each written node's declarations, sanitised and in their
    /// shortest form (a preview's fill included), planned together.
    fn plan(&mut self) -> Plan {
        let map = self.map;
        let mut shared = optimise::Shared::default();
        let empty = shared.get(Vec::new());
        let mut styles: Vec<Arc<Decls>> = vec![empty; map.key_bound()];
        // Elements of one shared style and nothing of their own share one list.
        let mut by_style: foldhash::HashMap<usize, Arc<Decls>> = foldhash::HashMap::default();
        for (key, node) in map.iter() {
            if !self.written(key) || !Sanitizer::allows_element(node.element_name()) {
                continue;
            }
            let fill = self.fill_override(key);
            let plain = fill.is_none()
                && !matches!(&node.kind, NodeKind::Decor(el) if el.attrs.iter().any(|(k, _)| is_property(k)));
            if plain && let Some(decls) = by_style.get(&node.style.shared_id()) {
                styles[key.index()] = decls.clone();
                continue;
            }
            let sanitized = self.sanitized(&node.style, fill.as_deref());
            let decls = &sanitized.0;
            // A decoration's presentation attributes are declarations too (its style wins).
            let mut all: Decls = match &node.kind {
                NodeKind::Decor(el) => el
                    .attrs
                    .iter()
                    .filter(|(k, _)| is_property(k) && !decls.iter().any(|(p, _)| p == k))
                    .filter_map(|(k, v)| Some((k.clone(), self.sanitizer.declaration_value(k, v)?)))
                    .collect(),
                _ => Vec::new(),
            };
            all.extend(decls.iter().cloned());
            let minified = all
                .into_iter()
                .map(|(p, v)| {
                    let v = optimise::minify_value(&p, &v, &self.num);
                    (p, v)
                })
                .collect();
            let decls = shared.get(minified);
            if plain {
                by_style.insert(node.style.shared_id(), decls.clone());
            }
            styles[key.index()] = decls;
        }
        let keeps_attrs = |key: NodeKey| {
            map.node(key)
                .attrs()
                .iter()
                .any(|(k, v)| k != "style" && self.sanitizer.attribute_value(k, v).is_some())
        };
        Plan::new(
            map,
            styles,
            shared,
            |key| self.written(key) && Sanitizer::allows_element(map.node(key).element_name()),
            keeps_attrs,
        )
    }

    /// The ids (as written) the written map refers to, from its styles and attributes as
    /// sanitised, followed from definition to definition: the definitions to keep.
    fn used_definitions(&self, plan: &Plan) -> std::collections::HashSet<String> {
        let map = self.map;
        if map.defs.is_empty() {
            return std::collections::HashSet::new();
        }
        let mut values: Vec<String> = Vec::new();
        let written = |attrs: &mut dyn Iterator<Item = (&str, &str)>, values: &mut Vec<String>| {
            for (k, v) in attrs {
                if k == "style" {
                    for d in simplecss::DeclarationTokenizer::from(v) {
                        values.extend(self.sanitizer.declaration_value(d.name, d.value));
                    }
                    continue;
                }
                let value = if k == "href" {
                    self.sanitizer.href(v)
                } else if is_property(k) {
                    self.sanitizer.declaration_value(k, v)
                } else {
                    None
                };
                values.extend(value);
            }
        };
        for (key, node) in map.iter() {
            if plan.skip[key.index()] {
                continue;
            }
            written(&mut node.attrs().iter().map(|(k, v)| (k.as_str(), v.as_str())), &mut values);
            if let NodeKind::Decor(el) = &node.kind {
                for_each_element(el, &mut |e| {
                    written(&mut e.attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &mut values)
                });
            }
        }
        let styles = plan.styles.iter().zip(&plan.skip).filter(|(_, skip)| !**skip);
        let style_values = styles.flat_map(|(decls, _)| decls.iter().map(|(_, v)| v.as_str()));
        let mut used = optimise::referenced_ids(style_values.chain(values.iter().map(String::as_str)));
        // Definitions referring to others (a gradient's href, a pattern's content).
        loop {
            let mut more = Vec::new();
            for def in &map.defs {
                let id = self.def_ids.get(&(def as *const XmlElement as usize));
                if id.is_some_and(|id| used.contains(id)) {
                    for_each_element(def, &mut |e| {
                        written(&mut e.attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &mut more)
                    });
                }
            }
            let before = used.len();
            used.extend(optimise::referenced_ids(more.iter().map(String::as_str)));
            if used.len() == before {
                return used;
            }
        }
    }

    fn geometry(&mut self, g: &Geometry) {
        geometry_into(&mut self.out, g, self.num, self.opts.lossless);
    }

    /// Writes a sanitised `style` attribute; `cacheable` only for styles of the map's nodes,
    /// which live (and keep their identity) for the whole export.
    fn style(&mut self, style: &Style, fill: Option<&str>, cacheable: bool) {
        let sanitized = if cacheable {
            self.sanitized(style, fill)
        } else {
            Arc::new(sanitized_decls(&self.sanitizer, style, fill))
        };
        let (decls, removed) = (&sanitized.0, &sanitized.1);
        for (property, value) in removed {
            self.sanitizer.removed_declaration(property, value);
        }
        if self.plan.is_some() {
            let short: Decls =
                decls.iter().map(|(p, v)| (p.clone(), optimise::minify_value(p, v, &self.num))).collect();
            optimise::write_decls(&mut self.out, &short);
        } else if !decls.is_empty() {
            let css = Style::join(decls.iter().map(|(p, v)| (p.as_str(), v.as_str())));
            attr(&mut self.out, "style", &css);
        }
    }

    /// A map node's style sanitised (once per shared style: large maps share a few styles
    /// among thousands of elements), with `fill` (a preview's) in place of its own, and the
    /// declarations removed.
    fn sanitized(&mut self, style: &Style, fill: Option<&str>) -> Arc<Sanitized> {
        if fill.is_some() {
            return Arc::new(sanitized_decls(&self.sanitizer, style, fill));
        }
        let sanitizer = &self.sanitizer;
        self.style_cache
            .entry(style.shared_id())
            .or_insert_with(|| Arc::new(sanitized_decls(sanitizer, style, None)))
            .clone()
    }

    fn okviz(&mut self, node: &Node) {
        if let Some(t) = node.area_type {
            attr(&mut self.out, "data-okviz-area-type", t.as_str());
        }
        match node.binding() {
            Binding::Auto => {}
            Binding::DoNotBind => attr(&mut self.out, "data-okviz-unbound", "true"),
            Binding::Strong(v) => attr(&mut self.out, "data-okviz-strong", &values::plain_text(v)),
        }
        for (name, url) in
            [("data-okviz-drill-url", node.drill_url()), ("data-okviz-link-url", node.link_url())]
        {
            if let Some(u) = url
                && self.sanitizer.url(name, u)
            {
                attr(&mut self.out, name, u.trim());
            }
        }
        if let Some(b) = node.no_labels {
            attr(&mut self.out, "data-okviz-no-labels", bool_str(b));
        }
    }

    fn checked_attr(&mut self, name: &str, value: &str) {
        if name == "style" {
            let style: Style = simplecss::DeclarationTokenizer::from(value)
                .map(|d| (d.name.to_owned(), d.value.to_owned()))
                .collect();
            // A temporary style: its identity may be reused, so it is never cached.
            self.style(&style, None, false);
        } else if let Some(v) = self.sanitizer.attribute(name, value) {
            attr(&mut self.out, name, &v);
        }
    }

    fn xml(&mut self, el: &XmlElement) {
        if !self.sanitizer.element(&el.name) {
            return;
        }
        self.out.push('<');
        self.out.push_str(&el.name);
        match self.def_ids.get(&(el as *const XmlElement as usize)) {
            Some(id) => attr(&mut self.out, "id", id),
            None if self.opts.lossless => {
                if let Some(id) = el.attr("id") {
                    attr(&mut self.out, "id", id);
                }
            }
            None => {}
        }
        for (k, v) in el.attrs.iter().filter(|(k, _)| k != "id") {
            self.checked_attr(k, v);
        }
        if el.children.is_empty() {
            self.out.push_str("/>");
            return;
        }
        self.out.push('>');
        for c in &el.children {
            self.xml_node(c);
        }
        self.out.push_str("</");
        self.out.push_str(&el.name);
        self.out.push('>');
    }

    fn xml_node(&mut self, n: &XmlNode) {
        match n {
            XmlNode::Element(e) => self.xml(e),
            XmlNode::Text(t) => escape_text(&mut self.out, t),
        }
    }
}

/// False for nodes no export writes: text when it is left out, and reference layers outside
/// the lossless format.
fn written(map: &Map, opts: &ExportOptions, key: NodeKey) -> bool {
    let node = map.node(key);
    let name = node.element_name();
    !((opts.without_text && name == "text") || (node.reference && !opts.lossless))
}

/// Writes a shape's geometry attributes to `out`: in a lossless save, a path's data as it was
/// read.
pub(super) fn geometry_into(out: &mut String, g: &Geometry, n: Num, lossless: bool) {
    let nums = |out: &mut String, pairs: &[(&str, f64)]| {
        for (k, v) in pairs {
            attr(out, k, &n.fmt(*v));
        }
    };
    match g {
        Geometry::Rect { rect, rx, ry } => {
            nums(out, &[("x", rect.x0), ("y", rect.y0), ("width", rect.width()), ("height", rect.height())]);
            if let Some(rx) = rx {
                nums(out, &[("rx", *rx)]);
            }
            if let Some(ry) = ry {
                nums(out, &[("ry", *ry)]);
            }
        }
        Geometry::Circle(c) => nums(out, &[("cx", c.center.x), ("cy", c.center.y), ("r", c.radius)]),
        Geometry::Ellipse { center, rx, ry } => {
            nums(out, &[("cx", center.x), ("cy", center.y), ("rx", *rx), ("ry", *ry)]);
        }
        Geometry::Line(l) => nums(out, &[("x1", l.p0.x), ("y1", l.p0.y), ("x2", l.p1.x), ("y2", l.p1.y)]),
        Geometry::Polyline(p) | Geometry::Polygon(p) => attr(out, "points", &n.points(p)),
        Geometry::Path(_, Some(text)) if lossless => attr(out, "d", text),
        Geometry::Path(p, _) => attr(out, "d", &n.path_data(p.elements())),
    }
}

/// A style's declarations parsed and re-written, and the properties dropped; `fill` (trusted,
/// from a preview) replaces the style's own fill.
fn sanitized_decls(
    sanitizer: &Sanitizer<'_>,
    style: &Style,
    fill: Option<&str>,
) -> (Decls, Vec<(String, String)>) {
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut removed = Vec::new();
    for (k, v) in style.iter() {
        if fill.is_some() && matches!(k, "fill" | "fill-opacity") {
            continue;
        }
        match sanitizer.declaration_value(k, v) {
            Some(v) => kept.push((k.to_owned(), v)),
            None => {
                // A paint server outside the map paints nothing in a browser: neither does the
                // export (leaving the property out would paint black).
                if matches!(k, "fill" | "stroke") && values::reaches_out(v) {
                    kept.push((k.to_owned(), "none".to_owned()));
                }
                removed.push((k.to_owned(), v.to_owned()));
            }
        }
    }
    kept.extend(fill.map(|f| ("fill".to_owned(), f.to_owned())));
    (kept, removed)
}

/// Where a text moved by a translation starts once the translation is folded into its `x` and
/// `y` (shorter): only for a text at one position whose children set no position of their own.
fn text_moved(el: &XmlElement, transform: kurbo::Affine) -> Option<(f64, f64)> {
    let [a, b, c, d, tx, ty] = transform.as_coeffs();
    if &*el.name != "text" || (a, b, c, d) != (1.0, 0.0, 0.0, 1.0) || el.attr("rotate").is_some() {
        return None;
    }
    let single = |name: &str| -> Option<f64> {
        match el.attr(name) {
            None => Some(0.0),
            Some(v) => v.trim().parse::<f64>().ok(),
        }
    };
    let positioned = el.children.iter().any(|c| match c {
        XmlNode::Element(e) => ["x", "y", "rotate"].iter().any(|a| e.attr(a).is_some()),
        XmlNode::Text(_) => false,
    });
    if positioned {
        return None;
    }
    Some((single("x")? + tx, single("y")? + ty))
}

/// Calls `f` on an element and each element inside it.
pub(super) fn for_each_element(el: &XmlElement, f: &mut dyn FnMut(&XmlElement)) {
    f(el);
    for child in &el.children {
        if let XmlNode::Element(e) = child {
            for_each_element(e, f);
        }
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Escapes a string for use in an attribute value (for callers building overlays).
pub fn escaped_attr(s: &str) -> String {
    let mut out = String::new();
    escape_attr(&mut out, s);
    out
}
