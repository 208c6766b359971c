//! Inline CSS declarations of one element, in order.

use std::sync::Arc;

/// An element's inline style: `property: value` pairs in declaration order, one per property.
///
/// Cheap to clone: elements with the same style share one allocation (large maps repeat a
/// handful of styles thousands of times); changing a shared style copies it first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Style(Arc<Vec<(String, String)>>);

impl Style {
    /// The style a new area gets (drawn, traced or generated).
    pub fn new_area() -> Style {
        let mut style = Style::default();
        style.set("fill", "#cfe2ff");
        style.set("stroke", "#1f6feb");
        style.set("stroke-width", "1");
        style
    }

    /// The value of a property.
    pub fn get(&self, property: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == property).map(|(_, v)| v.as_str())
    }

    /// Sets a property, replacing an earlier value in place.
    pub fn set(&mut self, property: &str, value: impl Into<String>) {
        let value = value.into();
        let decls = Arc::make_mut(&mut self.0);
        match decls.iter_mut().find(|(k, _)| k == property) {
            Some(slot) => slot.1 = value,
            None => decls.push((property.to_owned(), value)),
        }
    }

    /// Removes a property; returns its value.
    pub fn remove(&mut self, property: &str) -> Option<String> {
        let i = self.0.iter().position(|(k, _)| k == property)?;
        Some(Arc::make_mut(&mut self.0).remove(i).1)
    }

    /// Declarations in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Keeps only the declarations for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        if self.0.iter().any(|(k, v)| !keep(k, v)) {
            Arc::make_mut(&mut self.0).retain(|(k, v)| keep(k, v));
        }
    }

    /// An identity shared by clones of this style (and by no other style while it lives), for
    /// caching work done per distinct style.
    pub fn shared_id(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }

    /// True when there are no declarations.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The declarations as a `style` attribute value (`fill:#fff;stroke:#000`).
    pub fn to_css(&self) -> String {
        Self::join(self.iter())
    }

    /// Joins declarations into a `style` attribute value.
    pub fn join<'s>(decls: impl Iterator<Item = (&'s str, &'s str)>) -> String {
        let mut css = String::new();
        for (k, v) in decls {
            if !css.is_empty() {
                css.push(';');
            }
            css.push_str(k);
            css.push(':');
            css.push_str(v);
        }
        css
    }
}

impl FromIterator<(String, String)> for Style {
    fn from_iter<T: IntoIterator<Item = (String, String)>>(iter: T) -> Self {
        let mut decls: Vec<(String, String)> = Vec::new();
        for (k, v) in iter {
            match decls.iter_mut().find(|(dk, _)| *dk == k) {
                Some(slot) => slot.1 = v,
                None => decls.push((k, v)),
            }
        }
        Style(Arc::new(decls))
    }
}

/// Hands out one shared [`Style`] per distinct list of declarations.
#[derive(Debug, Default)]
pub struct StyleInterner(foldhash::HashSet<Style>);

impl StyleInterner {
    /// The shared style equal to `decls`.
    pub fn intern(&mut self, decls: Vec<(String, String)>) -> Style {
        let style: Style = decls.into_iter().collect();
        if let Some(existing) = self.0.get(&style) {
            return existing.clone();
        }
        self.0.insert(style.clone());
        style
    }
}
