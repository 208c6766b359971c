//! The properties panel: the selected area's name (edited as the author's plain name and
//! encoded with the id rules, with live errors for invalid and duplicate names), title, type,
//! data point, drill and link URLs; bulk rename of a multiple selection; and the map's own
//! properties when nothing is selected. Every edit becomes one undo step.

use crate::binding::{AreaId, RawId};
use crate::edit::Change;
use crate::model::{AreaType, Binding, MapMeta, NodeKey};

use crate::editor::Document;

/// Text being edited, loaded from the selection and committed when a field loses focus.
#[derive(Default)]
pub struct PropertiesPanel {
    loaded_for: Option<(Vec<NodeKey>, u64)>,
    transform: super::transform_panel::TransformPanel,
    name: String,
    title: String,
    strong: String,
    drill: String,
    link: String,
    author: String,
    attribution: String,
    autofetch: String,
    prefix: String,
    start: u32,
    step: u32,
    find: String,
    replace: String,
    opacity: Option<f64>,
    /// A bulk rename waiting on the author because some of its names cannot be used.
    pending_rename: Option<RenamePlan>,
    /// "Value" picked for a node that has no value yet: the field is open for typing until
    /// the value is committed or another mode is picked (the node still binds as before).
    typing_value: bool,
    /// Put the keyboard in the name field (or the bulk-rename prefix) on the next frame.
    pub focus_name: bool,
    /// Whether another node has the typed id, for (revision, id): looked up once per change of
    /// either, not every frame (a scan of every node on large maps).
    duplicate: Option<(u64, String, bool)>,
}

/// An edit the panel asks for: one undo step.
pub struct Edit {
    /// The step's name.
    pub name: String,
    /// Its changes.
    pub changes: Vec<Change>,
}

impl PropertiesPanel {
    /// Draws the panel for `selection`; returns the edit to apply, if any.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, selection: &[NodeKey]) -> Option<Edit> {
        ui.heading("Properties");
        let stamp = (selection.to_vec(), doc.revision);
        if self.loaded_for.as_ref() != Some(&stamp) {
            self.load(doc, selection);
            self.loaded_for = Some(stamp);
        }
        let edit = match selection {
            [] => self.map_ui(ui, doc),
            [key] => self.node_ui(ui, doc, *key),
            keys => self.bulk_ui(ui, doc, keys),
        };
        let moved = if selection.is_empty() { None } else { self.transform.ui(ui, doc, selection) };
        edit.or(moved)
    }

    fn load(&mut self, doc: &Document, selection: &[NodeKey]) {
        let node = match selection {
            [key] => doc.map().get(*key),
            _ => None,
        };
        self.typing_value = false;
        self.pending_rename = None;
        if let Some(n) = node {
            self.name = n.id.as_ref().map(RawId::to_name).unwrap_or_default();
            self.title = n.title.as_deref().unwrap_or_default().to_owned();
            self.strong = match n.binding() {
                Binding::Strong(v) => v.to_string(),
                _ => String::new(),
            };
            self.drill = n.drill_url().unwrap_or_default().to_owned();
            self.link = n.link_url().unwrap_or_default().to_owned();
        }
        let meta = &doc.map().meta;
        self.author = meta.author.clone().unwrap_or_default();
        self.attribution = meta.attribution.clone().unwrap_or_default();
        self.autofetch = meta.autofetch.clone().unwrap_or_default();
        if self.step == 0 {
            self.step = 1;
            self.start = 1;
        }
    }

    fn node_ui(&mut self, ui: &mut egui::Ui, doc: &Document, key: NodeKey) -> Option<Edit> {
        let node = doc.map().get(key)?;
        let mut edit = None;
        let label = ui.label("Name");
        let name_field = ui.text_edit_singleline(&mut self.name).labelled_by(label.id);
        if std::mem::take(&mut self.focus_name) {
            name_field.request_focus();
        }
        let parsed =
            if self.name.trim().is_empty() { None } else { Some(AreaId::from_name(self.name.trim())) };
        let duplicate = match &parsed {
            Some(Ok(id)) => match &self.duplicate {
                Some((revision, seen, taken)) if *revision == doc.revision && seen == id.as_str() => *taken,
                _ => {
                    let taken = doc.map().iter().any(|(other, n)| {
                        other != key && n.id.as_ref().map(RawId::as_str) == Some(id.as_str())
                    });
                    self.duplicate = Some((doc.revision, id.as_str().to_string(), taken));
                    taken
                }
            },
            _ => false,
        };
        match &parsed {
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Not a usable name: {e}"));
            }
            Some(Ok(_)) if duplicate => {
                ui.colored_label(ui.visuals().error_fg_color, "Another element already has this name");
            }
            Some(Ok(id)) => {
                // An id kept as read that the rules spell differently: say what export writes.
                let as_read = node
                    .id
                    .as_ref()
                    .filter(|raw| raw.as_str() != id.as_str() && raw.to_name() == self.name.trim());
                let text = match as_read {
                    Some(raw) => format!("id as read: {raw} · export writes {id}"),
                    None => format!("id: {id}"),
                };
                ui.label(egui::RichText::new(text).small().weak());
            }
            None => {
                ui.label(egui::RichText::new("No name: the area cannot bind").small().weak());
            }
        }
        // Leaving the field unchanged keeps the id as read, even one the rules would write
        // differently (`Print Room`); a changed name is written by the rules.
        let changed = node.id.as_ref().map(RawId::to_name).unwrap_or_default() != self.name.trim();
        if name_field.lost_focus() && !duplicate && changed {
            let new = match parsed {
                Some(Ok(id)) => Some(Some(RawId::from(id))),
                None => Some(None),
                Some(Err(_)) => None,
            };
            if let Some(new) = new.filter(|n| *n != node.id) {
                edit = Some(Edit { name: "Rename".into(), changes: vec![Change::Id(key, new)] });
            }
        }
        let label = ui.label("Title");
        if ui.text_edit_singleline(&mut self.title).labelled_by(label.id).lost_focus() {
            let new = non_empty(&self.title);
            if new.as_deref() != node.title.as_deref() {
                edit = Some(Edit { name: "Change title".into(), changes: vec![Change::Title(key, new)] });
            }
        }
        let current_type = node.area_type.unwrap_or(AreaType::Area);
        let mut area_type = current_type;
        let combo =
            egui::ComboBox::from_label("Type").selected_text(type_label(area_type)).show_ui(ui, |ui| {
                for t in [AreaType::Area, AreaType::Link, AreaType::Decoration] {
                    ui.selectable_value(&mut area_type, t, type_label(t));
                }
            });
        super::a11y::shows(ui, &combo.response, type_label(current_type));
        if area_type != current_type {
            let value = (area_type != AreaType::Area).then_some(area_type);
            edit = Some(Edit { name: "Change type".into(), changes: vec![Change::AreaType(key, value)] });
        }
        let data_point = ui.label("Data point");
        let mut mode = match node.binding() {
            _ if self.typing_value => 2,
            Binding::Auto => 0,
            Binding::DoNotBind => 1,
            Binding::Strong(_) => 2,
        };
        let before = mode;
        ui.horizontal(|ui| {
            ui.radio_value(&mut mode, 0, "Auto Bind");
            ui.radio_value(&mut mode, 1, "Do Not Bind");
            ui.radio_value(&mut mode, 2, "Value");
        });
        let strong_field = ui
            .add_enabled(
                mode == 2,
                egui::TextEdit::singleline(&mut self.strong).hint_text("the category value to bind to"),
            )
            .labelled_by(data_point.id);
        if mode == 2 && before != 2 {
            // Picking Value opens the field: the binding changes once a value is typed.
            self.typing_value = true;
            strong_field.request_focus();
        }
        let binding = match mode {
            0 => Binding::Auto,
            1 => Binding::DoNotBind,
            _ => Binding::Strong(self.strong.trim().into()),
        };
        let committed = strong_field.lost_focus() && !self.strong.trim().is_empty();
        if (mode != before && mode != 2 || committed) && binding != *node.binding() {
            self.typing_value = false;
            edit =
                Some(Edit { name: "Change data point".into(), changes: vec![Change::Binding(key, binding)] });
        } else if mode != 2 {
            self.typing_value = false;
        }
        for (label, buffer, current, make) in [
            (
                "Drill URL",
                &mut self.drill,
                node.drill_url(),
                Change::DrillUrl as fn(NodeKey, Option<Box<str>>) -> Change,
            ),
            ("Link URL", &mut self.link, node.link_url(), Change::LinkUrl),
        ] {
            let l = ui.label(label);
            if ui.text_edit_singleline(buffer).labelled_by(l.id).lost_focus() {
                let new = non_empty(buffer).map(String::into_boxed_str);
                if new.as_deref() != current {
                    edit = Some(Edit {
                        name: format!("Change {}", label.to_lowercase()),
                        changes: vec![make(key, new)],
                    });
                }
            }
        }
        edit
    }

    fn bulk_ui(&mut self, ui: &mut egui::Ui, doc: &Document, keys: &[NodeKey]) -> Option<Edit> {
        ui.label(format!("{} elements selected", keys.len()));
        ui.separator();
        ui.label("Rename with a sequence");
        let mut edit = None;
        ui.horizontal(|ui| {
            let l = ui.label("Prefix");
            let prefix = ui.text_edit_singleline(&mut self.prefix).labelled_by(l.id);
            if std::mem::take(&mut self.focus_name) {
                prefix.request_focus();
            }
        });
        ui.horizontal(|ui| {
            ui.label("Start");
            ui.add(egui::DragValue::new(&mut self.start));
            ui.label("Step");
            ui.add(egui::DragValue::new(&mut self.step).range(1..=1000));
        });
        if ui.button("Rename in sequence").clicked() {
            edit = self.propose(sequence_rename(doc, keys, &self.prefix, self.start, self.step));
        }
        ui.separator();
        ui.label("Find and replace in names");
        ui.horizontal(|ui| {
            let l = ui.label("Find");
            ui.text_edit_singleline(&mut self.find).labelled_by(l.id);
        });
        ui.horizontal(|ui| {
            let l = ui.label("Replace with");
            ui.text_edit_singleline(&mut self.replace).labelled_by(l.id);
        });
        if ui.add_enabled(!self.find.is_empty(), egui::Button::new("Replace in names")).clicked() {
            edit = self.propose(find_replace(doc, keys, &self.find, &self.replace));
        }
        if let Some(plan) = &self.pending_rename {
            ui.separator();
            let n = plan.clashes.len();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{n} {} cannot be used:", if n == 1 { "name" } else { "names" }),
            );
            for clash in &plan.clashes {
                ui.label(format!("• {clash}"));
            }
            let others = plan.changes.len();
            let mut choice = None;
            ui.horizontal(|ui| {
                let skip = format!("Rename the other {others}");
                if ui.add_enabled(others > 0, egui::Button::new(skip)).clicked() {
                    choice = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(false);
                }
            });
            if let Some(go) = choice
                && let Some(plan) = self.pending_rename.take()
                && go
            {
                edit = Some(Edit { name: format!("Rename {others} elements"), changes: plan.changes });
            }
        }
        edit
    }

    /// The edit of a bulk rename, or, when some names clash or are invalid, nothing yet: the
    /// panel lists them and asks whether to rename the others.
    fn propose(&mut self, plan: RenamePlan) -> Option<Edit> {
        if plan.clashes.is_empty() {
            self.pending_rename = None;
            let n = plan.changes.len();
            return (n > 0).then(|| Edit { name: format!("Rename {n} elements"), changes: plan.changes });
        }
        self.pending_rename = Some(plan);
        None
    }

    fn map_ui(&mut self, ui: &mut egui::Ui, doc: &Document) -> Option<Edit> {
        ui.label("Map");
        let meta = &doc.map().meta;
        let mut edit = None;
        let mut commit = |new: MapMeta, what: &str| {
            edit = Some(Edit { name: format!("Change {what}"), changes: vec![Change::Meta(new)] });
        };
        for (label, buffer, what) in [
            ("Author", &mut self.author, "author"),
            ("Attribution", &mut self.attribution, "attribution"),
            ("Auto-fetch URL", &mut self.autofetch, "auto-fetch"),
        ] {
            let l = ui.label(label);
            if ui.text_edit_singleline(buffer).labelled_by(l.id).lost_focus() {
                let value = non_empty(buffer);
                let mut new = meta.clone();
                let slot = match what {
                    "author" => &mut new.author,
                    "attribution" => &mut new.attribution,
                    _ => &mut new.autofetch,
                };
                if *slot != value {
                    *slot = value;
                    commit(new, what);
                }
            }
        }
        let mut no_labels = meta.no_labels.unwrap_or(false);
        if ui.checkbox(&mut no_labels, "No labels in the visual").changed() {
            commit(MapMeta { no_labels: no_labels.then_some(true), ..meta.clone() }, "labels");
        }
        if let Some(t) = &doc.map().tracing {
            ui.separator();
            ui.label("Tracing image (editor only unless exported)");
            let opacity = self.opacity.get_or_insert(t.opacity);
            let slider = ui.add(egui::Slider::new(opacity, 0.0..=1.0).text("Opacity"));
            if slider.drag_stopped() || slider.changed() && !slider.dragged() {
                let new = crate::model::TracingImage { opacity: *opacity, ..t.clone() };
                self.opacity = None;
                edit = Some(Edit {
                    name: "Change tracing opacity".into(),
                    changes: vec![Change::Tracing(Some(new))],
                });
            }
            if ui.button("Remove the tracing image").clicked() {
                edit =
                    Some(Edit { name: "Remove tracing image".into(), changes: vec![Change::Tracing(None)] });
            }
        }
        ui.label(super::words::count(doc.areas.len(), "area", "areas"));
        edit
    }
}

fn type_label(t: AreaType) -> &'static str {
    match t {
        AreaType::Area => "Area",
        AreaType::Link => "Link",
        AreaType::Decoration => "Decoration",
    }
}

/// The trimmed text, or `None` when it is blank.
pub(super) fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Renames `keys` to `prefix` + `start`, `start + step`, …; `None` when a name is invalid or
/// would collide with an element outside the selection.
pub fn sequence_rename(doc: &Document, keys: &[NodeKey], prefix: &str, start: u32, step: u32) -> RenamePlan {
    let names =
        (0..keys.len()).map(|i| format!("{prefix}{}", u64::from(start) + i as u64 * u64::from(step.max(1))));
    renames(doc, keys, names.collect())
}

/// Replaces `find` with `replace` in the plain names of `keys`.
pub fn find_replace(doc: &Document, keys: &[NodeKey], find: &str, replace: &str) -> RenamePlan {
    let names = keys
        .iter()
        .map(|k| {
            doc.map()
                .get(*k)
                .and_then(|n| n.id.as_ref())
                .map(RawId::to_name)
                .unwrap_or_default()
                .replace(find, replace)
        })
        .collect();
    renames(doc, keys, names)
}

/// A bulk rename worked out: the renames that can be made, and why the others cannot.
#[derive(Debug)]
pub struct RenamePlan {
    /// The renames that can be made together.
    pub changes: Vec<Change>,
    /// Each name that cannot be used, with why.
    pub clashes: Vec<String>,
}

/// Gives `keys` the plain `names`. A name that is invalid, taken by an element outside the
/// selection or given twice is a clash, and its element keeps its name, which the others
/// then cannot take either.
fn renames(doc: &Document, keys: &[NodeKey], names: Vec<String>) -> RenamePlan {
    let map = doc.map();
    let current = |k: &NodeKey| map.get(*k).and_then(|n| n.id.as_ref()).map(|i| i.as_str().to_string());
    let outside: std::collections::HashSet<String> = map
        .iter()
        .filter(|(k, _)| !keys.contains(k))
        .filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_string()))
        .collect();
    // Skipping one rename keeps its old name, which can clash with another: until stable.
    let mut skipped: std::collections::HashMap<NodeKey, String> = std::collections::HashMap::new();
    loop {
        let mut taken = outside.clone();
        taken.extend(skipped.keys().filter_map(current));
        let mut plan = RenamePlan { changes: Vec::new(), clashes: Vec::new() };
        let mut more = Vec::new();
        for (key, name) in keys.iter().zip(&names) {
            if let Some(why) = skipped.get(key) {
                plan.clashes.push(why.clone());
                continue;
            }
            let why = match AreaId::from_name(name) {
                Err(e) => format!("{name}: not a valid name ({e})"),
                Ok(id) if !taken.insert(id.as_str().to_string()) => format!("{name}: already used"),
                Ok(id) => {
                    if current(key).as_deref() != Some(id.as_str()) {
                        plan.changes.push(Change::Id(*key, Some(id.into())));
                    }
                    continue;
                }
            };
            more.push((*key, why));
        }
        if more.is_empty() {
            return plan;
        }
        skipped.extend(more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Geometry, Node, NodeKind};

    fn doc(names: &[&str]) -> (Document, Vec<NodeKey>) {
        let mut doc = Document::blank(100.0, 100.0);
        let keys = names
            .iter()
            .map(|n| {
                let r = kurbo::Rect::new(0.0, 0.0, 5.0, 5.0);
                let mut node = Node::new(NodeKind::Shape(Geometry::Rect { rect: r, rx: None, ry: None }));
                node.id = Some(AreaId::from_name(n).unwrap().into());
                doc.add("Draw", None, node).unwrap()
            })
            .collect();
        (doc, keys)
    }

    #[test]
    fn sequence_rename_numbers_with_start_and_step_and_refuses_collisions() {
        let (mut d, keys) = doc(&["a", "b", "c", "Room 9"]);
        let plan = sequence_rename(&d, &keys[..3], "Room ", 1, 2);
        assert!(plan.clashes.is_empty());
        d.edit("Rename", plan.changes).unwrap();
        let names: Vec<String> =
            keys[..3].iter().map(|k| d.map().node(*k).id.as_ref().unwrap().to_name()).collect();
        assert_eq!(names, ["Room 1", "Room 3", "Room 5"]);
        let plan = sequence_rename(&d, &keys[..1], "Room ", 9, 1);
        assert_eq!(plan.clashes, ["Room 9: already used"], "Room 9 is taken outside the selection");
        assert!(plan.changes.is_empty());
    }

    #[test]
    fn find_and_replace_in_plain_names() {
        let (d, keys) = doc(&["Office 101", "Office 102"]);
        let plan = find_replace(&d, &keys, "Office", "Room");
        assert_eq!(plan.changes.len(), 2);
        assert!(matches!(&plan.changes[0], Change::Id(_, Some(id)) if id.as_str() == "Room_x20_101"));
        let plan = find_replace(&d, &keys, "101", "102");
        assert_eq!(plan.clashes.len(), 2, "the second keeps its name, which the first cannot take");
        assert!(plan.changes.is_empty());
    }

    #[test]
    fn a_clashing_rename_names_the_clashes_and_renames_the_others() {
        let names = ["Office 101", "Office 102", "Office 103", "Office 111"];
        let (d, keys) = doc(&names);
        // Office 101 would become Office 111, which an unselected room has.
        let plan = find_replace(&d, &keys[..3], "Office 10", "Office 11");
        assert_eq!(plan.clashes, ["Office 111: already used"]);
        assert_eq!(plan.changes.len(), 2, "Office 112 and 113 can be made");
        let plan = find_replace(&d, &keys[..1], "Office 101", "");
        assert_eq!(plan.clashes.len(), 1);
        assert!(plan.clashes[0].contains("not a valid name"), "{:?}", plan.clashes);
    }
}
