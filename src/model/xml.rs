//! A small owned XML tree for content carried through without interpretation (labels, defs).

/// An XML element with its attributes and children, names as written in SVG (`xlink:href`).
///
/// Boxed slices, not vectors: an element is read once and then only looked at, and a label
/// holds its element in its node (48 bytes; with vectors it took a box of its own, 80 bytes
/// for each of a large plan's 50,000 labels).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlElement {
    /// Element name (`text`, `linearGradient`, …).
    pub name: Box<str>,
    /// Attributes in order.
    pub attrs: Box<[(String, String)]>,
    /// Child nodes in order.
    pub children: Box<[XmlNode]>,
}

/// A child of an [`XmlElement`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlNode {
    /// A nested element (boxed: most children of labels are plain text).
    Element(Box<XmlElement>),
    /// Character data.
    Text(String),
}

impl XmlElement {
    /// An element of the given name, attributes and children.
    pub fn new(name: &str, attrs: Vec<(String, String)>, children: Vec<XmlNode>) -> Self {
        Self { name: name.into(), attrs: attrs.into(), children: children.into() }
    }

    /// Keeps only the attributes for which `keep` returns true.
    pub fn retain_attrs(&mut self, keep: impl FnMut(&(String, String)) -> bool) {
        self.attrs = std::mem::take(&mut self.attrs).into_vec().into_iter().filter(keep).collect();
    }

    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The concatenated character data of the element and its descendants.
    pub fn text_content(&self) -> String {
        self.texts().collect()
    }

    /// The character data of the element and its descendants, piece by piece in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let mut stack: Vec<&XmlNode> = self.children.iter().rev().collect();
        std::iter::from_fn(move || {
            while let Some(n) = stack.pop() {
                match n {
                    XmlNode::Text(t) => return Some(t.as_str()),
                    XmlNode::Element(e) => stack.extend(e.children.iter().rev()),
                }
            }
            None
        })
    }
}
