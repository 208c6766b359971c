//! The window's panels: areas (searchable tree order list in sync with the canvas), problems
//! from the engine's check (refreshed in the background), properties, publishing, the central
//! canvas, the status bar, and the modal questions (unsaved changes, recovery, new map, export).

use egui::accesskit::Role;

use super::job::Status;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::a11y;
use super::canvas::CanvasAction;
use super::command::Command;
use super::data::{DataAction, Matching};
use super::rows::{Item, Nav, RowList, describe, select};
use super::{EditorApp, Modal, Purpose, words};
use crate::categories::CategoryTable;
use crate::check::check_map;
use crate::editor::{Document, operations};
use crate::findings::{Finding, Severity};
use crate::model::{Map, NodeKey};

/// The problems list: the engine's check of the document, recomputed off the UI thread after
/// changes.
pub struct Problems {
    findings: Vec<Located>,
    /// How the map matches the report's values, when values are loaded.
    pub matching: Option<Matching>,
    /// The document revision and values generation last checked.
    checked: Option<Checked>,
    job: Option<(Checked, Receiver<CheckResult>)>,
    /// The list as the keyboard walks it.
    pub list: RowList,
}

impl Default for Problems {
    fn default() -> Self {
        Problems {
            findings: Vec::new(),
            matching: None,
            checked: None,
            job: None,
            list: RowList::new("problems-list"),
        }
    }
}

/// The longest the Problems check waits after an edit for the canvas's tiles.
const CHECK_WAITS_AT_MOST: std::time::Duration = std::time::Duration::from_millis(300);

/// What a check was of: the document revision and the generation of the report's values.
type Checked = (u64, u64);

/// What the background check hands back: the findings, and how the map matches the values.
type CheckResult = (Vec<Located>, Option<Matching>);

/// A finding with the node it is about, found when the check ran.
type Located = (Finding, Option<NodeKey>);

impl Problems {
    /// Checks the map again after a change of it or of the report's `values` (with their
    /// generation), in the background.
    fn refresh(&mut self, ctx: &egui::Context, doc: &Document, values: Option<(Arc<CategoryTable>, u64)>) {
        if let Some((checked, rx)) = &self.job
            && let Ok((findings, matching)) = rx.try_recv()
        {
            self.findings = findings;
            self.matching = matching;
            self.checked = Some(*checked);
            self.job = None;
        }
        let wanted = (doc.revision, values.as_ref().map_or(0, |(_, g)| *g));
        // Not in the middle of a drag: the check of the finished step follows.
        if self.job.is_none() && self.checked != Some(wanted) && !doc.in_transaction() {
            let map = doc.snapshot();
            let read = doc.import_findings.clone();
            let (tx, rx) = channel();
            let ctx = ctx.clone();
            super::background::spawn(super::background::Priority::Checking, move || {
                let _ = tx.send(check_with_targets(&map, read, values.as_ref().map(|(t, _)| &**t)));
                ctx.request_repaint();
            });
            self.job = Some((wanted, rx));
        }
    }
}

/// A row of the search results: an area (by its index in the list) or a hidden element.
enum Found {
    Area(usize),
    Hidden(NodeKey),
}

/// What the start screen asks for.
enum Start {
    /// A command of the table (new map, new from image, open).
    Command(Command),
    /// A recent map.
    Recent(std::path::PathBuf),
    /// The sample map that comes with synmap.
    Sample,
}

/// The sample map, built in so the start screen can open it wherever synmap is installed.
const SAMPLE_MAP: &str = include_str!("../../assets/samples/office-floor.svg");

/// The findings `synmap check` makes of the map (with what reading its file found, and against
/// the report's values when loaded), each with the first node that has the id it names; and how
/// the map matches the values.
fn check_with_targets(map: &Map, read: Vec<Finding>, values: Option<&CategoryTable>) -> CheckResult {
    let mut by_id: HashMap<&str, NodeKey> = HashMap::new();
    for (key, node) in map.iter() {
        if let Some(id) = &node.id {
            by_id.entry(id.as_str()).or_insert(key);
        }
    }
    let report = check_map(map, read, values);
    let matching = Matching::of(&report);
    let located = report
        .findings
        .into_iter()
        .map(|f| {
            let target = f.element.as_deref().and_then(|id| by_id.get(id).copied());
            (f, target)
        })
        .collect();
    (located, matching)
}

impl EditorApp {
    /// Left: areas and problems. Right: properties, and the Publish panel when shown.
    pub(super) fn side_panels(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.expire_status(&ctx);
        egui::Panel::bottom("status").show(ui, |ui| {
            a11y::region(ui, Role::Pane, "Status bar");
            ui.horizontal(|ui| {
                ui.scope(|ui| {
                    a11y::live(ui, "Status");
                    match &self.status {
                        Some(_) => super::job::status_ui(ui, &self.status),
                        None => {
                            ui.label(if self.saving.is_some() { "Saving…" } else { "Ready" });
                        }
                    }
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(self.view_facts());
                    ui.scope(|ui| {
                        // Announced when the selection changes, on the canvas or anywhere.
                        a11y::live(ui, "Selection");
                        ui.label(self.selection_said());
                    });
                });
            });
        });
        egui::Panel::left("areas").default_size(300.0).min_size(200.0).max_size(420.0).show(ui, |ui| {
            a11y::region(ui, Role::Pane, "Areas panel");
            egui::Panel::bottom("problems").default_size(220.0).min_size(120.0).show(ui, |ui| {
                a11y::region(ui, Role::Pane, "Problems panel");
                self.problems_ui(ui, &ctx);
            });
            self.areas_ui(ui);
        });
        if self.show_publish {
            let mut open = None;
            egui::Panel::right("publish").default_size(360.0).min_size(300.0).max_size(460.0).show(
                ui,
                |ui| {
                    a11y::region(ui, Role::Pane, "Publish panel");
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let name = self.doc.as_ref().map_or_else(String::new, |d| super::stem(&d.name));
                        open = self.publish.ui(ui, self.doc.as_ref().map(Document::map), &name);
                    });
                },
            );
            if let Some(path) = open {
                self.open(&ctx, path);
            }
        }
        if self.show_data {
            let mut action = None;
            egui::Panel::right("data").default_size(340.0).min_size(280.0).max_size(480.0).show(ui, |ui| {
                a11y::region(ui, Role::Pane, "Data panel");
                action = self.data.ui(ui, self.problems.matching.as_ref());
            });
            match action {
                Some(DataAction::Load) => self.ask(Purpose::Data),
                Some(DataAction::Bind(pairs, how, name)) => self.bind_values(&pairs, how, name),
                None => {}
            }
        }
        if self.show_preview
            && let Some(doc) = &self.doc
        {
            let mut export = false;
            egui::Panel::right("preview").default_size(420.0).min_size(260.0).max_size(560.0).show(
                ui,
                |ui| {
                    a11y::region(ui, Role::Pane, "Preview pane");
                    ui.horizontal(|ui| {
                        ui.heading("Preview");
                        export = ui.button("Export PNG…").clicked();
                    });
                    ui.label("What the visual shows, coloured by binding status.");
                    self.preview.ui(ui, doc, self.data.values());
                },
            );
            if export {
                self.ask(Purpose::ExportPng);
            }
        }
        if let Some(doc) = &self.doc {
            let mut edit = None;
            egui::Panel::right("properties").default_size(280.0).min_size(240.0).max_size(420.0).show(
                ui,
                |ui| {
                    a11y::region(ui, Role::Pane, "Properties panel");
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        edit = self.properties.ui(ui, doc, &self.selection);
                    });
                },
            );
            self.edits.extend(edit);
        }
    }

    /// Binds report values to areas as one undo step, saying which could not be bound.
    pub(super) fn bind_values(
        &mut self,
        pairs: &[(NodeKey, String)],
        how: crate::editor::bind::BindAs,
        name: &str,
    ) {
        let Some(doc) = &self.doc else { return };
        let (changes, refused) = crate::editor::bind::bind(doc.map(), pairs, how);
        let bound = pairs.len() - refused.len();
        self.apply(name, changes);
        self.selection = pairs.iter().map(|(k, _)| *k).collect();
        self.status = Some(if refused.is_empty() {
            Status::Done(format!("Bound {}", words::count(bound, "value", "values")))
        } else {
            Status::Failed(format!("Bound {bound}; not bound: {}", refused.join("; ")))
        });
    }

    /// The selection in words: the area's name and binding status, or how many are selected.
    fn selection_said(&self) -> String {
        let Some(doc) = &self.doc else { return String::new() };
        match self.selection.as_slice() {
            [] => "Nothing selected".into(),
            [key] => {
                let node = doc.map().get(*key);
                let name = node.and_then(|n| n.display_name()).unwrap_or_else(|| "an unnamed element".into());
                match doc.area_index(*key) {
                    Some(i) => format!("{name}, {}", doc.areas[i].status.as_str()),
                    None => format!("{name}, not an area"),
                }
            }
            many => format!("{} selected", many.len()),
        }
    }

    /// Zoom, the pointer's position in map units, and the selection's size, for the right of
    /// the status bar.
    fn view_facts(&self) -> String {
        let Some(doc) = &self.doc else { return String::new() };
        let mut facts = Vec::new();
        if let Some(group) = self.canvas.entered().and_then(|g| doc.map().get(g)) {
            let name = group.display_name().unwrap_or_else(|| "a group".into());
            facts.push(format!("Inside {name} (Esc leaves)"));
        }
        if let Some(b) = doc.selection_box(&self.selection) {
            facts.push(format!("{:.1} × {:.1}", b.width(), b.height()));
        }
        if let Some(p) = self.canvas.pointer() {
            facts.push(format!("x {:.1}, y {:.1}", p.x, p.y));
        }
        facts.push(format!("{:.0} %", self.canvas.zoom() * 100.0));
        facts.join("   ·   ")
    }

    /// Clears a message of success a few seconds after it appeared (a failure stays until the
    /// next message).
    fn expire_status(&mut self, ctx: &egui::Context) {
        const SHOWN: std::time::Duration = std::time::Duration::from_secs(6);
        if self.status != self.status_seen.0 {
            self.status_seen = (self.status.clone(), std::time::Instant::now());
        }
        if let Some(Status::Done(_)) = &self.status {
            let left = SHOWN.saturating_sub(self.status_seen.1.elapsed());
            if left.is_zero() {
                self.status = None;
            } else {
                ctx.request_repaint_after(left);
            }
        }
    }

    fn areas_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Areas");
        let label = ui.label("Search id, title or data point");
        ui.text_edit_singleline(&mut self.filter).labelled_by(label.id);
        let Some(doc) = &self.doc else {
            ui.label("No map open.");
            return;
        };
        let needle = self.filter.to_lowercase();
        if needle.is_empty() {
            ui.label(format!(
                "{}; drag rows to reorder or regroup",
                words::count(doc.areas.len(), "area", "areas")
            ));
            let statuses = self.problems.matching.as_ref().map(|m| &m.statuses);
            self.edits.extend(self.tree.ui(ui, doc, &mut self.selection, statuses));
            return;
        }
        // The areas that match, then hidden elements that match (they are not areas while
        // hidden, and this is how one is found to be shown again).
        let mut rows: Vec<Found> = doc
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.search.contains(&needle))
            .map(|(i, _)| Found::Area(i))
            .collect();
        let areas_found = rows.len();
        rows.extend(
            doc.map()
                .iter()
                .filter(|(_, n)| n.hidden)
                .filter(|(_, n)| {
                    let name = n.id.as_ref().map(|i| i.to_name().to_lowercase()).unwrap_or_default();
                    let title = n.title.as_deref().unwrap_or_default().to_lowercase();
                    n.id.is_some() && (name.contains(&needle) || title.contains(&needle))
                })
                .map(|(k, _)| Found::Hidden(k)),
        );
        let hidden_found = rows.len() - areas_found;
        let mut summary = format!("{areas_found} of {}", words::count(doc.areas.len(), "area", "areas"));
        if hidden_found > 0 {
            summary.push_str(&format!(", and {hidden_found} hidden"));
        }
        ui.label(summary);
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let shift = ui.input(|i| i.modifiers.shift);
        let selection = &mut self.selection;
        let nav = self.found.show(ui, rows.len(), row_height, |ui, i, sense| {
            let (key, label, description, id) = match rows[i] {
                Found::Area(i) => {
                    let a = &doc.areas[i];
                    (a.key, a.label.clone(), a.status.as_str().to_owned(), a.id.clone())
                }
                Found::Hidden(k) => {
                    let node = doc.map().node(k);
                    let id = node.id.as_ref().map(ToString::to_string).unwrap_or_default();
                    let name = node.id.as_ref().map(|i| i.to_name()).unwrap_or_default();
                    (k, name, "hidden (Ctrl+H shows it)".to_owned(), id)
                }
            };
            let selected = selection.contains(&key);
            let text = format!("{label}  ·  {description}");
            let response = ui.add(egui::Button::selectable(selected, text).sense(sense)).on_hover_text(id);
            let role = egui::accesskit::Role::ListItem;
            describe(
                ui,
                &response,
                &Item { role, level: None, expanded: None, selected, description: &description },
            );
            if response.clicked() {
                if shift && selected {
                    selection.retain(|k| *k != key);
                } else {
                    select(selection, key, shift);
                }
            }
            response
        });
        if let Some(Nav::To { index, extend }) = nav {
            let key = match rows[index] {
                Found::Area(i) => doc.areas[i].key,
                Found::Hidden(k) => k,
            };
            select(selection, key, extend);
        }
    }

    fn problems_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let Some(doc) = &self.doc else { return };
        // The check waits for the map's first render, so it does not slow down showing the map,
        // and after an edit for the canvas's tiles (or a moment), so they get the cores first.
        let just_changed =
            self.seen_revision != doc.revision || self.changed_at.elapsed() < CHECK_WAITS_AT_MOST;
        let settled = self.canvas.is_settled() || !just_changed;
        if self.canvas.has_render() && settled {
            self.problems.refresh(ctx, doc, self.data.values());
        } else if self.canvas.has_render() {
            ctx.request_repaint_after(CHECK_WAITS_AT_MOST);
        }
        let errors = self.problems.findings.iter().filter(|(f, _)| f.severity == Severity::Error).count();
        let all = self.problems.findings.len();
        ui.heading(format!(
            "Problems ({errors} {}, {all} in all)",
            if errors == 1 { "error" } else { "errors" }
        ));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let findings = &self.problems.findings;
        let selection = &mut self.selection;
        let target = |i: usize| findings[i].1.filter(|k| doc.map().get(*k).is_some());
        let nav = self.problems.list.show(ui, findings.len(), row_height, |ui, i, sense| {
            let f = &findings[i].0;
            let text = format!("{} {}", f.severity.as_str(), f.message);
            // One line per problem (the list scrolls by rows); the whole text on hover.
            let selected = target(i).is_some_and(|k| selection.contains(&k));
            let response = ui
                .add(egui::Button::selectable(selected, text.as_str()).truncate().sense(sense))
                .on_hover_text(&text);
            let role = egui::accesskit::Role::ListItem;
            describe(ui, &response, &Item { role, level: None, expanded: None, selected, description: "" });
            if response.clicked()
                && let Some(k) = target(i)
            {
                *selection = vec![k];
            }
            response
        });
        if let Some(Nav::To { index, .. }) = nav
            && let Some(k) = target(index)
        {
            *selection = vec![k];
        }
    }

    /// The start screen, when no map is open: new, from an image, open, the recent maps and the
    /// bundled sample.
    fn start_screen(&self, ui: &mut egui::Ui) -> Option<Start> {
        let mut start = None;
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 5.0);
            ui.heading("synmap");
            ui.label(
                "Maps for the Synoptic Panel: draw, trace or import a plan, name its areas, publish it.",
            );
            ui.add_space(16.0);
            for c in [Command::NewMap, Command::NewFromImage, Command::Open] {
                let spec = c.spec();
                let text = format!("{}  {}", <&str>::from(spec.icon), spec.label);
                let button = egui::Button::new(text).min_size(egui::vec2(240.0, 28.0));
                let response = ui.add(button).on_hover_text(spec.tooltip);
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, spec.label));
                if response.clicked() {
                    start = Some(Start::Command(c));
                }
            }
            if ui.add(egui::Button::new("Open the sample map").min_size(egui::vec2(240.0, 28.0))).clicked() {
                start = Some(Start::Sample);
            }
            ui.add_space(16.0);
            if !self.settings.recent_files.is_empty() {
                ui.label("Recent maps");
                for path in &self.settings.recent_files {
                    if ui.link(path.display().to_string()).clicked() {
                        start = Some(Start::Recent(path.clone()));
                    }
                }
            }
            ui.add_space(8.0);
            ui.weak("Or drop a map on the window.");
        });
        start
    }

    /// The canvas, or what stands in for it.
    pub(super) fn central(&mut self, ui: &mut egui::Ui) {
        let mut start = None;
        let mut action = None;
        let keyboard = self.modal.is_none() && self.palette.is_none();
        egui::CentralPanel::default().show(ui, |ui| match (&mut self.doc, &self.loading) {
            (Some(doc), _) => {
                self.canvas.values = self.data.values();
                action = self.canvas.ui(ui, doc, &mut self.selection, keyboard);
            }
            // Still words, not a spinner: an animation repaints every frame, and on a machine
            // drawing in software those frames take the cores the map is being read on.
            (None, Some((path, _))) => {
                let name = path
                    .file_name()
                    .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                ui.centered_and_justified(|ui| ui.label(format!("Opening {name}…")));
            }
            (None, None) => start = self.start_screen(ui),
        });
        match start {
            Some(Start::Command(c)) => self.queue.push(c),
            Some(Start::Recent(path)) => self.open(ui.ctx(), path),
            Some(Start::Sample) => {
                let map =
                    crate::svg::import_bytes(SAMPLE_MAP.as_bytes()).expect("the bundled sample imports").map;
                self.doc = Some(Document::from_map(map, "office-floor.svg".into()));
                self.selection.clear();
                self.canvas.reset();
            }
            None => {}
        }
        self.prune_selection();
        match action {
            Some(CanvasAction::AskText(at, font_size)) => {
                self.modal = Some(Modal::Text { at, font_size, text: String::new() });
            }
            Some(CanvasAction::Failed(e)) => self.status = Some(Status::Failed(e)),
            Some(CanvasAction::Bind(key, value)) => {
                let how = self.data.bind_as();
                self.bind_values(&[(key, value)], how, "Bind value");
            }
            None => {}
        }
    }

    /// The modal question on top, if any.
    pub(super) fn modals(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else { return };
        let mut keep = true;
        let mut next = None;
        let title = match &modal {
            Modal::Unsaved(_) => "Unsaved changes",
            Modal::Recover(_) => "Recover unsaved work",
            Modal::NewMap { .. } => "New map",
            Modal::Export(_) => "Export for the Synoptic Panel",
            Modal::Text { .. } => "Text label",
            Modal::NameAreas(_) => "Name areas",
            Modal::TraceAll(_) => "Trace all rooms",
            Modal::Combine { .. } => "Combine",
            Modal::Import(dialog) => dialog.title(),
        };
        let mut modal = modal;
        egui::Modal::new(egui::Id::unique("synmap-modal")).show(ctx, |ui| {
            ui.heading(title);
            match &mut modal {
                Modal::Unsaved(after) => {
                    let name = self.doc.as_ref().map_or_else(String::new, |d| d.name.clone());
                    ui.label(format!("\"{name}\" has changes that are not saved."));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            self.after_save = Some(after.clone());
                            self.save(ctx);
                            keep = false;
                        }
                        if ui.button("Don't save").clicked() {
                            self.autosave.clear();
                            next = Some(after.clone());
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Recover(info) => {
                    ui.label(format!(
                        "synmap did not close normally. \"{}\" has unsaved work from {}.",
                        info.name,
                        words::when(&info.time)
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            match self.autosave.restore() {
                                Ok(doc) => {
                                    self.doc = Some(doc);
                                    self.selection.clear();
                                    self.status = Some(Status::Done("Restored unsaved work".into()));
                                }
                                Err(e) => self.status = Some(Status::Failed(format!("Cannot restore: {e}"))),
                            }
                            keep = false;
                        }
                        if ui.button("Discard").clicked() {
                            self.autosave.clear();
                            keep = false;
                        }
                    });
                }
                Modal::NewMap { width, height } => {
                    ui.horizontal(|ui| {
                        ui.label("Width");
                        ui.add(egui::DragValue::new(width).range(1.0..=100_000.0));
                        ui.label("Height");
                        ui.add(egui::DragValue::new(height).range(1.0..=100_000.0));
                    });
                    ui.horizontal(|ui| {
                        if ui.button("Create").clicked() {
                            self.doc = Some(Document::blank(*width, *height));
                            self.selection.clear();
                            self.canvas.zoom_to_fit();
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Text { at, font_size, text } => {
                    let label = ui.label("Text of the label");
                    let field = ui.text_edit_singleline(text).labelled_by(label.id);
                    field.request_focus();
                    // The dialog's one field: Enter places the label (the field, asked to keep the
                    // keyboard every frame, does not report losing it).
                    let enter = ui.input(|i| i.key_pressed(super::command::CONFIRM_KEY));
                    ui.horizontal(|ui| {
                        if (ui.button("Place").clicked() || enter) && !text.trim().is_empty() {
                            if let Some(doc) = &mut self.doc {
                                let label = operations::text_label(*at, text.trim(), *font_size);
                                match doc.add("Place text", None, label) {
                                    Ok(key) => self.selection = vec![key],
                                    Err(e) => self.status = Some(Status::Failed(e.to_string())),
                                }
                            }
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Combine { keys, kept } => {
                    ui.label("Several of the shapes have names. The combined area keeps the name, title and binding of:");
                    for (i, key) in keys.iter().enumerate() {
                        let name = self.doc.as_ref().and_then(|d| d.map().get(*key)).and_then(|n| n.display_name());
                        ui.radio_value(kept, i, name.unwrap_or_default());
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Combine").clicked() {
                            let key = keys[*kept];
                            self.combine_keeping(key);
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::NameAreas(dialog) => {
                    let Some(doc) = &self.doc else {
                        keep = false;
                        return;
                    };
                    match dialog.ui(ui, doc) {
                        super::naming::Named::Open => {}
                        super::naming::Named::Cancelled => keep = false,
                        super::naming::Named::Apply(changes, n) => {
                            self.apply("Name areas", changes);
                            self.status =
                                Some(Status::Done(format!("Named {}", words::count(n, "area", "areas"))));
                            keep = false;
                        }
                    }
                }
                Modal::TraceAll(dialog) => {
                    let Some(doc) = &self.doc else {
                        keep = false;
                        return;
                    };
                    match dialog.ui(ui, doc) {
                        super::trace_dialog::Traced::Open => {}
                        super::trace_dialog::Traced::Cancelled => keep = false,
                        super::trace_dialog::Traced::Apply(changes, n) => {
                            self.apply("Trace all rooms", changes);
                            self.status =
                                Some(Status::Done(format!("Added {}", words::count(n, "traced room", "traced rooms"))));
                            keep = false;
                        }
                    }
                }
                Modal::Import(dialog) => match dialog.ui(ui) {
                    super::import_dialog::Imports::Open => {}
                    super::import_dialog::Imports::Cancelled => keep = false,
                    super::import_dialog::Imports::Done(doc) => {
                        let areas = doc.areas.len();
                        self.doc = Some(*doc);
                        self.selection.clear();
                        self.canvas.reset();
                        self.autosave.clear();
                        self.status = Some(Status::Done(format!(
                            "Imported {}; Save As keeps it as a map",
                            words::count(areas, "area", "areas")
                        )));
                        keep = false;
                    }
                },
                Modal::Export(choices) => {
                    let label = ui.label("Map name (JSVG)");
                    ui.text_edit_singleline(&mut choices.name).labelled_by(label.id);
                    ui.checkbox(&mut choices.include_tracing_image, "Include the tracing image");
                    ui.add(egui::Slider::new(&mut choices.precision, 0..=6).text("Decimals in coordinates"));
                    ui.checkbox(&mut choices.optimise, "Optimise: the smallest map with the same picture")
                        .on_hover_text(
                            "Shared styles moved up to groups, defaults dropped, shortest numbers and path data, \
                             invisible decoration and empty groups left out. Ids, titles and data-okviz \
                             attributes are kept.",
                        );
                    let label = ui.label("Map author");
                    ui.text_edit_singleline(&mut choices.author).labelled_by(label.id);
                    let label = ui.label("Map attribution");
                    ui.text_edit_singleline(&mut choices.attribution).labelled_by(label.id);
                    if let Some(doc) = &self.doc {
                        self.export_size.ui(ui, doc, choices);
                    }
                    // Enter, in a field or not, is the dialog's default button.
                    let enter = ui.input(|i| i.key_pressed(super::command::CONFIRM_KEY));
                    ui.horizontal(|ui| {
                        if ui.button("Choose file and export…").clicked() || enter {
                            self.ask(Purpose::Export);
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
            }
        });
        // Escape is Cancel, except where there is nothing to cancel (unsaved work from a crash
        // waits for the author's answer) and while the file chooser on top has the keyboard.
        if ctx.input(|i| i.key_pressed(super::command::CLOSE_KEY))
            && !matches!(modal, Modal::Recover(_))
            && self.chooser.is_none()
        {
            keep = false;
        }
        if keep {
            self.modal = Some(modal);
        }
        if let Some(after) = next {
            self.proceed(ctx, after);
        }
    }
}
