//! The Data panel: the report's values (a file chosen or dropped, or a column pasted) matched
//! against the map as the visual matches them: counts, the values no area takes with the area
//! each was most likely meant for, one click (or a drag onto the canvas) to bind one, and all
//! suggestions at once as one undo step. The values are report data: they live in memory only
//! and are never saved, autosaved, logged or sent; a file that changes on disk is read again.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::job::{Status, status_ui};
use super::rows::{Item, RowList, describe};
use super::words::{self, sentence};
use crate::binding::AreaStatus;
use crate::binding::suggest::Reason;
use crate::categories::{self, CategoryTable, Source};
use crate::check::CheckReport;
use crate::editor::bind::BindAs;
use crate::model::NodeKey;

/// How often a loaded file is looked at for changes.
const WATCH: Duration = Duration::from_secs(2);

/// A value dragged from the panel onto an area of the canvas.
#[derive(Clone, Debug)]
pub struct DraggedValue(pub String);

/// True for files that hold values rather than a map (dropped on the window, they go to the
/// Data panel). JSON is left out: a `.json` file is more often a JSVG map.
pub fn is_data_file(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"))
}

/// The values in use.
struct Loaded {
    table: Arc<CategoryTable>,
    /// Where they came from: a file (and when it was last changed), or `None` when pasted.
    file: Option<(PathBuf, Option<SystemTime>)>,
    name: String,
}

/// How the map matches the values, from the check that ran with them.
pub struct Matching {
    /// Each area's status against the values.
    pub statuses: std::collections::HashMap<NodeKey, AreaStatus>,
    values: usize,
    unmatched: Vec<String>,
    suggestions: Vec<Suggested>,
    areas_unmatched: usize,
}

/// A suggestion with the node it names.
struct Suggested {
    value: String,
    key: NodeKey,
    area: String,
    reason: Reason,
}

impl Matching {
    /// What a check run with the values found.
    pub fn of(report: &CheckReport) -> Option<Matching> {
        let unmatched = report.unmatched_values.clone()?;
        let by_id: std::collections::HashMap<&str, (NodeKey, &str)> =
            report.areas.iter().map(|a| (&*a.id, (a.key, &*a.name))).collect();
        let suggestions = report
            .suggestions
            .iter()
            .flatten()
            .filter_map(|s| {
                let (key, name) = by_id.get(s.area.as_str())?;
                Some(Suggested {
                    value: s.value.clone(),
                    key: *key,
                    area: (*name).to_owned(),
                    reason: s.reason,
                })
            })
            .collect();
        let bound: Vec<&str> = report.areas.iter().filter_map(|a| a.value.as_deref()).collect();
        let values = unmatched.len() + {
            let mut b = bound.clone();
            b.sort_unstable();
            b.dedup();
            b.len()
        };
        let areas_unmatched = report.areas.iter().filter(|a| a.status == AreaStatus::Unmatched).count();
        let statuses = report.areas.iter().map(|a| (a.key, a.status)).collect();
        Some(Matching { statuses, values, unmatched, suggestions, areas_unmatched })
    }
}

/// What the panel asks of the window.
pub enum DataAction {
    /// Ask for a file of values.
    Load,
    /// Bind these values to these areas, as one undo step with this name.
    Bind(Vec<(NodeKey, String)>, BindAs, &'static str),
}

/// The Data panel's state.
pub struct DataPanel {
    loaded: Option<Loaded>,
    generation: u64,
    sheet: String,
    column: String,
    parent: String,
    paste: String,
    bind_as: BindAs,
    message: Option<Status>,
    list: RowList,
    watched: Instant,
}

impl Default for DataPanel {
    fn default() -> Self {
        DataPanel {
            loaded: None,
            generation: 0,
            sheet: String::new(),
            column: String::new(),
            parent: String::new(),
            paste: String::new(),
            bind_as: BindAs::default(),
            message: None,
            list: RowList::new("data-values"),
            watched: Instant::now(),
        }
    }
}

impl DataPanel {
    /// The values in use and a number that changes whenever they do.
    pub fn values(&self) -> Option<(Arc<CategoryTable>, u64)> {
        self.loaded.as_ref().map(|l| (l.table.clone(), self.generation))
    }

    /// How a value dropped on the canvas is bound.
    pub fn bind_as(&self) -> BindAs {
        self.bind_as
    }

    /// True when a row of the values list has the keyboard.
    pub fn has_focus(&self) -> bool {
        self.list.has_focus()
    }

    /// Reads values from a file, with the sheet and column typed in the panel.
    pub fn load(&mut self, path: &Path) {
        let source = Source {
            sheet: Some(self.sheet.trim()).filter(|s| !s.is_empty()),
            column: Some(self.column.trim()).filter(|s| !s.is_empty()),
            parent: Some(self.parent.trim()).filter(|s| !s.is_empty()),
            ..Source::default()
        };
        match categories::read(path, &source) {
            Ok(table) => {
                let name = path
                    .file_name()
                    .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                let changed = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                self.message = None;
                self.set(Loaded { table: Arc::new(table), file: Some((path.to_path_buf(), changed)), name });
            }
            Err(e) => self.message = Some(Status::Failed(sentence(&format!("{}: {e}", path.display())))),
        }
    }

    fn set(&mut self, loaded: Loaded) {
        self.loaded = Some(loaded);
        self.generation += 1;
    }

    /// Reads the file again when it changed on disk (looked at every few seconds).
    pub fn watch(&mut self, ctx: &egui::Context) {
        let Some((path, seen)) = self.loaded.as_ref().and_then(|l| l.file.clone()) else { return };
        ctx.request_repaint_after(WATCH);
        if self.watched.elapsed() < WATCH {
            return;
        }
        self.watched = Instant::now();
        let now = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        if now.is_some() && now != seen {
            self.load(&path);
            if self.message.is_none() {
                self.message = Some(Status::Done("The list changed on disk and was read again.".into()));
            }
        }
    }

    /// Draws the panel; `matching` is how the map matches the values (once checked).
    pub fn ui(&mut self, ui: &mut egui::Ui, matching: Option<&Matching>) -> Option<DataAction> {
        let mut action = None;
        ui.heading("Data");
        ui.label(
            "The report's values, to see which areas bind. They stay on this computer and are never saved.",
        );
        ui.horizontal(|ui| {
            if ui.button("Load a list…").on_hover_text("CSV, TSV, text, JSON, XLSX, XLS or ODS").clicked() {
                action = Some(DataAction::Load);
            }
            if self.loaded.is_some() && ui.button("Clear").clicked() {
                self.loaded = None;
                self.generation += 1;
                self.message = None;
            }
        });
        egui::CollapsingHeader::new("Sheet and column").show(ui, |ui| {
            let label = ui.label("Sheet (default: the first with data)");
            ui.text_edit_singleline(&mut self.sheet).labelled_by(label.id);
            let label = ui.label("Column header (default: the first column)");
            ui.text_edit_singleline(&mut self.column).labelled_by(label.id);
            let label = ui.label("Parent column, for a hierarchy (groups match it)");
            ui.text_edit_singleline(&mut self.parent).labelled_by(label.id);
            if let Some(path) = self.loaded.as_ref().and_then(|l| l.file.as_ref()).map(|(p, _)| p.clone())
                && ui.button("Read again").clicked()
            {
                self.load(&path);
            }
        });
        egui::CollapsingHeader::new("Paste values").show(ui, |ui| {
            let label = ui.label("One value per line, or a column copied from a spreadsheet");
            ui.add(egui::TextEdit::multiline(&mut self.paste).desired_rows(4)).labelled_by(label.id);
            if ui.add_enabled(!self.paste.trim().is_empty(), egui::Button::new("Use these values")).clicked()
            {
                match categories::parse(&self.paste, &Source::default()) {
                    Ok(table) => {
                        self.message = None;
                        self.set(Loaded { table: Arc::new(table), file: None, name: "pasted values".into() });
                    }
                    Err(e) => self.message = Some(Status::Failed(sentence(&e.to_string()))),
                }
            }
        });
        status_ui(ui, &self.message);
        let Some(loaded) = &self.loaded else {
            ui.label("No values loaded: the binding overlay shows every area as unmatched.");
            return action;
        };
        let Some(m) = matching else {
            ui.label(format!("{}: checking…", loaded.name));
            return action;
        };
        ui.separator();
        ui.label(format!(
            "{}: {} · {} match no area · {} match nothing",
            loaded.name,
            words::count(m.values, "value", "values"),
            m.unmatched.len(),
            words::count(m.areas_unmatched, "area", "areas"),
        ));
        ui.horizontal(|ui| {
            ui.label("Bind by");
            ui.radio_value(&mut self.bind_as, BindAs::Rename, "renaming the area")
                .on_hover_text("The area's name becomes the value, so its id matches");
            ui.radio_value(&mut self.bind_as, BindAs::Strong, "its data point")
                .on_hover_text("The value becomes the area's strong data point; the name stays");
        });
        if !m.suggestions.is_empty() {
            let all = match m.suggestions.len() {
                1 => "Accept the suggestion".to_owned(),
                n => format!("Accept all {n} suggestions"),
            };
            if ui.button(all).on_hover_text("One undo step").clicked() {
                let pairs = m.suggestions.iter().map(|s| (s.key, s.value.clone())).collect();
                action = Some(DataAction::Bind(pairs, self.bind_as, "Accept suggestions"));
            }
        }
        ui.label("Values that match no area (drag one onto an area to bind it):");
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let bind_as = self.bind_as;
        self.list.show(ui, m.unmatched.len(), row_height, |ui, i, sense| {
            let value = &m.unmatched[i];
            let suggested = m.suggestions.iter().find(|s| s.value == *value);
            ui.horizontal(|ui| {
                // The button first: a long value must not push it out of the panel.
                match suggested {
                    Some(s) => {
                        let tip = format!("Bind \"{value}\" to {}", s.area);
                        if ui.small_button("Bind").on_hover_text(tip).clicked() {
                            action =
                                Some(DataAction::Bind(vec![(s.key, value.clone())], bind_as, "Bind value"));
                        }
                    }
                    None => {
                        ui.add_space(ui.spacing().interact_size.x);
                    }
                }
                let response = ui.add(egui::Button::selectable(false, value.as_str()).sense(sense));
                response.dnd_set_drag_payload(DraggedValue(value.clone()));
                let said = suggested
                    .map_or_else(String::new, |s| format!("probably {} ({})", s.area, s.reason.as_str()));
                let role = egui::accesskit::Role::ListItem;
                describe(
                    ui,
                    &response,
                    &Item { role, level: None, expanded: None, selected: false, description: &said },
                );
                if let Some(s) = suggested {
                    let hint = egui::Label::new(egui::RichText::new(format!("probably {}", s.area)).weak())
                        .truncate();
                    ui.add(hint).on_hover_text(s.reason.as_str());
                }
                response
            })
            .inner
        });
        action
    }
}
