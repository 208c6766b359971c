//! Inline CSS declarations of one element, in order.

/// An element's inline style: `property: value` pairs in declaration order, one per property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Style(Vec<(String, String)>);

impl Style {
    /// The value of a property.
    pub fn get(&self, property: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == property).map(|(_, v)| v.as_str())
    }

    /// Sets a property, replacing an earlier value in place.
    pub fn set(&mut self, property: &str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == property) {
            Some(slot) => slot.1 = value,
            None => self.0.push((property.to_owned(), value)),
        }
    }

    /// Removes a property; returns its value.
    pub fn remove(&mut self, property: &str) -> Option<String> {
        let i = self.0.iter().position(|(k, _)| k == property)?;
        Some(self.0.remove(i).1)
    }

    /// Declarations in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Keeps only the declarations for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }

    /// True when there are no declarations.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The declarations as a `style` attribute value (`fill:#fff;stroke:#000`).
    pub fn to_css(&self) -> String {
        let mut s = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                s.push(';');
            }
            s.push_str(k);
            s.push(':');
            s.push_str(v);
        }
        s
    }
}

impl FromIterator<(String, String)> for Style {
    fn from_iter<T: IntoIterator<Item = (String, String)>>(iter: T) -> Self {
        let mut s = Style::default();
        for (k, v) in iter {
            s.set(&k, v);
        }
        s
    }
}
