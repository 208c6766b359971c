//! The menu bar, the toolbar, keyboard shortcuts and the Help window that lists them.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::canvas::TOOLS;
use super::clipboard;
use super::commands::{self, Arrange};
use super::{AfterSave, Document, EditorApp, Modal, Purpose, Tool};
use crate::app::files::ExportChoices;

/// Every command with a shortcut, as the Help window lists it.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("New map", "Ctrl+N"),
    ("Open", "Ctrl+O"),
    ("Save", "Ctrl+S"),
    ("Save As", "Ctrl+Shift+S"),
    ("Export", "Ctrl+E"),
    ("Undo", "Ctrl+Z"),
    ("Redo", "Ctrl+Shift+Z or Ctrl+Y"),
    ("Select all", "Ctrl+A"),
    ("Rename (bulk rename for several)", "Ctrl+R"),
    ("Delete", "Delete"),
    ("Cut / Copy / Paste (system clipboard, as SVG)", "Ctrl+X / Ctrl+C / Ctrl+V"),
    ("Duplicate", "Ctrl+D"),
    ("Group / Ungroup", "Ctrl+G / Ctrl+U"),
    ("Hide / Lock", "Ctrl+H / Ctrl+L"),
    ("Bring forward / backward", "Ctrl+] / Ctrl+["),
    ("Bring to front / back", "Ctrl+Shift+] / Ctrl+Shift+["),
    ("Move the selection", "Arrow keys (Shift: 10 units)"),
    ("Select tool", "V"),
    ("Node tool: drag a node, double-click an edge to add one, Delete over a node", "A"),
    ("Rectangle tool", "R"),
    ("Ellipse tool", "L"),
    ("Pen: click points; click the first point, double-click or Enter to close", "B"),
    ("Freehand", "P"),
    ("Line (decoration)", "\\"),
    ("Text label (decoration)", "T"),
    ("Snapping off while held", "Alt"),
    ("Pan", "H, Space-drag or middle-drag"),
    ("Zoom", "Mouse wheel or pinch"),
    ("Pan with the wheel", "Shift or Alt + wheel"),
    ("Zoom to fit", "Ctrl+0"),
    ("Zoom 100 %", "Ctrl+1"),
    ("Zoom to selection", "Ctrl+2"),
    ("Help", "F1"),
];

const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

impl EditorApp {
    /// Handles keyboard shortcuts (not while a text field has the keyboard).
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let pressed = |s: KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(&s));
        // Longer combinations first, so Ctrl+Shift+Z is not taken for Ctrl+Z.
        if pressed(cmd_shift(Key::S)) {
            self.ask(Purpose::SaveAs);
        } else if pressed(cmd(Key::S)) {
            self.save(ctx);
        }
        if pressed(cmd(Key::O)) {
            self.request(ctx, AfterSave::AskOpen);
        }
        if pressed(cmd(Key::N)) {
            self.request(ctx, AfterSave::New);
        }
        if pressed(cmd(Key::E)) {
            self.export_dialog();
        }
        if ctx.input(|i| i.key_pressed(Key::F1)) {
            self.show_help = !self.show_help;
        }
        if pressed(cmd(Key::Num0)) {
            self.canvas.zoom_to_fit();
        }
        if pressed(cmd(Key::Num1)) {
            let view = self.canvas.view();
            self.canvas.zoom_actual(view);
        }
        if pressed(cmd(Key::Num2)) {
            self.zoom_to_selection();
        }
        if typing {
            return;
        }
        if pressed(cmd_shift(Key::Z)) || pressed(cmd(Key::Y)) {
            self.redo();
        } else if pressed(cmd(Key::Z)) {
            self.undo();
        }
        if pressed(cmd(Key::R)) && !self.selection.is_empty() {
            self.properties.focus_name = true;
        }
        if pressed(cmd(Key::A)) {
            self.selection =
                self.doc.as_ref().map(|d| d.areas.iter().map(|a| a.key).collect()).unwrap_or_default();
        }
        // The platform turns Ctrl+C/X/V (and the menu's requests) into these events, reading
        // and writing the system clipboard itself.
        let clipboard: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| matches!(e, egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)))
                .cloned()
                .collect()
        });
        for event in clipboard {
            match event {
                egui::Event::Copy => {
                    self.copy(ctx);
                }
                egui::Event::Cut if self.copy(ctx) => self.run(Command::Cut),
                egui::Event::Paste(text) => self.paste(&text),
                _ => {}
            }
        }
        if pressed(cmd(Key::D)) {
            self.duplicate();
        }
        for (shortcut, run) in [
            (cmd(Key::G), Command::Group),
            (cmd(Key::U), Command::Ungroup),
            (cmd(Key::H), Command::Hide),
            (cmd(Key::L), Command::Lock),
            (cmd_shift(Key::CloseBracket), Command::Arrange(Arrange::Front)),
            (cmd_shift(Key::OpenBracket), Command::Arrange(Arrange::Back)),
            (cmd(Key::CloseBracket), Command::Arrange(Arrange::Forward)),
            (cmd(Key::OpenBracket), Command::Arrange(Arrange::Backward)),
        ] {
            if pressed(shortcut) {
                self.run(run);
            }
        }
        let (delete, escape) = ctx.input(|i| {
            (i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace), i.key_pressed(Key::Escape))
        });
        // With the node tool, Delete removes the node under the pointer (the canvas does it).
        if delete && self.canvas.tool != Tool::Nodes {
            self.run(Command::Delete);
        }
        if escape {
            self.selection.clear();
        }
        let no_modifiers = ctx.input(|i| i.modifiers.is_none());
        for tool in TOOLS {
            if no_modifiers && ctx.input(|i| i.key_pressed(tool.key())) {
                self.canvas.tool = tool;
            }
        }
    }

    /// Runs a selection command as one undo step.
    pub(super) fn run(&mut self, command: Command) {
        let Some(doc) = &mut self.doc else { return };
        if self.selection.is_empty() {
            return;
        }
        let sel = self.selection.clone();
        let (name, changes) = match command {
            Command::Delete => ("Delete", commands::delete(doc, &sel)),
            Command::Cut => ("Cut", commands::delete(doc, &sel)),
            Command::Hide => ("Hide", commands::toggle_hidden(doc, &sel)),
            Command::Lock => ("Lock", commands::toggle_locked(doc, &sel)),
            Command::Group => ("Group", commands::group(&mut doc.map, &sel)),
            Command::Ungroup => ("Ungroup", commands::ungroup(doc, &sel)),
            Command::Arrange(how) => ("Arrange", commands::arrange(doc, &sel, how)),
        };
        self.apply(name, changes);
    }

    /// Puts the selection on the system clipboard; false when nothing is selected.
    fn copy(&mut self, ctx: &egui::Context) -> bool {
        let Some(svg) = self.doc.as_ref().and_then(|d| clipboard::to_svg(&d.map, &self.selection)) else {
            return false;
        };
        ctx.copy_text(svg);
        true
    }

    /// Pastes the shapes of SVG text from the clipboard, a little offset so copies are seen.
    fn paste(&mut self, text: &str) {
        if self.doc.is_none() {
            return;
        }
        match clipboard::from_svg(text) {
            Ok(nodes) => self.insert_copies("Paste", &nodes),
            Err(e) => self.status = Some(Err(e)),
        }
    }

    /// Copies of the selection beside it, leaving the clipboard alone.
    fn duplicate(&mut self) {
        let Some(doc) = &self.doc else { return };
        let nodes = commands::copy(&doc.map, &self.selection);
        if !nodes.is_empty() {
            self.insert_copies("Duplicate", &nodes);
        }
    }

    fn insert_copies(&mut self, name: &str, nodes: &[crate::model::Node]) {
        let Some(doc) = &mut self.doc else { return };
        let (changes, keys) = commands::paste(doc, nodes, kurbo::Vec2::new(10.0, 10.0));
        self.apply(name, changes);
        self.selection = keys;
    }

    /// Asks about unsaved changes before `next`, or does it right away.
    pub(super) fn request(&mut self, ctx: &egui::Context, next: AfterSave) {
        if self.doc.as_ref().is_some_and(Document::is_dirty) {
            self.modal = Some(Modal::Unsaved(next));
        } else {
            self.proceed(ctx, next);
        }
    }

    pub(super) fn export_dialog(&mut self) {
        if let Some(doc) = &self.doc {
            let name = super::stem(&doc.name);
            self.modal = Some(Modal::Export(ExportChoices::for_map(&doc.map, name)));
        }
    }

    /// The menu bar and toolbar.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| self.file_menu(ui, &ctx));
                ui.menu_button("Edit", |ui| self.edit_menu(ui));
                ui.menu_button("View", |ui| {
                    if ui.button("Zoom to fit").clicked() {
                        self.canvas.zoom_to_fit();
                    }
                    if ui.button("Zoom 100 %").clicked() {
                        let view = self.canvas.view();
                        self.canvas.zoom_actual(view);
                    }
                    if ui
                        .add_enabled(!self.selection.is_empty(), egui::Button::new("Zoom to selection"))
                        .clicked()
                    {
                        self.zoom_to_selection();
                    }
                    ui.separator();
                    ui.checkbox(&mut self.canvas.snap.geometry, "Snap to areas");
                    ui.checkbox(&mut self.canvas.snap.grid, "Snap to grid");
                    ui.add(
                        egui::DragValue::new(&mut self.canvas.snap.spacing)
                            .range(1.0..=1000.0)
                            .prefix("Grid: "),
                    );
                    ui.separator();
                    ui.checkbox(&mut self.canvas.status_overlay, "Colour areas by binding status");
                    ui.checkbox(&mut self.show_preview, "Preview pane");
                    ui.checkbox(&mut self.show_publish, "Publish panel");
                    ui.checkbox(&mut self.dark, "Dark theme");
                });
                ui.menu_button("Help", |ui| {
                    if ui.button("Keyboard shortcuts").clicked() {
                        self.show_help = true;
                    }
                });
            });
            ui.horizontal(|ui| {
                for tool in TOOLS {
                    ui.selectable_value(&mut self.canvas.tool, tool, tool.label());
                }
                ui.separator();
                ui.toggle_value(&mut self.canvas.status_overlay, "Binding overlay");
                ui.toggle_value(&mut self.show_preview, "Preview");
                ui.toggle_value(&mut self.show_publish, "Publish");
            });
        });
    }

    fn file_menu(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        if ui.button("New map…").clicked() {
            self.request(ctx, AfterSave::New);
        }
        if ui.button("New from image…").clicked() {
            self.request(ctx, AfterSave::AskImage);
        }
        if ui.button("Open…").clicked() {
            self.request(ctx, AfterSave::AskOpen);
        }
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent_files.is_empty() {
                ui.label("No recent maps");
            }
            for path in self.settings.recent_files.clone() {
                if ui.button(path.display().to_string()).clicked() {
                    self.request(ctx, AfterSave::Open(path));
                }
            }
        });
        ui.separator();
        let has_doc = self.doc.is_some();
        if ui.add_enabled(has_doc, egui::Button::new("Save")).clicked() {
            self.save(ctx);
        }
        if ui.add_enabled(has_doc, egui::Button::new("Save As…")).clicked() {
            self.ask(Purpose::SaveAs);
        }
        if ui.add_enabled(has_doc, egui::Button::new("Export…")).clicked() {
            self.export_dialog();
        }
        if ui.add_enabled(has_doc, egui::Button::new("Export preview as PNG…")).clicked() {
            self.ask(Purpose::ExportPng);
        }
        ui.separator();
        if ui.button("Quit").clicked() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn edit_menu(&mut self, ui: &mut egui::Ui) {
        let (undo, redo) = self
            .doc
            .as_ref()
            .map(|d| (d.history.undo_name().map(str::to_string), d.history.redo_name().map(str::to_string)))
            .unwrap_or_default();
        let undo_label = undo.as_ref().map_or("Undo".into(), |n| format!("Undo {n}"));
        if ui.add_enabled(undo.is_some(), egui::Button::new(undo_label)).clicked() {
            self.undo();
        }
        let redo_label = redo.as_ref().map_or("Redo".into(), |n| format!("Redo {n}"));
        if ui.add_enabled(redo.is_some(), egui::Button::new(redo_label)).clicked() {
            self.redo();
        }
        ui.separator();
        let some = !self.selection.is_empty();
        // The platform answers these requests with the same events as Ctrl+X/C/V.
        for (label, enabled, request) in [
            ("Cut", some, egui::ViewportCommand::RequestCut),
            ("Copy", some, egui::ViewportCommand::RequestCopy),
            ("Paste", self.doc.is_some(), egui::ViewportCommand::RequestPaste),
        ] {
            if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                ui.ctx().send_viewport_cmd(request);
            }
        }
        ui.separator();
        for (label, command) in [
            ("Delete", Command::Delete),
            ("Group", Command::Group),
            ("Ungroup", Command::Ungroup),
            ("Hide / show", Command::Hide),
            ("Lock / unlock", Command::Lock),
            ("Bring to front", Command::Arrange(Arrange::Front)),
            ("Bring forward", Command::Arrange(Arrange::Forward)),
            ("Send backward", Command::Arrange(Arrange::Backward)),
            ("Send to back", Command::Arrange(Arrange::Back)),
        ] {
            if ui.add_enabled(some, egui::Button::new(label)).clicked() {
                self.run(command);
            }
        }
        if ui.add_enabled(some, egui::Button::new("Duplicate")).clicked() {
            self.duplicate();
        }
    }

    fn zoom_to_selection(&mut self) {
        let Some(doc) = &self.doc else { return };
        let area = self.selection.iter().filter_map(|k| doc.map.bbox_in_doc(*k)).reduce(|a, b| a.union(b));
        if let Some(area) = area {
            let view = self.canvas.view();
            self.canvas.zoom_to(view, area);
        }
    }

    /// The Help window listing every shortcut.
    pub(super) fn help_window(&mut self, ctx: &egui::Context) {
        egui::Window::new("Keyboard shortcuts").open(&mut self.show_help).show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for (what, keys) in SHORTCUTS {
                    ui.label(*what);
                    ui.label(*keys);
                    ui.end_row();
                }
            });
        });
    }
}

/// A command on the selection.
#[derive(Clone, Copy)]
pub enum Command {
    Delete,
    /// Delete, named Cut in the history (the copy is made first).
    Cut,
    Hide,
    Lock,
    Group,
    Ungroup,
    Arrange(Arrange),
}
