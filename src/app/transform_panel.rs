//! The Properties panel's Transform section: the selection's x, y, width and height in map units
//! typed in numbers, and a rotation by an angle about its centre or a corner; each applied as
//! one undo step.

use kurbo::{Affine, Point, Rect};

use super::properties::Edit;
use crate::editor::Document;
use crate::editor::operations::transform;
use crate::model::NodeKey;

/// The point a rotation turns about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pivot {
    Centre,
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

impl Pivot {
    const ALL: [Pivot; 5] =
        [Pivot::Centre, Pivot::TopLeft, Pivot::TopRight, Pivot::BottomLeft, Pivot::BottomRight];

    fn label(self) -> &'static str {
        match self {
            Pivot::Centre => "centre",
            Pivot::TopLeft => "top left",
            Pivot::TopRight => "top right",
            Pivot::BottomLeft => "bottom left",
            Pivot::BottomRight => "bottom right",
        }
    }

    fn of(self, b: Rect) -> Point {
        match self {
            Pivot::Centre => b.center(),
            Pivot::TopLeft => Point::new(b.x0, b.y0),
            Pivot::TopRight => Point::new(b.x1, b.y0),
            Pivot::BottomLeft => Point::new(b.x0, b.y1),
            Pivot::BottomRight => Point::new(b.x1, b.y1),
        }
    }
}

/// The section's fields.
pub struct TransformPanel {
    box_typed: [f64; 4],
    angle: f64,
    pivot: Pivot,
    loaded_for: Option<(Vec<NodeKey>, u64)>,
}

impl Default for TransformPanel {
    fn default() -> Self {
        TransformPanel { box_typed: [0.0; 4], angle: 0.0, pivot: Pivot::Centre, loaded_for: None }
    }
}

impl TransformPanel {
    /// Draws the section for `selection`; returns the edit to apply.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, selection: &[NodeKey]) -> Option<Edit> {
        let b = doc.selection_box(selection)?;
        let stamp = (selection.to_vec(), doc.revision);
        if self.loaded_for.as_ref() != Some(&stamp) {
            self.box_typed = [b.x0, b.y0, b.width(), b.height()];
            self.loaded_for = Some(stamp);
        }
        let mut edit = None;
        egui::CollapsingHeader::new("Transform").show(ui, |ui| {
            egui::Grid::new("transform-fields").num_columns(4).show(ui, |ui| {
                for (i, name) in ["X", "Y", "Width", "Height"].into_iter().enumerate() {
                    let label = ui.label(name);
                    let mut field = egui::DragValue::new(&mut self.box_typed[i]).speed(1.0).max_decimals(3);
                    if i >= 2 {
                        field = field.range(0.001..=f64::MAX);
                    }
                    ui.add(field).labelled_by(label.id);
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
            if ui.button("Apply position and size").clicked() {
                let [x, y, w, h] = self.box_typed;
                let t = Affine::translate((x, y))
                    * Affine::scale_non_uniform(w / b.width().max(1e-9), h / b.height().max(1e-9))
                    * Affine::translate((-b.x0, -b.y0));
                edit = Some(Edit { name: "Transform".into(), changes: transform(doc.map(), selection, t) });
            }
            ui.horizontal(|ui| {
                let label = ui.label("Rotate by");
                ui.add(egui::DragValue::new(&mut self.angle).suffix("°").speed(1.0).range(-360.0..=360.0))
                    .labelled_by(label.id);
                egui::ComboBox::from_label("about").selected_text(self.pivot.label()).show_ui(ui, |ui| {
                    for p in Pivot::ALL {
                        ui.selectable_value(&mut self.pivot, p, p.label());
                    }
                });
            });
            if ui.add_enabled(self.angle != 0.0, egui::Button::new("Rotate")).clicked() {
                let t = Affine::rotate_about(self.angle.to_radians(), self.pivot.of(b));
                edit = Some(Edit { name: "Rotate".into(), changes: transform(doc.map(), selection, t) });
            }
        });
        edit
    }
}
