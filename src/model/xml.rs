//! A small owned XML tree for content carried through without interpretation (labels, defs).

/// An XML element with its attributes and children, names as written in SVG (`xlink:href`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlElement {
    /// Element name (`text`, `linearGradient`, …).
    pub name: String,
    /// Attributes in order.
    pub attrs: Vec<(String, String)>,
    /// Child nodes in order.
    pub children: Vec<XmlNode>,
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
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Releases spare capacity of this element and its descendants.
    pub fn shrink_to_fit(&mut self) {
        self.attrs.shrink_to_fit();
        self.children.shrink_to_fit();
        for c in &mut self.children {
            if let XmlNode::Element(e) = c {
                e.shrink_to_fit();
            }
        }
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
