//! The map's tree of groups and named elements in the Areas panel: collapsible groups, rows drawn
//! only where they are visible (large maps) and walked with the keyboard (`rows::RowList`),
//! selection shared with the canvas, and drag and drop to reorder or regroup (one undo step per
//! drop). Each row is an accessible tree item with its level, open state and binding status.

use std::collections::{HashMap, HashSet};

use super::properties::Edit;
use super::rows::{Item, Nav, RowList, describe, select};
use crate::binding::AreaStatus;
use crate::edit::Change;
use crate::editor::Document;
use crate::ids::RawId;
use crate::model::{Map, NodeKey, NodeKind};

/// One visible row.
#[derive(Clone)]
struct Row {
    key: NodeKey,
    depth: usize,
    group: bool,
    label: String,
}

/// Which groups are closed (groups start open), and the rows that follow from it.
pub struct Tree {
    closed: HashSet<NodeKey>,
    rows: Vec<Row>,
    built_for: Option<(u64, usize)>,
    generation: usize,
    /// The selected element last scrolled into view.
    revealed: Option<NodeKey>,
    /// The rows as the keyboard walks them.
    pub list: RowList,
}

impl Default for Tree {
    fn default() -> Self {
        Tree {
            closed: HashSet::new(),
            rows: Vec::new(),
            built_for: None,
            generation: 0,
            revealed: None,
            list: RowList::new("tree"),
        }
    }
}

impl Tree {
    /// Draws the tree; returns a reorder or regroup edit when a row is dropped on another.
    /// With `statuses` (the report's values are loaded), each area's row shows its status
    /// against them as a coloured mark and says it.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        selection: &mut Vec<NodeKey>,
        statuses: Option<&HashMap<NodeKey, AreaStatus>>,
    ) -> Option<Edit> {
        if self.built_for != Some((doc.tree_revision, self.generation)) {
            self.rows.clear();
            collect(doc.map(), None, 0, &self.closed, &mut self.rows);
            self.built_for = Some((doc.tree_revision, self.generation));
        }
        // An element selected elsewhere (on the canvas, in Problems) is scrolled into view.
        let first = selection.first().copied();
        if first != self.revealed {
            self.revealed = first;
            if let Some(i) = first.and_then(|k| self.rows.iter().position(|r| r.key == k))
                && !self.list.has_focus()
            {
                self.list.reveal(i);
            }
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let shift = ui.input(|i| i.modifiers.shift);
        let mut edit = None;
        let mut toggle = None;
        let rows = &self.rows;
        let closed = &self.closed;
        let nav = self.list.show(ui, rows.len(), row_height, |ui, i, sense| {
            let row = &rows[i];
            ui.horizontal(|ui| {
                ui.add_space(row.depth as f32 * 14.0);
                if row.group {
                    let open = !closed.contains(&row.key);
                    let icon = if open {
                        egui_material_icons::icons::ICON_EXPAND_MORE
                    } else {
                        egui_material_icons::icons::ICON_CHEVRON_RIGHT
                    };
                    // Not a Tab stop of its own: Left and Right on the row do the same.
                    let expander = ui
                        .add(egui::Button::new(icon).frame(false).sense(egui::Sense::CLICK))
                        .on_hover_text("Open or close the group");
                    let name = format!("{} {}", if open { "Close" } else { "Open" }, row.label);
                    ui.ctx().accesskit_node_builder(expander.id, |n| n.set_label(name));
                    if expander.clicked() {
                        toggle = Some(row.key);
                    }
                } else {
                    ui.add_space(ui.spacing().icon_width);
                }
                let selected = selection.contains(&row.key);
                let against_values = statuses.and_then(|s| s.get(&row.key)).copied();
                if let Some(s) = against_values {
                    let (mark, _) = ui.allocate_exact_size(egui::Vec2::splat(8.0), egui::Sense::hover());
                    ui.painter().circle_filled(mark.center(), 4.0, super::canvas::status_colour(s));
                }
                // One widget takes both the click (select) and the drag (move): a drag
                // source laid over the row used to swallow its clicks.
                let response = ui.add(egui::Button::selectable(selected, &row.label).sense(sense));
                let description = status(doc, row, !closed.contains(&row.key), against_values);
                describe(
                    ui,
                    &response,
                    &Item {
                        role: egui::accesskit::Role::TreeItem,
                        level: Some(row.depth + 1),
                        expanded: row.group.then(|| !closed.contains(&row.key)),
                        selected,
                        description: &description,
                    },
                );
                response.dnd_set_drag_payload(row.key);
                if response.clicked() {
                    if shift && selected {
                        selection.retain(|k| *k != row.key);
                    } else {
                        select(selection, row.key, shift);
                    }
                }
                if let Some(dragged) = response.dnd_release_payload::<NodeKey>() {
                    edit = drop_on(doc.map(), *dragged, row.key, row.group);
                }
                response
            })
            .inner
        });
        match nav {
            Some(Nav::To { index, extend }) => select(selection, self.rows[index].key, extend),
            Some(Nav::Left(i)) => {
                let row = &self.rows[i];
                if row.group && !self.closed.contains(&row.key) {
                    toggle = Some(row.key);
                } else if let Some(parent) = self.rows[..i].iter().rposition(|r| r.depth + 1 == row.depth) {
                    self.list.focus(parent);
                    select(selection, self.rows[parent].key, false);
                }
            }
            Some(Nav::Right(i)) => {
                let row = &self.rows[i];
                if row.group && self.closed.contains(&row.key) {
                    toggle = Some(row.key);
                } else if self.rows.get(i + 1).is_some_and(|next| next.depth > row.depth) {
                    self.list.focus(i + 1);
                    select(selection, self.rows[i + 1].key, false);
                }
            }
            None => {}
        }
        if let Some(key) = toggle {
            if !self.closed.remove(&key) {
                self.closed.insert(key);
            }
            self.generation += 1;
        }
        edit
    }
}

/// What a row's label does not say: its level, whether it is an open or closed group, and the
/// binding status of an area or that it is not one. (Level and open state are also set as
/// properties, but AccessKit's Linux adapter does not pass them on, so they are said here too.)
fn status(doc: &Document, row: &Row, open: bool, against_values: Option<AreaStatus>) -> String {
    let mut said = vec![format!("level {}", row.depth + 1)];
    if row.group {
        said.push(if open { "open group" } else { "closed group" }.into());
    }
    said.push(match (against_values, doc.area_index(row.key)) {
        (Some(s), _) => s.as_str().into(),
        (None, Some(i)) => doc.areas[i].status.as_str().into(),
        (None, None) => "not an area".into(),
    });
    said.join(", ")
}

fn collect(map: &Map, parent: Option<NodeKey>, depth: usize, closed: &HashSet<NodeKey>, out: &mut Vec<Row>) {
    // Top of the paint order first, as drawing tools list layers.
    for &key in map.children(parent).iter().rev() {
        let node = map.node(key);
        let group = matches!(node.kind, NodeKind::Group(_));
        // Groups and named elements; unnamed shapes and text are drawing, not areas.
        if !group && node.id.is_none() {
            continue;
        }
        // The name the data binds by, with the title beside it when that says something else.
        let name = node.id.as_ref().map(RawId::to_name);
        let mut label = match (name, &node.title) {
            (Some(name), Some(title)) if **title != *name => format!("{name}  ·  {title}"),
            (Some(name), _) => name,
            (None, Some(title)) => title.to_string(),
            (None, None) => format!("<{}>", node.element_name()),
        };
        if node.hidden {
            label.push_str("  (hidden)");
        }
        if node.locked {
            label.push_str("  (locked)");
        }
        out.push(Row { key, depth, group, label });
        if group && !closed.contains(&key) {
            collect(map, Some(key), depth + 1, closed, out);
        }
    }
}

/// Dropping `dragged` on `target`: into it when it is a group, else just above it.
fn drop_on(map: &Map, dragged: NodeKey, target: NodeKey, into_group: bool) -> Option<Edit> {
    if dragged == target || map.ancestors(target).any(|a| a == dragged) {
        return None;
    }
    let (parent, index) = if into_group {
        (Some(target), map.children(Some(target)).len())
    } else {
        let (parent, index) = map.position(target)?;
        // Rows list the top of the paint order first: "above" in the list is later in paint order.
        (parent, index + 1)
    };
    let moved_parent = map.position(dragged)?.0;
    // Moving within the same parent: the index counts without the dragged node.
    let index = match map.position(dragged) {
        Some((p, i)) if p == parent && i < index => index - 1,
        _ => index,
    };
    let name = if moved_parent == parent { "Reorder" } else { "Regroup" };
    let transform = map.node(dragged).transform();
    // Keep the shape where it is drawn: compensate for the new parent's transform.
    let old_parent = moved_parent.map_or(kurbo::Affine::IDENTITY, |p| map.doc_from_node(p));
    let new_parent = parent.map_or(kurbo::Affine::IDENTITY, |p| map.doc_from_node(p));
    let kept = new_parent.inverse() * old_parent * transform;
    let mut changes = vec![Change::Move(dragged, parent, index)];
    if kept != transform {
        changes.push(Change::Transform(dragged, kept));
    }
    Some(Edit { name: name.into(), changes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Geometry, Node};

    #[test]
    fn rows_show_the_name_with_a_different_title_beside_it() {
        let mut doc = Document::blank(100.0, 100.0);
        for (name, title) in [("Office 999", Some("Office 104")), ("Lab", Some("Lab")), ("Store", None)] {
            let mut n = Node::new(NodeKind::Shape(Geometry::Rect {
                rect: kurbo::Rect::new(0.0, 0.0, 5.0, 5.0),
                rx: None,
                ry: None,
            }));
            n.id = Some(crate::ids::AreaId::from_name(name).unwrap().into());
            n.title = title.map(Into::into);
            doc.add("Draw", None, n).unwrap();
        }
        let mut rows = Vec::new();
        collect(doc.map(), None, 0, &HashSet::new(), &mut rows);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Store", "Lab", "Office 999  ·  Office 104"]);
    }

    #[test]
    fn drops_reorder_within_a_parent_and_regroup_into_groups() {
        let mut doc = Document::blank(100.0, 100.0);
        let shape = |doc: &Document| {
            let mut n = Node::new(NodeKind::Shape(Geometry::Rect {
                rect: kurbo::Rect::new(0.0, 0.0, 5.0, 5.0),
                rx: None,
                ry: None,
            }));
            n.id = Some(doc.fresh_id("A").into());
            n
        };
        let a = doc.add("Draw", None, shape(&doc)).unwrap();
        let b = doc.add("Draw", None, shape(&doc)).unwrap();
        let mut g = Node::new(NodeKind::Group(Vec::new()));
        g.set_transform(kurbo::Affine::translate((10.0, 0.0)));
        let g = doc.add("Group", None, g).unwrap();
        // Drop a onto b: a goes just above b in the list, i.e. after it in paint order.
        let e = drop_on(doc.map(), a, b, false).unwrap();
        doc.edit(&e.name, e.changes).unwrap();
        assert_eq!(doc.map().roots(), &[b, a, g]);
        // Drop b into the translated group: it stays where it is drawn.
        let before = doc.map().bbox_in_doc(b).unwrap();
        let e = drop_on(doc.map(), b, g, true).unwrap();
        assert_eq!(e.name, "Regroup");
        doc.edit(&e.name, e.changes).unwrap();
        assert_eq!(doc.map().children(Some(g)), &[b]);
        assert_eq!(doc.map().bbox_in_doc(b).unwrap(), before);
        assert!(drop_on(doc.map(), g, b, false).is_none(), "a group cannot go inside itself");
    }
}
