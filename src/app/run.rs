//! What each command of the table does in the window. Commands asked for during a frame (by
//! menus, the toolbar, the palette or shortcuts) are queued and run here once it has been
//! drawn, so a command never changes the document while panels are being drawn from it.

use super::command::{Command, Nudge};
use super::job::Status;
use super::{AfterSave, EditorApp, Modal, Purpose};
use crate::editor::operations::{self, Arrange};
use crate::editor::shaping::{self, AlignTo, Boolean};
use crate::editor::{Document, clipboard};

/// How far copies land from what they copy, so they are seen.
const COPY_OFFSET: kurbo::Vec2 = kurbo::Vec2::new(10.0, 10.0);

impl EditorApp {
    /// Runs the commands queued during the frame, in order; a command that cannot run now is
    /// skipped.
    pub(super) fn run_queued(&mut self, ctx: &egui::Context) {
        let queued = std::mem::take(&mut self.queue);
        if !queued.is_empty() {
            ctx.request_repaint();
        }
        for command in queued {
            if self.is_enabled(command) {
                self.run_command(ctx, command);
                self.last_command = Some(command);
                self.commands_run += 1;
            }
        }
        self.pasted = None;
    }

    fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::NewMap => self.request(ctx, AfterSave::New),
            Command::NewFromImage => self.request(ctx, AfterSave::AskImage),
            Command::Open => self.request(ctx, AfterSave::AskOpen),
            Command::Save => self.save(ctx),
            Command::SaveAs => self.ask(Purpose::SaveAs),
            Command::Export => self.export_dialog(),
            Command::ExportPng => self.ask(Purpose::ExportPng),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::Copy => {
                self.copy(ctx);
            }
            Command::Cut => {
                if self.copy(ctx) {
                    self.on_selection("Cut", operations::delete);
                }
            }
            Command::Paste => match self.pasted.take() {
                Some(text) => self.paste(&text),
                // From the menu: the platform answers with the clipboard's text next frame.
                None => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            },
            Command::Duplicate => self.duplicate(),
            Command::Delete => self.on_selection("Delete", operations::delete),
            Command::SelectAll => {
                self.selection =
                    self.doc.as_ref().map(|d| d.areas.iter().map(|a| a.key).collect()).unwrap_or_default();
            }
            Command::Deselect => self.selection.clear(),
            Command::Rename => self.properties.focus_name = true,
            Command::NameAreas => self.modal = Some(Modal::NameAreas(Default::default())),
            Command::TraceAll => self.modal = Some(Modal::TraceAll(Default::default())),
            Command::Group => {
                if let Some(doc) = &mut self.doc {
                    match operations::group(doc, &self.selection) {
                        Ok(Some(group)) => self.selection = vec![group],
                        Ok(None) => {}
                        Err(e) => self.status = Some(Status::Failed(e.to_string())),
                    }
                }
            }
            Command::Ungroup => {
                // The members stay selected, as in other drawing tools, ready to move or regroup.
                let members =
                    self.doc.as_ref().map(|d| operations::ungrouped_selection(d.map(), &self.selection));
                self.on_selection("Ungroup", operations::ungroup);
                if let (Some(members), Some(doc)) = (members, &self.doc) {
                    self.selection = members.into_iter().filter(|k| doc.map().get(*k).is_some()).collect();
                }
            }
            Command::Hide => self.on_selection("Hide", operations::toggle_hidden),
            Command::Lock => self.on_selection("Lock", operations::toggle_locked),
            Command::ShowAll => self.on_map("Show all", operations::show_all),
            Command::UnlockAll => self.on_map("Unlock all", operations::unlock_all),
            Command::BringToFront => self.arrange("Bring to front", Arrange::Front),
            Command::BringForward => self.arrange("Bring forward", Arrange::Forward),
            Command::SendBackward => self.arrange("Send backward", Arrange::Backward),
            Command::SendToBack => self.arrange("Send to back", Arrange::Back),
            Command::Shape(Boolean::Combine) if self.named_in_selection().len() >= 2 => {
                // Several have names (and so may bind): the author picks the one that stays.
                self.modal = Some(Modal::Combine { keys: self.named_in_selection(), kept: 0 });
            }
            Command::Shape(op) => self.shaped(op.step_name(), |map, sel| shaping::boolean(map, sel, op)),
            Command::ResolveOverlap => self.shaped("Resolve overlap", |map, sel| {
                // The lower in paint order is cut; the upper stays.
                let order: Vec<_> = map.iter().map(|(k, _)| k).collect();
                let mut two = sel.to_vec();
                two.sort_by_key(|k| order.iter().position(|o| o == k));
                match two.as_slice() {
                    [lower, upper] => shaping::resolve_overlap(map, *lower, *upper),
                    _ => Err(crate::editor::EditorError::Refused("select the two overlapping areas".into())),
                }
            }),
            Command::Align(how) => {
                // One element lines up with the artboard whatever the setting.
                let to = if self.selection.len() == 1 { AlignTo::Artboard } else { self.align_to };
                self.on_selection("Align", |map, sel| shaping::align(map, sel, how, to));
            }
            Command::AlignTo(to) => self.align_to = to,
            Command::Distribute(horizontally) => {
                if self.selection.len() < 3 {
                    self.status =
                        Some(super::job::Status::Failed("Select three or more to distribute".into()));
                } else {
                    self.on_selection("Distribute", |map, sel| shaping::distribute(map, sel, horizontally));
                }
            }
            Command::Nudge(direction, big) => {
                let step = if big { 10.0 } else { 1.0 };
                let delta = match direction {
                    Nudge::Left => kurbo::Vec2::new(-step, 0.0),
                    Nudge::Right => kurbo::Vec2::new(step, 0.0),
                    Nudge::Up => kurbo::Vec2::new(0.0, -step),
                    Nudge::Down => kurbo::Vec2::new(0.0, step),
                };
                self.on_selection("Move", |map, sel| {
                    operations::transform(map, sel, kurbo::Affine::translate(delta))
                });
            }
            Command::ZoomFit => self.canvas.zoom_to_fit(),
            Command::ZoomActual => self.canvas.zoom_actual(),
            Command::ZoomSelection => self.zoom_to_selection(),
            Command::FitArtboard => {
                self.on_map("Fit artboard", |map| operations::fit_artboard(map).into_iter().collect());
                self.canvas.zoom_to_fit();
            }
            Command::SnapToAreas => self.canvas.snap.geometry ^= true,
            Command::SnapToGrid => self.canvas.snap.grid ^= true,
            Command::SmartGuides => self.canvas.snap.guides ^= true,
            Command::StatusOverlay => self.canvas.status_overlay ^= true,
            Command::PreviewPane => self.show_preview ^= true,
            Command::DataPanel => self.show_data ^= true,
            Command::LoadData => self.ask(Purpose::Data),
            Command::PublishPanel => self.show_publish ^= true,
            Command::DarkTheme => self.dark ^= true,
            Command::Tool(kind) => self.canvas.set_tool(kind),
            Command::Help => self.show_help ^= true,
            Command::Palette => {
                self.palette.get_or_insert_with(Default::default);
            }
        }
    }

    /// Applies the changes `make` computes for the whole map as one step named `name`.
    fn on_map(&mut self, name: &str, make: impl FnOnce(&crate::model::Map) -> Vec<crate::edit::Change>) {
        self.on_selection(name, |map, _| make(map));
    }

    /// Applies the changes `make` computes for the selection as one step named `name`.
    fn on_selection(
        &mut self,
        name: &str,
        make: impl FnOnce(&crate::model::Map, &[crate::model::NodeKey]) -> Vec<crate::edit::Change>,
    ) {
        let Some(doc) = &self.doc else { return };
        let changes = make(doc.map(), &self.selection);
        self.apply(name, changes);
    }

    /// The selected shapes that have a name that is not one a drawing program made up.
    fn named_in_selection(&self) -> Vec<crate::model::NodeKey> {
        let Some(doc) = &self.doc else { return Vec::new() };
        self.selection
            .iter()
            .copied()
            .filter(|k| {
                doc.map().get(*k).is_some_and(|n| {
                    matches!(n.kind, crate::model::NodeKind::Shape(_))
                        && n.id.as_ref().is_some_and(|id| !crate::naming::is_generic(id.as_str()))
                })
            })
            .collect()
    }

    /// Combines the selection keeping `kept`'s name, title and binding.
    pub(super) fn combine_keeping(&mut self, kept: crate::model::NodeKey) {
        self.selection.retain(|k| *k != kept);
        self.selection.insert(0, kept);
        self.shaped("Combine", |map, sel| shaping::boolean(map, sel, Boolean::Combine));
    }

    /// Runs a shaping operation on the selection as one step; the kept shapes stay selected,
    /// and a refusal is said in the status bar.
    fn shaped(
        &mut self,
        name: &str,
        make: impl FnOnce(
            &crate::model::Map,
            &[crate::model::NodeKey],
        ) -> Result<Vec<crate::edit::Change>, crate::editor::EditorError>,
    ) {
        let Some(doc) = &self.doc else { return };
        match make(doc.map(), &self.selection) {
            Ok(changes) => {
                self.apply(name, changes);
                if let Some(doc) = &self.doc {
                    self.selection.retain(|k| doc.map().get(*k).is_some());
                }
            }
            Err(e) => self.status = Some(super::job::Status::Failed(e.to_string())),
        }
    }

    fn arrange(&mut self, name: &str, how: Arrange) {
        self.on_selection(name, |map, sel| operations::arrange(map, sel, how));
    }

    /// Puts the selection on the system clipboard; false when nothing is selected.
    fn copy(&mut self, ctx: &egui::Context) -> bool {
        let Some(svg) = self.doc.as_ref().and_then(|d| clipboard::to_svg(d.map(), &self.selection)) else {
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
        let pasted = clipboard::from_svg(text).and_then(|nodes| {
            operations::paste(self.doc.as_mut().expect("checked above"), "Paste", &nodes, COPY_OFFSET)
        });
        match pasted {
            Ok(keys) => self.selection = keys,
            Err(e) => self.status = Some(Status::Failed(e.to_string())),
        }
    }

    /// Copies of the selection beside it in their groups, leaving the clipboard alone.
    fn duplicate(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        match operations::duplicate(doc, &self.selection, COPY_OFFSET) {
            Ok(keys) => self.selection = keys,
            Err(e) => self.status = Some(Status::Failed(e.to_string())),
        }
    }

    /// Asks about unsaved changes before `next`, or does it right away.
    pub(super) fn request(&mut self, ctx: &egui::Context, next: AfterSave) {
        if self.doc.as_ref().is_some_and(Document::is_dirty) {
            self.modal = Some(super::Modal::Unsaved(next));
        } else {
            self.proceed(ctx, next);
        }
    }

    fn export_dialog(&mut self) {
        if let Some(doc) = &self.doc {
            let name = super::stem(&doc.name);
            self.modal = Some(super::Modal::Export(super::files::ExportChoices::for_map(doc.map(), name)));
        }
    }

    fn zoom_to_selection(&mut self) {
        let Some(doc) = &self.doc else { return };
        if let Some(area) = doc.selection_box(&self.selection) {
            self.canvas.zoom_to(area);
        }
    }
}
