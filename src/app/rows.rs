//! A long list drawn a screenful at a time that the keyboard can walk, as the Areas tree, the
//! search results and the Problems list are: one Tab stop (the current row), the arrow keys,
//! Page Up/Down, Home and End move it and scroll to it, Left and Right close and open groups,
//! and every row is an accessible item with its role, level, expanded and selected state and a
//! description (an area's binding status).

use super::command::{ROW_KEYS, RowMove};

/// Where the keyboard moved in a list this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// To this row; with `extend` (Shift held) it is added to the selection, else it becomes
    /// the selection.
    To {
        /// The row.
        index: usize,
        /// Add to the selection instead of replacing it.
        extend: bool,
    },
    /// Left on this row: close it (a group) or go to its parent.
    Left(usize),
    /// Right on this row: open it (a group) or go to its first member.
    Right(usize),
}

/// What assistive technology is told about a row.
pub struct Item<'a> {
    /// `TreeItem` in a tree, `ListItem` in a flat list.
    pub role: egui::accesskit::Role,
    /// Depth in a tree, from 1.
    pub level: Option<usize>,
    /// Open or closed, for a group.
    pub expanded: Option<bool>,
    /// Part of the selection.
    pub selected: bool,
    /// What the row's label does not say (binding status, hidden, locked).
    pub description: &'a str,
}

/// A keyboard-walkable list's state.
pub struct RowList {
    id: &'static str,
    cursor: usize,
    focus_pending: bool,
    reveal: Option<usize>,
    focused: bool,
    offset: f32,
    view: f32,
}

impl RowList {
    /// A list whose scroll position is kept under `id`.
    pub const fn new(id: &'static str) -> Self {
        RowList { id, cursor: 0, focus_pending: false, reveal: None, focused: false, offset: 0.0, view: 0.0 }
    }

    /// True when one of the list's rows has the keyboard (its keys are the list's, and the
    /// map's shortcuts still work).
    pub fn has_focus(&self) -> bool {
        self.focused
    }

    /// Moves the current row to `index` and gives it the keyboard when it is drawn.
    pub fn focus(&mut self, index: usize) {
        self.cursor = index;
        self.focus_pending = true;
    }

    /// Scrolls row `index` into view (without giving it the keyboard), as when the selection
    /// changed on the canvas.
    pub fn reveal(&mut self, index: usize) {
        self.reveal = Some(index);
    }

    /// Draws `count` rows of `row_height`; `row(ui, index, sense)` draws one row with `sense`
    /// (focusable only for the current row, so the list is one Tab stop) and returns its
    /// response. Returns where the keyboard moved.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        count: usize,
        row_height: f32,
        mut row: impl FnMut(&mut egui::Ui, usize, egui::Sense) -> egui::Response,
    ) -> Option<Nav> {
        self.cursor = self.cursor.min(count.saturating_sub(1));
        let pitch = row_height + ui.spacing().item_spacing.y;
        let nav = if self.focused && count > 0 { self.keys(ui, count, pitch) } else { None };
        if let Some(Nav::To { index, .. }) = nav {
            self.focus(index);
        }
        let mut area = egui::ScrollArea::vertical().id_salt(self.id).auto_shrink(false);
        let shown = if self.focus_pending { Some(self.cursor) } else { self.reveal.take() };
        if let Some(row) = shown {
            let top = row as f32 * pitch;
            if top < self.offset {
                area = area.vertical_scroll_offset(top);
            } else if top + pitch > self.offset + self.view {
                area = area.vertical_scroll_offset((top + pitch - self.view).max(0.0));
            }
        }
        let mut focused = false;
        let output = area.show_rows(ui, row_height, count, |ui, range| {
            let cursor_shown = range.contains(&self.cursor);
            for i in range.clone() {
                // The current row takes Tab; when it is scrolled away, the first row shown does.
                let tab_stop = i == self.cursor || (!cursor_shown && i == range.start);
                let sense = if tab_stop {
                    egui::Sense::click_and_drag()
                } else {
                    egui::Sense::CLICK | egui::Sense::DRAG
                };
                let response = row(ui, i, sense);
                if i == self.cursor && self.focus_pending {
                    response.request_focus();
                    self.focus_pending = false;
                }
                if response.has_focus() {
                    focused = true;
                    self.cursor = i;
                    let arrows = egui::EventFilter {
                        vertical_arrows: true,
                        horizontal_arrows: true,
                        ..Default::default()
                    };
                    ui.memory_mut(|m| m.set_focus_lock_filter(response.id, arrows));
                }
                if response.clicked() {
                    // A clicked row has the keyboard, so the arrow keys go on from it.
                    self.cursor = i;
                    response.request_focus();
                }
            }
        });
        self.focused = focused;
        self.offset = output.state.clamped_offset().y;
        self.view = output.inner_rect.height();
        nav
    }

    /// The keys pressed for the list this frame, taken out of the input.
    fn keys(&self, ui: &egui::Ui, count: usize, pitch: f32) -> Option<Nav> {
        let page = ((self.view / pitch).floor() as usize).max(1);
        let (c, last) = (self.cursor, count - 1);
        ui.input_mut(|input| {
            for (key, to) in ROW_KEYS {
                // Shift first: a pattern without Shift also matches a press with it.
                for (modifiers, extend) in [(egui::Modifiers::SHIFT, true), (egui::Modifiers::NONE, false)] {
                    if !input.consume_key(modifiers, key) {
                        continue;
                    }
                    let index = match to {
                        RowMove::Up => c.saturating_sub(1),
                        RowMove::Down => (c + 1).min(last),
                        RowMove::PageUp => c.saturating_sub(page),
                        RowMove::PageDown => (c + page).min(last),
                        RowMove::First => 0,
                        RowMove::Last => last,
                        RowMove::Close => return Some(Nav::Left(c)),
                        RowMove::Open => return Some(Nav::Right(c)),
                    };
                    return Some(Nav::To { index, extend });
                }
            }
            None
        })
    }
}

/// Tells assistive technology what `response`'s row is.
pub fn describe(ui: &egui::Ui, response: &egui::Response, item: &Item<'_>) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(item.role);
        node.clear_toggled();
        node.set_selected(item.selected);
        if let Some(level) = item.level {
            node.set_level(level);
        }
        if let Some(expanded) = item.expanded {
            node.set_expanded(expanded);
        }
        if !item.description.is_empty() {
            node.set_description(item.description);
        }
    });
}

/// Selects row `key` after a move: alone, or added with Shift.
pub fn select<K: PartialEq + Copy>(selection: &mut Vec<K>, key: K, extend: bool) {
    if extend {
        if !selection.contains(&key) {
            selection.push(key);
        }
    } else {
        *selection = vec![key];
    }
}
