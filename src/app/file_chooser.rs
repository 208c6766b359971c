//! The in-app file chooser, for when the platform's dialog cannot be shown (on Linux rfd needs
//! the XDG desktop portal, which many minimal sessions lack): a folder's subfolders and the
//! files of the kinds asked for, a way up, and a name field when saving.

use std::path::{Path, PathBuf};

use super::dialogs::Purpose;

/// One row of the listing.
struct Entry {
    name: String,
    folder: bool,
}

/// A file chooser window in progress.
pub struct FileChooser {
    purpose: Purpose,
    folder: PathBuf,
    /// The file name typed or picked.
    name: String,
    entries: Vec<Entry>,
    /// Why the folder cannot be listed, if it cannot.
    error: Option<String>,
    /// The name field has had the keyboard (it is given it when the chooser opens).
    focused: bool,
}

impl FileChooser {
    /// A chooser for `purpose` starting in `folder`, with `suggested` as the name when saving.
    pub fn new(purpose: Purpose, suggested: &str, folder: PathBuf) -> Self {
        let name = if purpose.saves() { suggested.to_owned() } else { String::new() };
        let mut chooser = FileChooser {
            purpose,
            folder: PathBuf::new(),
            name,
            entries: Vec::new(),
            error: None,
            focused: false,
        };
        chooser.enter(folder);
        chooser
    }

    /// What the chooser is for.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// Lists `folder`: its subfolders, then its files of the purpose's kinds, by name.
    fn enter(&mut self, folder: PathBuf) {
        self.entries.clear();
        self.error = None;
        match std::fs::read_dir(&folder) {
            Ok(read) => {
                let extensions = self.purpose.extensions();
                for entry in read.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let folder = entry.file_type().is_ok_and(|t| t.is_dir()) || entry.path().is_dir();
                    let wanted = folder || has_extension(Path::new(&name), extensions);
                    if wanted && !name.starts_with('.') {
                        self.entries.push(Entry { name, folder });
                    }
                }
                self.entries.sort_by(|a, b| b.folder.cmp(&a.folder).then_with(|| a.name.cmp(&b.name)));
            }
            Err(e) => self.error = Some(format!("Cannot list {}: {e}", folder.display())),
        }
        self.folder = folder;
    }

    /// Draws the chooser; `Some(answer)` once the author has chosen (`Some(path)`) or
    /// cancelled (`None`).
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<PathBuf>> {
        let mut answer = None;
        let mut go = None;
        // A modal, over the dialog that asked for it (Export's, say), which would otherwise keep
        // the keyboard and the pointer from it.
        egui::Modal::new(egui::Id::unique("synmap-file-chooser")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(self.purpose.title());
            ui.label("The desktop's file dialog is not available here, so choose the file in synmap.");
            ui.horizontal(|ui| {
                if ui.button("Up").on_hover_text("The folder above").clicked() {
                    go = self.folder.parent().map(Path::to_path_buf);
                }
                ui.label(self.folder.display().to_string());
            });
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                for entry in &self.entries {
                    let label = if entry.folder { format!("{}/", entry.name) } else { entry.name.clone() };
                    let response = ui.selectable_label(self.name == entry.name, label);
                    if entry.folder && response.clicked() {
                        go = Some(self.folder.join(&entry.name));
                    } else if response.double_clicked() && !self.purpose.saves() {
                        answer = Some(Some(self.folder.join(&entry.name)));
                    } else if response.clicked() {
                        self.name.clone_from(&entry.name);
                    }
                }
            });
            let label = ui.label("File name");
            let field = ui.text_edit_singleline(&mut self.name).labelled_by(label.id);
            // Asked until it has it: the window's first frame only measures it.
            if !self.focused {
                field.request_focus();
            }
            self.focused |= field.has_focus();
            // Enter, in the name field or not, is Save or Open.
            let enter = ui.input(|i| i.key_pressed(super::command::CONFIRM_KEY));
            ui.horizontal(|ui| {
                let verb = if self.purpose.saves() { "Save" } else { "Open" };
                let named = !self.name.trim().is_empty();
                if ui.add_enabled(named, egui::Button::new(verb)).clicked() || (enter && named) {
                    answer = Some(Some(self.chosen()));
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(None);
                }
            });
        });
        // Escape is Cancel (a click outside is not: it is too easily made). The chooser is the
        // top modal whenever it is open.
        if answer.is_none() && ctx.input(|i| i.key_pressed(super::command::CLOSE_KEY)) {
            answer = Some(None);
        }
        if let Some(folder) = go {
            self.enter(folder);
        }
        answer
    }

    /// The path the name means: in this folder, with the purpose's first extension added when
    /// saving under a name that has none of them.
    fn chosen(&self) -> PathBuf {
        let name = self.name.trim();
        let path = self.folder.join(name);
        let extensions = self.purpose.extensions();
        if self.purpose.saves() && !has_extension(&path, extensions) {
            self.folder.join(format!("{name}.{}", extensions[0]))
        } else {
            path
        }
    }
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_and_only_the_kinds_asked_for_and_names_saves() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.svg", "a.jsvg", "notes.txt", ".hidden.svg"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("plans")).unwrap();
        let open = FileChooser::new(Purpose::Open, "", dir.path().to_path_buf());
        let names: Vec<&str> = open.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["plans", "a.jsvg", "b.svg"]);
        let mut save = FileChooser::new(Purpose::SaveAs, "floor", dir.path().to_path_buf());
        assert_eq!(save.chosen(), dir.path().join("floor.svg"), "the extension is added");
        save.name = "floor.SVG".into();
        assert_eq!(save.chosen(), dir.path().join("floor.SVG"));
        let gone = FileChooser::new(Purpose::Open, "", dir.path().join("missing"));
        assert!(gone.error.as_deref().is_some_and(|e| e.starts_with("Cannot list")));
    }
}
