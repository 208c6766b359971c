//! An element kept whole with its subtree once the stream has read it: what the importer turns
//! into a shape, a label, a definition or a `<use>` copy.

use std::borrow::Cow;

use crate::svg::css::Decls;
use crate::svg::reader::{Attr, Ns};

/// An element with its attributes, its children and its own CSS declarations.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    /// Its namespace.
    pub ns: Option<Ns>,
    /// Its name without prefix.
    pub name: &'a str,
    /// Its attributes.
    pub attrs: Vec<Attr<'a>>,
    /// Its children (empty for elements streamed rather than kept).
    pub children: Vec<Child<'a>>,
    /// Its specified declarations, computed where it stood in the document (selectors see its
    /// real ancestors even when a `<use>` copies it elsewhere).
    pub specified: Decls,
}

/// A child of an [`Element`].
#[derive(Debug, Clone)]
pub enum Child<'a> {
    /// An element.
    Element(Element<'a>),
    /// Character data.
    Text(Cow<'a, str>),
}

impl<'a> Element<'a> {
    /// An element without children.
    pub fn new(ns: Option<Ns>, name: &'a str, attrs: Vec<Attr<'a>>) -> Self {
        Self { ns, name, attrs, children: Vec::new(), specified: Decls::new() }
    }

    /// True for the SVG element `name`.
    pub fn is(&self, name: &str) -> bool {
        self.ns == Some(Ns::Svg) && self.name == name
    }

    /// The value of the attribute `local` without a namespace.
    pub fn attribute(&self, local: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.ns.is_none() && a.local == local).map(|a| a.value.as_ref())
    }

    /// The value of the attribute `local` in namespace `ns`.
    pub fn attribute_ns(&self, ns: Ns, local: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.ns == Some(ns) && a.local == local).map(|a| a.value.as_ref())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.children.iter().filter_map(|c| match c {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    /// Its direct text, joined.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|c| match c {
                Child::Text(t) => Some(t.as_ref()),
                Child::Element(_) => None,
            })
            .collect()
    }

    /// Appends text, joining it to text just before.
    pub fn push_text(&mut self, text: Cow<'a, str>) {
        match self.children.last_mut() {
            Some(Child::Text(last)) => last.to_mut().push_str(&text),
            _ => self.children.push(Child::Text(text)),
        }
    }
}
