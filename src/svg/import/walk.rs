//! The main pass of an import: the document's events walked with a stack of open elements.
//! The root and its groups become nodes as they start, so that their children join them as
//! they come; every other element is kept whole until it ends, handed to the importer and
//! dropped. Only the targets of `<use>` are kept longer.

use std::rc::Rc;

use simplecss::{AttributeOperator, PseudoClass};

use super::element::{Child, Element};
use super::survey;
use super::{Importer, MAX_DEPTH, UNSAFE_ELEMENTS, carried_attrs, title_from, trimmed};
use crate::model::{MapMeta, NodeKey};
use crate::svg::ImportError;
use crate::svg::css::Inherited;
use crate::svg::prologue::Prologue;
use crate::svg::reader::{Event, Ns, ReadAhead};

/// What an open element is to the walk.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// The root `<svg>`: its children are read one by one.
    Root,
    /// A group about to become a node.
    NewGroup,
    /// A group already in the map: its children are read one by one.
    Group(NodeKey),
    /// `<defs>` read one by one: each child is a definition.
    Defs,
    /// Kept whole until it ends, then handed to the importer.
    Kept,
    /// Inside a kept element.
    Inside,
    /// Not part of the map (metadata, symbols, styles, other namespaces).
    Skipped,
}

/// An open element.
struct Frame<'a> {
    el: Element<'a>,
    role: Role,
    /// Its children join `el.children`: kept elements and `<use>` targets.
    keep: bool,
    /// A `<use>` may copy it.
    target: bool,
    /// In `<defs>` or a `<symbol>`.
    definition: bool,
    /// The context its children inherit (the root and groups).
    inh: Option<Inherited>,
    /// How deep it stands (the root's children are at depth 1).
    depth: usize,
    /// Element children ended so far.
    ended: usize,
    /// Those children (without their own children), when selectors look at siblings.
    siblings: Vec<Element<'a>>,
    /// The text of its first `<title>` and `<desc>` children (the root and groups).
    title: Option<String>,
    desc: Option<String>,
}

impl<'a> Importer<'a> {
    /// Reads the document into the map, knowing the CSS of `styles_known` `<style>` elements.
    /// Stops early when the document must be surveyed first ([`Importer::needs_survey`]).
    pub(super) fn walk(
        &mut self,
        text: &'a str,
        prologue: &Prologue,
        styles_known: usize,
    ) -> Result<(), ImportError> {
        // Reading runs ahead on another core while this one makes the map.
        std::thread::scope(|scope| {
            let mut reader = ReadAhead::spawn(scope, text, super::MAX_XML_NODES);
            let mut stack: Vec<Frame<'a>> = Vec::new();
            while let Some(event) = reader.next_event()? {
                match event {
                    Event::Start { ns, local, attrs } => {
                        if !self.surveyed {
                            survey::unsafe_content(local, &attrs, &mut self.unsafe_removed);
                            if survey::is_css(ns, local, &attrs) {
                                self.styles_read += 1;
                                if self.styles_read > styles_known {
                                    self.needs_survey = true;
                                    return Ok(());
                                }
                            }
                        }
                        self.start(&mut stack, Element::new(ns, local, attrs))?;
                    }
                    Event::Text(t) => {
                        if let Some(top) = stack.last_mut().filter(|f| f.keep) {
                            top.el.push_text(t);
                        }
                    }
                    Event::End => self.end(&mut stack)?,
                    Event::Instruction(target) if !self.surveyed => {
                        survey::instruction(target, prologue, &mut self.unsupported);
                    }
                    Event::Instruction(_) => {}
                }
            }
            Ok(())
        })
    }

    fn start(&mut self, stack: &mut Vec<Frame<'a>>, el: Element<'a>) -> Result<(), ImportError> {
        let depth = stack.len();
        if depth > MAX_DEPTH {
            return Err(ImportError::TooDeep { limit: MAX_DEPTH });
        }
        let parent = stack.last();
        // Without a survey, definitions and symbols are kept in case a `<use>` copies them.
        let definition = parent.is_some_and(|p| p.definition || p.role == Role::Defs) || el.is("symbol");
        let target = el
            .attribute("id")
            .is_some_and(|id| self.referenced.contains(id) || (!self.surveyed && definition));
        let role = match parent.map(|p| p.role) {
            None => Role::Root,
            Some(Role::Root | Role::Group(_) | Role::NewGroup) => match (el.ns, el.name) {
                (Some(Ns::Svg), "g" | "a" | "switch") => Role::NewGroup,
                (Some(Ns::Svg), "defs") => Role::Defs,
                (Some(Ns::Svg), "symbol" | "style" | "metadata") => Role::Skipped,
                (Some(Ns::Svg), n) if UNSAFE_ELEMENTS.contains(&n) => Role::Skipped,
                (Some(Ns::Svg), _) => Role::Kept,
                // Read from its attributes alone, or reported.
                _ => {
                    let (key, inh) = container(stack);
                    self.element(&el, key, &inh, depth)?;
                    Role::Skipped
                }
            },
            Some(Role::Defs) => Role::Kept,
            Some(Role::Kept | Role::Inside) => Role::Inside,
            Some(Role::Skipped) => Role::Skipped,
        };
        let keep = target || matches!(role, Role::Kept | Role::Inside) || parent.is_some_and(|p| p.keep);
        let styled = role == Role::Root
            || (role != Role::Skipped || keep)
                && el.ns == Some(Ns::Svg)
                && !matches!(el.name, "title" | "desc" | "metadata" | "style");
        stack.push(Frame {
            el,
            role,
            keep,
            target,
            definition,
            inh: None,
            depth,
            ended: 0,
            siblings: Vec::new(),
            title: None,
            desc: None,
        });
        if styled {
            let top = stack.len() - 1;
            let specified = self.sheet.specified(&stack[top].el.attrs, &Placed { stack, at: At::Open(top) });
            stack[top].el.specified = specified;
        }
        let (parent, frame) = match stack.as_mut_slice() {
            [.., parent, frame] => (Some(&*parent), frame),
            [frame] => (None, frame),
            [] => unreachable!("just pushed"),
        };
        match frame.role {
            Role::Root => frame.inh = Some(self.root(&frame.el)?),
            Role::NewGroup => {
                let (key, inh) = match parent {
                    Some(Frame { role: Role::Group(key), inh: Some(inh), .. }) => (Some(*key), inh),
                    Some(Frame { inh: Some(inh), .. }) => (None, inh),
                    _ => unreachable!("groups stand in the root or in groups"),
                };
                if frame.el.name == "a" && super::href(&frame.el).is_some() {
                    self.unsupported
                        .add("link of an <a> element (its content is kept; use data-okviz-link-url)");
                }
                let (node, child_inh) = self.group_node(&frame.el, inh);
                frame.role = Role::Group(self.push(key, node)?);
                frame.inh = Some(child_inh);
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, stack: &mut Vec<Frame<'a>>) -> Result<(), ImportError> {
        let Some(frame) = stack.pop() else { return Ok(()) };
        match frame.role {
            Role::Root => {
                self.map.meta = MapMeta {
                    title: frame.title.as_deref().and_then(trimmed),
                    description: frame.desc.as_deref().and_then(trimmed),
                    ..std::mem::take(&mut self.map.meta)
                };
            }
            Role::Group(key) => {
                if let Some(child) = frame.title.as_deref() {
                    let title = title_from(&frame.el, Some(child));
                    let attrs = carried_attrs(&frame.el, title.as_ref().map(|(t, _)| t.as_str()));
                    if let Some(node) = self.map.get_mut(key) {
                        (node.title, node.title_attr) =
                            title.map_or((None, None), |(t, from)| (Some(t.into()), from));
                        node.set_attrs(attrs);
                    }
                }
            }
            Role::Kept => match stack.last() {
                Some(Frame { role: Role::Defs, .. }) => self.def(&frame.el, frame.depth)?,
                _ => {
                    let (key, inh) = container(stack);
                    self.element(&frame.el, key, &inh, frame.depth)?;
                }
            },
            Role::NewGroup | Role::Defs | Role::Inside | Role::Skipped => {}
        }
        let Some(parent) = stack.last_mut() else { return Ok(()) };
        if matches!(parent.role, Role::Root | Role::Group(_)) && frame.el.ns == Some(Ns::Svg) {
            match frame.el.name {
                "title" if parent.title.is_none() => parent.title = Some(frame.el.text()),
                "desc" if parent.desc.is_none() => parent.desc = Some(frame.el.text()),
                _ => {}
            }
        }
        parent.ended += 1;
        if self.sheet.has_sibling_selectors() {
            parent.siblings.push(Element::new(frame.el.ns, frame.el.name, frame.el.attrs.clone()));
        }
        let target = frame
            .el
            .attribute("id")
            .filter(|id| (frame.target || self.referenced.contains(*id)) && !self.targets.contains_key(*id));
        // An element asked for only once it had started kept none of its children: it cannot
        // be copied (without a survey, the `<use>` then asks for one).
        let target = target.filter(|_| frame.keep);
        if let Some(id) = target {
            // The first element of an id is the one `<use>` copies.
            self.targets.insert(id.to_owned(), Rc::new(frame.el.clone()));
        }
        if parent.keep {
            parent.el.children.push(Child::Element(frame.el));
        }
        Ok(())
    }
}

/// The node and inherited context the children of the innermost root or group join.
fn container(stack: &[Frame<'_>]) -> (Option<NodeKey>, Inherited) {
    stack
        .iter()
        .rev()
        .find_map(|f| match (f.role, &f.inh) {
            (Role::Group(key), Some(inh)) => Some((Some(key), inh.clone())),
            (Role::Root, Some(inh)) => Some((None, inh.clone())),
            _ => None,
        })
        .unwrap_or_default()
}

/// An open element or one of the earlier siblings of one, for selectors to match.
struct Placed<'s, 'a> {
    stack: &'s [Frame<'a>],
    at: At,
}

#[derive(Clone, Copy)]
enum At {
    /// The open element at this depth of the stack.
    Open(usize),
    /// The n-th ended child of the open element at this depth.
    Sibling(usize, usize),
}

impl Placed<'_, '_> {
    fn element(&self) -> &Element<'_> {
        match self.at {
            At::Open(i) => &self.stack[i].el,
            At::Sibling(p, j) => &self.stack[p].siblings[j],
        }
    }

    fn at(&self, at: At) -> Self {
        Placed { stack: self.stack, at }
    }
}

impl simplecss::Element for Placed<'_, '_> {
    fn parent_element(&self) -> Option<Self> {
        match self.at {
            At::Open(0) => None,
            At::Open(i) => Some(self.at(At::Open(i - 1))),
            At::Sibling(p, _) => Some(self.at(At::Open(p))),
        }
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        match self.at {
            At::Open(0) => None,
            At::Open(i) => {
                self.stack[i - 1].siblings.len().checked_sub(1).map(|j| self.at(At::Sibling(i - 1, j)))
            }
            At::Sibling(p, j) => j.checked_sub(1).map(|j| self.at(At::Sibling(p, j))),
        }
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.element().name == name
    }

    fn attribute_matches(&self, local_name: &str, operator: AttributeOperator<'_>) -> bool {
        self.element().attribute(local_name).is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: PseudoClass<'_>) -> bool {
        matches!(class, PseudoClass::FirstChild)
            && match self.at {
                At::Open(0) => true,
                At::Open(i) => self.stack[i - 1].ended == 0,
                At::Sibling(_, j) => j == 0,
            }
    }
}
