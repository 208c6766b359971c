//! What the window tells assistive technology beyond what egui's widgets say of themselves:
//! names and roles of panels and bars, live regions whose changes are announced, and the value
//! a closed combo box shows.

use egui::accesskit::{Live, Role};

/// Gives the `Ui`'s own node (a panel, a bar) a role and a name.
pub fn region(ui: &egui::Ui, role: Role, name: &str) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_role(role);
        node.set_label(name);
    });
}

/// Makes the `Ui`'s node a status, a polite live region: screen readers announce what changes
/// in it.
pub fn live(ui: &egui::Ui, name: &str) {
    ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
        node.set_role(Role::Status);
        node.set_live(Live::Polite);
        node.set_label(name);
    });
}

/// Names a field whose label is not beside it.
pub fn name_field(ui: &egui::Ui, field: &egui::Response, name: &str) {
    ui.ctx().accesskit_node_builder(field.id, |node| node.set_label(name));
}

/// Says what a closed combo box shows.
pub fn shows(ui: &egui::Ui, combo: &egui::Response, value: &str) {
    ui.ctx().accesskit_node_builder(combo.id, |node| node.set_value(value));
}
