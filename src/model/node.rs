//! One node of the map tree and its Synoptic binding properties.

use kurbo::Affine;

use super::{Geometry, NodeKey, Style, XmlElement};
use crate::ids::RawId;

/// `data-okviz-area-type`: what clicking the element does in the visual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaType {
    /// A data-bound area (the default for elements with an id).
    Area,
    /// Opens `data-okviz-link-url` instead of binding.
    Link,
    /// Never interactive.
    Decoration,
}

impl AreaType {
    /// The attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Area => "area",
            Self::Link => "link",
            Self::Decoration => "decoration",
        }
    }

    /// Parses an attribute value (case-insensitive, trimmed).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "area" => Some(Self::Area),
            "link" => Some(Self::Link),
            "decoration" => Some(Self::Decoration),
            _ => None,
        }
    }
}

/// The attribute a title was read from instead of a `<title>` child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleAttr {
    /// `inkscape:label`.
    InkscapeLabel,
    /// `data-name` (Illustrator).
    DataName,
    /// `aria-label`.
    AriaLabel,
}

impl TitleAttr {
    /// The attribute's name as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InkscapeLabel => "inkscape:label",
            Self::DataName => "data-name",
            Self::AriaLabel => "aria-label",
        }
    }
}

/// How an area binds to the report's category values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Binding {
    /// Bind by id (the default).
    #[default]
    Auto,
    /// `data-okviz-unbound="true"`: never bind.
    DoNotBind,
    /// `data-okviz-strong="<value>"`: bind to this value regardless of id.
    Strong(Box<str>),
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A group (`g`); its children in paint order.
    Group(Vec<NodeKey>),
    /// A shape that can be an area, with its geometry in its own coordinates.
    Shape(Geometry),
    /// A decoration carried through as XML (text labels, images).
    Decor(XmlElement),
}

/// What few nodes of a large map have, boxed together: every node counts (one of 100,000).
#[derive(Debug, Clone, PartialEq, Default)]
struct Rare {
    binding: Binding,
    drill: Option<Box<str>>,
    link: Option<Box<str>>,
    attrs: Box<[(String, String)]>,
}

/// The binding of a node that has none of its own.
static AUTO: Binding = Binding::Auto;

/// A node of the map tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The SVG id exactly as read (export writes it by the id rules).
    pub id: Option<RawId>,
    /// The `<title>` child: the label shown by the visual.
    pub title: Option<Box<str>>,
    /// The attribute the title was read from instead of a `<title>` child (`aria-label`,
    /// `data-name`, `inkscape:label`): a lossless save writes it back there.
    pub title_attr: Option<TitleAttr>,
    /// `data-okviz-area-type`, when set.
    pub area_type: Option<AreaType>,
    /// The binding, the URLs and the attributes carried through ([`Node::binding`],
    /// [`Node::drill_url`], [`Node::link_url`], [`Node::attrs`]), when any is not the default.
    rare: Option<Box<Rare>>,
    /// `data-okviz-no-labels`, when set.
    pub no_labels: Option<bool>,
    /// The node's own transform, kept rather than baked into the geometry ([`Node::transform`]);
    /// none for the identity, which most nodes of large maps have (it is six numbers).
    transform: Option<Box<Affine>>,
    /// Resolved inline style (CSS classes and inherited properties folded in).
    pub style: Style,
    /// Hidden in the editor (editor-only state).
    pub hidden: bool,
    /// Locked in the editor (editor-only state).
    pub locked: bool,
    /// Reference only: shown in the editor (unless hidden) and saved, but left out of exports
    /// (a CAD layer that was off or frozen in the drawing).
    pub reference: bool,
    /// What the node is.
    pub kind: NodeKind,
    pub(super) parent: Option<NodeKey>,
}

impl Node {
    /// A node of the given kind with no id, title or binding.
    pub fn new(kind: NodeKind) -> Self {
        Self {
            id: None,
            title: None,
            title_attr: None,
            area_type: None,
            rare: None,
            no_labels: None,
            transform: None,
            style: Style::default(),
            hidden: false,
            locked: false,
            reference: false,
            kind,
            parent: None,
        }
    }

    /// The data binding.
    pub fn binding(&self) -> &Binding {
        self.rare.as_ref().map_or(&AUTO, |r| &r.binding)
    }

    /// Sets the data binding; returns the binding it replaces.
    pub fn set_binding(&mut self, binding: Binding) -> Binding {
        self.update_rare(|r| std::mem::replace(&mut r.binding, binding))
    }

    /// `data-okviz-drill-url`.
    pub fn drill_url(&self) -> Option<&str> {
        self.rare.as_ref()?.drill.as_deref()
    }

    /// `data-okviz-link-url`.
    pub fn link_url(&self) -> Option<&str> {
        self.rare.as_ref()?.link.as_deref()
    }

    /// Sets `data-okviz-drill-url`; returns the URL it replaces.
    pub fn set_drill_url(&mut self, url: Option<Box<str>>) -> Option<Box<str>> {
        self.update_rare(|r| std::mem::replace(&mut r.drill, url))
    }

    /// Sets `data-okviz-link-url`; returns the URL it replaces.
    pub fn set_link_url(&mut self, url: Option<Box<str>>) -> Option<Box<str>> {
        self.update_rare(|r| std::mem::replace(&mut r.link, url))
    }

    /// Other attributes, carried through untouched (export sanitises them).
    pub fn attrs(&self) -> &[(String, String)] {
        self.rare.as_ref().map_or(&[], |r| &r.attrs)
    }

    /// Replaces the attributes carried through (a boxed slice holds no spare room).
    pub fn set_attrs(&mut self, attrs: Box<[(String, String)]>) {
        self.update_rare(|r| r.attrs = attrs);
    }

    /// Keeps only the attributes carried through for which `keep` returns true.
    pub fn retain_attrs(&mut self, keep: impl Fn(&str) -> bool) {
        if self.attrs().iter().any(|(k, _)| !keep(k)) {
            let kept = self.attrs().iter().filter(|(k, _)| keep(k)).cloned().collect();
            self.set_attrs(kept);
        }
    }

    /// Changes what few nodes have, boxing it only while any of it is not the default (setting
    /// a default on a node that has none allocates nothing: the importer does it for each node).
    fn update_rare<R>(&mut self, change: impl FnOnce(&mut Rare) -> R) -> R {
        match &mut self.rare {
            Some(rare) => {
                let result = change(rare);
                if **rare == Rare::default() {
                    self.rare = None;
                }
                result
            }
            None => {
                let mut rare = Rare::default();
                let result = change(&mut rare);
                if rare != Rare::default() {
                    self.rare = Some(Box::new(rare));
                }
                result
            }
        }
    }

    /// The node's own transform.
    pub fn transform(&self) -> Affine {
        self.transform.as_deref().copied().unwrap_or(Affine::IDENTITY)
    }

    /// Sets the node's own transform.
    pub fn set_transform(&mut self, transform: Affine) {
        self.transform = (transform != Affine::IDENTITY).then(|| Box::new(transform));
    }

    /// The parent group, `None` at the top level.
    pub fn parent(&self) -> Option<NodeKey> {
        self.parent
    }

    /// The SVG element name this node is written as.
    pub fn element_name(&self) -> &str {
        match &self.kind {
            NodeKind::Group(_) => "g",
            NodeKind::Shape(g) => g.element_name(),
            NodeKind::Decor(x) => &x.name,
        }
    }

    /// True for elements the visual can bind (`g` and shapes other than `line`).
    pub fn can_be_area(&self) -> bool {
        match &self.kind {
            NodeKind::Group(_) => true,
            NodeKind::Shape(g) => !matches!(g, Geometry::Line { .. }),
            NodeKind::Decor(_) => false,
        }
    }

    /// The name shown to the author: the title, else the decoded id.
    pub fn display_name(&self) -> Option<String> {
        self.title.as_deref().map(String::from).or_else(|| self.id.as_ref().map(RawId::to_name))
    }

    /// An attribute carried through, by name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs().iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    /// A map holds a node per element, each in its own allocation with the reference counts
    /// (16 bytes): at most 144 bytes, so that it takes the allocator's 160-byte size class,
    /// not 192 or more (a 50,000-room plan has 100,000 nodes; 192 bytes was 19 MB, 320 was 32).
    #[test]
    fn a_node_fits_the_160_byte_size_class() {
        assert!(size_of::<super::Node>() <= 144, "{} bytes", size_of::<super::Node>());
    }

    /// A label holds its element in its node: an element no larger than a shape's geometry
    /// keeps the node's kind (and so the node) from growing.
    #[test]
    fn an_element_is_no_larger_than_a_geometry() {
        assert!(size_of::<super::XmlElement>() <= size_of::<super::Geometry>());
        assert_eq!(size_of::<super::NodeKind>(), size_of::<super::Geometry>());
    }
}
