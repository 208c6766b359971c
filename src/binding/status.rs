//! The status every element gets in the visual (decoration, unbound, strong, matched,
//! unmatched, link), with group inheritance.

use super::matching::Categories;
use crate::model::{AreaType, Binding, Map, NodeKey};

/// The binding status of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaStatus {
    /// Not interactive.
    Decoration,
    /// Excluded from binding (`data-okviz-unbound` or Do Not Bind).
    Unbound,
    /// Bound by `data-okviz-strong`.
    Strong,
    /// Its id matches a category value.
    Matched,
    /// It has an id that matches no category value (all ids when no categories are given).
    Unmatched,
    /// A link area: opens its link URL instead of binding.
    Link,
}

impl AreaStatus {
    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decoration => "decoration",
            Self::Unbound => "unbound",
            Self::Strong => "strong",
            Self::Matched => "matched",
            Self::Unmatched => "unmatched",
            Self::Link => "link",
        }
    }

    /// True for statuses that make the element an area of its own or part of one.
    pub fn is_area(self) -> bool {
        !matches!(self, Self::Decoration)
    }
}

/// Status of one element and the category value it binds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The status.
    pub status: AreaStatus,
    /// Index into the categories of the matched value, when matched (or strong and found);
    /// 32 bits, which keeps a status in 20 bytes (a map holds one per node).
    pub category: Option<u32>,
    /// The group whose status this element follows, when it inherits one.
    pub follows: Option<NodeKey>,
}

/// What a group passes down to its descendants.
#[derive(Clone, Copy)]
enum Inherited {
    Nothing,
    Decoration,
    Unbound,
    Follow(Resolved),
}

/// Statuses of every node, indexed by [`NodeKey::index`].
#[derive(Debug, Clone)]
pub struct Statuses(Vec<Option<Resolved>>);

impl Statuses {
    /// Resolves every element of `map` against `categories` (all ids unmatched when `None`).
    pub fn compute(map: &Map, categories: Option<&Categories>) -> Self {
        let mut out = vec![None; map.key_bound()];
        let mut stack: Vec<(NodeKey, Inherited)> =
            map.roots().iter().rev().map(|&k| (k, Inherited::Nothing)).collect();
        while let Some((key, inherited)) = stack.pop() {
            let node = map.node(key);
            let own = resolve_own(map, key, categories);
            let resolved = match inherited {
                Inherited::Decoration => plain(AreaStatus::Decoration),
                Inherited::Unbound => plain(AreaStatus::Unbound),
                Inherited::Follow(parent) if !own_overrides(node) => parent,
                _ => own,
            };
            out[key.index()] = Some(resolved);
            let children = map.children(Some(key));
            if children.is_empty() {
                continue;
            }
            let pass = match inherited {
                Inherited::Decoration | Inherited::Unbound => inherited,
                _ if node.area_type == Some(AreaType::Decoration) => Inherited::Decoration,
                _ => match resolved.status {
                    AreaStatus::Unbound => Inherited::Unbound,
                    AreaStatus::Matched | AreaStatus::Strong | AreaStatus::Link => {
                        Inherited::Follow(Resolved { follows: resolved.follows.or(Some(key)), ..resolved })
                    }
                    _ => Inherited::Nothing,
                },
            };
            stack.extend(children.iter().rev().map(|&c| (c, pass)));
        }
        Self(out)
    }

    /// The resolved status of a node.
    pub fn get(&self, key: NodeKey) -> Option<Resolved> {
        self.0.get(key.index()).copied().flatten()
    }

    /// The status of a node, `Decoration` for unknown keys.
    pub fn status(&self, key: NodeKey) -> AreaStatus {
        self.get(key).map_or(AreaStatus::Decoration, |r| r.status)
    }
}

fn plain(status: AreaStatus) -> Resolved {
    Resolved { status, category: None, follows: None }
}

/// A child keeps its own status under a bound group only when it carries its own
/// strong or unbound attribute (or is explicitly decoration).
fn own_overrides(node: &crate::model::Node) -> bool {
    !matches!(node.binding(), Binding::Auto) || node.area_type == Some(AreaType::Decoration)
}

fn resolve_own(map: &Map, key: NodeKey, categories: Option<&Categories>) -> Resolved {
    let node = map.node(key);
    if !node.can_be_area() || node.area_type == Some(AreaType::Decoration) {
        return plain(AreaStatus::Decoration);
    }
    match node.binding() {
        Binding::DoNotBind => return plain(AreaStatus::Unbound),
        Binding::Strong(value) => {
            let category = categories.and_then(|c| c.find(value)).and_then(|i| u32::try_from(i).ok());
            return Resolved { status: AreaStatus::Strong, category, follows: None };
        }
        Binding::Auto => {}
    }
    if node.area_type == Some(AreaType::Link) {
        return plain(AreaStatus::Link);
    }
    let Some(id) = &node.id else {
        return plain(AreaStatus::Decoration);
    };
    match categories.and_then(|c| c.find(id.as_str())) {
        Some(i) => Resolved { status: AreaStatus::Matched, category: u32::try_from(i).ok(), follows: None },
        None => plain(AreaStatus::Unmatched),
    }
}
