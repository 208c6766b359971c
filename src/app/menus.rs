//! What the command table becomes on screen: the menu bar (with shortcuts), the toolbar (icons
//! with tooltips), the active tool's options bar, the Help window and the command palette.
//! Clicking any of them queues the command; the app runs the queue once per frame.

use egui::RichText;

use super::EditorApp;
use super::command::{self, CLOSE_KEY, CONFIRM_KEY, Command, LIST_KEYS};
use crate::editor::shaping::{Align, AlignTo, Boolean};
use crate::editor::tools::{OptionValue, ToolKind};

/// The menus and what is in them, in order; `None` is a separator.
const MENUS: &[(&str, &[Option<Command>])] = &[
    (
        "File",
        &[
            Some(Command::NewMap),
            Some(Command::NewFromImage),
            Some(Command::Open),
            Some(Command::LoadData),
            None,
            Some(Command::Save),
            Some(Command::SaveAs),
            Some(Command::Export),
            Some(Command::ExportPng),
            None,
            Some(Command::Quit),
        ],
    ),
    (
        "Edit",
        &[
            Some(Command::Undo),
            Some(Command::Redo),
            None,
            Some(Command::Cut),
            Some(Command::Copy),
            Some(Command::Paste),
            Some(Command::Duplicate),
            Some(Command::Delete),
            None,
            Some(Command::SelectAll),
            Some(Command::Deselect),
            Some(Command::Rename),
            Some(Command::NameAreas),
            Some(Command::TraceAll),
            None,
            Some(Command::Group),
            Some(Command::Ungroup),
            Some(Command::Hide),
            Some(Command::Lock),
            Some(Command::ShowAll),
            Some(Command::UnlockAll),
            None,
            Some(Command::BringToFront),
            Some(Command::BringForward),
            Some(Command::SendBackward),
            Some(Command::SendToBack),
        ],
    ),
    (
        "Shape",
        &[
            Some(Command::Shape(Boolean::Combine)),
            Some(Command::Shape(Boolean::Subtract)),
            Some(Command::Shape(Boolean::Intersect)),
            Some(Command::Shape(Boolean::Exclude)),
            Some(Command::ResolveOverlap),
            None,
            Some(Command::Align(Align::Left)),
            Some(Command::Align(Align::Centre)),
            Some(Command::Align(Align::Right)),
            Some(Command::Align(Align::Top)),
            Some(Command::Align(Align::Middle)),
            Some(Command::Align(Align::Bottom)),
            None,
            Some(Command::Distribute(true)),
            Some(Command::Distribute(false)),
            None,
            Some(Command::AlignTo(AlignTo::Selection)),
            Some(Command::AlignTo(AlignTo::First)),
            Some(Command::AlignTo(AlignTo::Artboard)),
        ],
    ),
    (
        "View",
        &[
            Some(Command::ZoomFit),
            Some(Command::ZoomActual),
            Some(Command::ZoomSelection),
            Some(Command::FitArtboard),
            None,
            Some(Command::SnapToAreas),
            Some(Command::SnapToGrid),
            Some(Command::SmartGuides),
            None,
            Some(Command::StatusOverlay),
            Some(Command::PreviewPane),
            Some(Command::PublishPanel),
            Some(Command::DataPanel),
            Some(Command::DarkTheme),
        ],
    ),
    // The Tools menu lists every tool (see `menu_bar`).
    ("Tools", &[]),
    ("Help", &[Some(Command::Help), Some(Command::Palette)]),
];

/// What a menu lists: its items, or for Tools one entry per tool.
fn menu_items(title: &str, items: &[Option<Command>]) -> Vec<Option<Command>> {
    if title == "Tools" { ToolKind::ALL.map(|t| Some(Command::Tool(t))).to_vec() } else { items.to_vec() }
}

/// The toolbar beside the tools, in order; `None` is a separator.
const TOOLBAR: &[Option<Command>] = &[
    Some(Command::Undo),
    Some(Command::Redo),
    None,
    Some(Command::StatusOverlay),
    Some(Command::PreviewPane),
    Some(Command::PublishPanel),
    Some(Command::DataPanel),
];

/// The command palette: what is typed and which match is highlighted.
#[derive(Default)]
pub struct Palette {
    query: String,
    highlighted: usize,
}

impl EditorApp {
    /// The menu bar, the toolbar and the tool's options.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            super::a11y::region(ui, egui::Role::Pane, "Menu and tools");
            egui::MenuBar::new().ui(ui, |ui| {
                super::a11y::region(ui, egui::Role::MenuBar, "Menu bar");
                for (title, items) in MENUS {
                    ui.menu_button(*title, |ui| {
                        for item in menu_items(title, items) {
                            match item {
                                Some(c) => self.menu_item(ui, c),
                                None => {
                                    ui.separator();
                                }
                            }
                            if item == Some(Command::Open) {
                                self.recent_menu(ui);
                            }
                        }
                    });
                }
            });
            // Options that do not fit beside the tools go on the next line.
            ui.horizontal_wrapped(|ui| {
                super::a11y::region(ui, egui::Role::Toolbar, "Toolbar");
                for tool in ToolKind::ALL {
                    self.tool_button(ui, Command::Tool(tool));
                }
                for item in TOOLBAR {
                    match item {
                        Some(c) => self.tool_button(ui, *c),
                        None => {
                            ui.separator();
                        }
                    }
                }
                ui.separator();
                self.options_bar(ui);
            });
        });
    }

    /// One menu entry: icon, label, shortcut, greyed out when it cannot run now.
    fn menu_item(&mut self, ui: &mut egui::Ui, c: Command) {
        let spec = c.spec();
        let text = RichText::new(format!("{}  {}", <&str>::from(spec.icon), spec.label));
        let button = match self.is_checked(c) {
            Some(on) => egui::Button::selectable(on, text),
            None => egui::Button::new(text),
        };
        let button = button.shortcut_text(command::shortcut_text(ui.ctx(), c));
        let enabled = self.is_enabled(c);
        let checked = self.is_checked(c);
        let response = ui.add_enabled(enabled, button).on_hover_text(spec.tooltip);
        // Screen readers and tests know the entry by its label, without the icon.
        let role = if checked.is_some() { egui::Role::MenuItemCheckBox } else { egui::Role::MenuItem };
        response.widget_info(|| egui::WidgetInfo {
            selected: checked,
            ..egui::WidgetInfo::labeled(role, enabled, spec.label)
        });
        if response.clicked() {
            self.queue.push(c);
        }
    }

    fn recent_menu(&mut self, ui: &mut egui::Ui) {
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent_files.is_empty() {
                ui.label("No recent maps");
            }
            for path in self.settings.recent_files.clone() {
                if ui.button(path.display().to_string()).clicked() {
                    self.request(ui.ctx(), super::AfterSave::Open(path));
                }
            }
        });
    }

    /// A toolbar button: the icon, lit when the command's state is on, with a tooltip naming
    /// it and its shortcut.
    fn tool_button(&mut self, ui: &mut egui::Ui, c: Command) {
        let spec = c.spec();
        let on = match c {
            Command::Tool(kind) => self.canvas.tool_kind() == kind,
            _ => self.is_checked(c).unwrap_or(false),
        };
        let keys = command::shortcut_text(ui.ctx(), c);
        let tip = if keys.is_empty() {
            format!("{}\n{}", spec.label, spec.tooltip)
        } else {
            format!("{} ({keys})\n{}", spec.label, spec.tooltip)
        };
        let button = egui::Button::selectable(on, RichText::new(<&str>::from(spec.icon)).size(18.0));
        let response = ui.add_enabled(self.is_enabled(c), button).on_hover_text(tip);
        // Screen readers and tests find the button by its command's name.
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, spec.label));
        if response.clicked() {
            self.queue.push(c);
        }
    }

    /// The active tool's options, drawn from what the tool declares.
    fn options_bar(&mut self, ui: &mut egui::Ui) {
        let tool = self.canvas.tool_mut();
        for option in tool.options() {
            let mut value = option.value.clone();
            let changed = match &mut value {
                OptionValue::Number { value, min, max, unit } => {
                    ui.label(option.label).on_hover_text(option.tooltip);
                    ui.add(egui::DragValue::new(value).range(*min..=*max).suffix(*unit).speed(0.1))
                        .on_hover_text(option.tooltip)
                        .changed()
                }
                OptionValue::Toggle(on) => {
                    ui.checkbox(on, option.label).on_hover_text(option.tooltip).changed()
                }
                OptionValue::Choice { value, choices } => {
                    let label = ui.label(option.label).on_hover_text(option.tooltip);
                    let before = *value;
                    egui::ComboBox::from_id_salt(option.id)
                        .selected_text(choices.get(*value).copied().unwrap_or_default())
                        .show_ui(ui, |ui| {
                            for (i, name) in choices.iter().enumerate() {
                                ui.selectable_value(value, i, *name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    *value != before
                }
                OptionValue::Text(text) => {
                    let label = ui.label(option.label).on_hover_text(option.tooltip);
                    ui.add(egui::TextEdit::singleline(text).desired_width(70.0))
                        .labelled_by(label.id)
                        .on_hover_text(option.tooltip)
                        .changed()
                }
            };
            if changed {
                tool.set_option(option.id, &value);
            }
        }
    }

    /// The Help window: every command with its shortcuts, from the table.
    pub(super) fn help_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .default_size([460.0, 620.0])
            .vscroll(true)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for c in Command::all() {
                        let keys = command::all_shortcuts_text(ctx, c);
                        if keys.is_empty() {
                            continue;
                        }
                        let spec = c.spec();
                        ui.label(format!("{}  {}", <&str>::from(spec.icon), spec.label))
                            .on_hover_text(spec.tooltip);
                        ui.label(keys);
                        ui.end_row();
                    }
                    for (what, keys) in [
                        ("Snapping off while held", "Alt"),
                        ("Pan", "Space-drag or middle-drag"),
                        ("Zoom", "Mouse wheel or pinch"),
                        ("Pan with the wheel", "Shift or Alt + wheel"),
                    ] {
                        ui.label(what);
                        ui.label(keys);
                        ui.end_row();
                    }
                });
            });
        self.show_help = open;
    }

    /// The command palette (Ctrl+Shift+P): type to find a command, arrows to choose, Enter to
    /// run it, Escape to close.
    pub(super) fn palette_window(&mut self, ctx: &egui::Context) {
        let Some(mut palette) = self.palette.take() else { return };
        let (up, down, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, LIST_KEYS[0]),
                i.consume_key(egui::Modifiers::NONE, LIST_KEYS[1]),
                i.key_pressed(CONFIRM_KEY),
                i.key_pressed(CLOSE_KEY),
            )
        });
        let mut chosen = None;
        egui::Window::new("Command palette")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                let label = ui.label("Type a command");
                let field = ui.text_edit_singleline(&mut palette.query).labelled_by(label.id);
                field.request_focus();
                if field.changed() {
                    palette.highlighted = 0;
                }
                // Matched after the field took this frame's typing, so Enter runs what is shown.
                let matches = palette_matches(&palette.query);
                let last = matches.len().saturating_sub(1);
                if down {
                    palette.highlighted += 1;
                }
                if up {
                    palette.highlighted = palette.highlighted.saturating_sub(1);
                }
                palette.highlighted = palette.highlighted.min(last);
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for (n, c) in matches.iter().enumerate() {
                        let spec = c.spec();
                        let text = format!("{}  {}", <&str>::from(spec.icon), spec.label);
                        let button = egui::Button::selectable(n == palette.highlighted, text)
                            .shortcut_text(command::shortcut_text(ctx, *c));
                        let response =
                            ui.add_enabled(self.is_enabled(*c), button).on_hover_text(spec.tooltip);
                        if n == palette.highlighted && (up || down) {
                            response.scroll_to_me(None);
                        }
                        if response.clicked() {
                            chosen = Some(*c);
                        }
                    }
                });
                if enter && let Some(c) = matches.get(palette.highlighted).filter(|c| self.is_enabled(**c)) {
                    chosen = Some(*c);
                }
            });
        if let Some(c) = chosen {
            self.queue.push(c);
        }
        if chosen.is_none() && !escape {
            self.palette = Some(palette);
        }
    }
}

/// The commands whose label or tooltip holds `query`, ignoring case, in table order.
fn palette_matches(query: &str) -> Vec<Command> {
    let needle = query.to_lowercase();
    Command::all()
        .filter(|c| {
            let spec = c.spec();
            spec.label.to_lowercase().contains(&needle) || spec.tooltip.to_lowercase().contains(&needle)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_but_the_nudges_is_in_a_menu() {
        let listed: Vec<Command> =
            MENUS.iter().flat_map(|(title, items)| menu_items(title, items)).flatten().collect();
        for c in Command::all().filter(|c| !matches!(c, Command::Nudge(..))) {
            assert!(listed.contains(&c), "{c:?} is in no menu");
        }
    }
}
