//! The Name areas dialog: areas without a meaningful id named from the drawing's labels, an
//! attribute or their titles (`editor::naming`), with a table of the proposed names to look at
//! before applying them as one undo step.

use crate::edit::Change;
use crate::editor::Document;
use crate::naming::{NameSource, changes, propose};

/// Rows of the preview table shown (the rest are counted).
const SHOWN: usize = 200;

/// Which source the dialog has chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Labels,
    Attribute,
    Titles,
}

/// The dialog's state.
#[derive(Clone)]
pub struct NameAreas {
    choice: Choice,
    attribute: String,
}

impl Default for NameAreas {
    fn default() -> Self {
        NameAreas { choice: Choice::Labels, attribute: "name".into() }
    }
}

/// What the dialog came to this frame.
pub enum Named {
    /// Still open.
    Open,
    /// Closed without a change.
    Cancelled,
    /// Apply these changes, naming this many areas.
    Apply(Vec<Change>, usize),
}

impl NameAreas {
    fn source(&self) -> NameSource {
        match self.choice {
            Choice::Labels => NameSource::Labels,
            Choice::Attribute => NameSource::Attribute(self.attribute.trim().to_owned()),
            Choice::Titles => NameSource::Titles,
        }
    }

    /// Draws the dialog's body.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document) -> Named {
        ui.label("Areas with no id or one a drawing program made up (path12, rect7…) take a name from:");
        ui.radio_value(&mut self.choice, Choice::Labels, "the text label drawn inside them");
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.choice, Choice::Attribute, "an attribute");
            let field = ui.add_enabled(
                self.choice == Choice::Attribute,
                egui::TextEdit::singleline(&mut self.attribute),
            );
            super::a11y::name_field(ui, &field, "Attribute name");
        });
        ui.radio_value(&mut self.choice, Choice::Titles, "their titles");
        let source = self.source();
        let proposals = propose(doc.map(), &source);
        let numbered = proposals.iter().filter(|p| p.collided).count();
        ui.separator();
        ui.label(format!(
            "{} to name; {numbered} whose name was taken get a number",
            super::words::count(proposals.len(), "area", "areas")
        ));
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            egui::Grid::new("proposed-names").striped(true).show(ui, |ui| {
                ui.strong("Now");
                ui.strong("Named");
                ui.strong("From");
                ui.end_row();
                for p in proposals.iter().take(SHOWN) {
                    ui.label(p.old.as_deref().unwrap_or("(no id)"));
                    let id = crate::ids::RawId::from(p.id.clone()).to_name();
                    ui.label(if p.collided { format!("{id} (numbered)") } else { id });
                    ui.label(&p.text);
                    ui.end_row();
                }
            });
            if proposals.len() > SHOWN {
                ui.label(format!("and {} more", proposals.len() - SHOWN));
            }
        });
        let mut outcome = Named::Open;
        ui.horizontal(|ui| {
            if ui.add_enabled(!proposals.is_empty(), egui::Button::new("Name them")).clicked() {
                outcome = Named::Apply(changes(doc.map(), &proposals, &source), proposals.len());
            }
            if ui.button("Cancel").clicked() {
                outcome = Named::Cancelled;
            }
        });
        outcome
    }
}
