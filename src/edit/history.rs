//! Undo and redo as transactions: one drag or one rename is one step, however many changes
//! it makes; a transaction that changes nothing leaves no step.

use super::change::{Change, EditError};
use crate::model::{Map, NodeKey};

/// Steps kept for undo by default.
pub const DEFAULT_LIMIT: usize = 500;

/// A named step: the changes that undo (or redo) it, applied last first, and a number no
/// other step of the history has.
#[derive(Debug, Clone)]
struct Step {
    name: String,
    inverses: Vec<Change>,
    id: u64,
}

/// The undo and redo stacks of one document.
#[derive(Debug, Clone)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The redo stack set aside by the open transaction's first change: given back if the
    /// transaction is aborted.
    parked_redo: Vec<Step>,
    open: Option<Step>,
    limit: usize,
    next_id: u64,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            parked_redo: Vec::new(),
            open: None,
            limit: DEFAULT_LIMIT,
            next_id: 1,
        }
    }
}

impl History {
    /// Starts a transaction named `name` (shown as "Undo {name}"). A transaction already open
    /// is committed first.
    pub fn begin(&mut self, name: impl Into<String>) {
        self.commit();
        self.open = Some(Step { name: name.into(), inverses: Vec::new(), id: 0 });
    }

    /// True while a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.open.is_some()
    }

    /// The name of the open transaction.
    pub fn open_name(&self) -> Option<&str> {
        self.open.as_ref().map(|s| s.name.as_str())
    }

    /// Applies a change to the map as part of the open transaction, or as a step of its own
    /// named `name` when none is open; returns the key of a node it added. A new change
    /// clears the redo stack.
    pub fn apply(&mut self, map: &mut Map, name: &str, change: Change) -> Result<Option<NodeKey>, EditError> {
        let inverse = change.apply(map)?;
        let added = inverse.removes();
        if self.open.is_some() && self.parked_redo.is_empty() {
            self.parked_redo = std::mem::take(&mut self.redo);
        }
        self.redo.clear();
        match &mut self.open {
            Some(step) => step.inverses.push(inverse),
            None => self.push(Step { name: name.to_owned(), inverses: vec![inverse], id: 0 }),
        }
        Ok(added)
    }

    /// Closes the open transaction; one that changed nothing leaves no step.
    pub fn commit(&mut self) {
        if let Some(step) = self.open.take().filter(|s| !s.inverses.is_empty()) {
            self.push(step);
        }
        self.parked_redo.clear();
    }

    /// Cancels the open transaction and undoes what it changed (Escape during a drag); what
    /// could be redone before it still can.
    pub fn abort(&mut self, map: &mut Map) {
        if let Some(step) = self.open.take() {
            revert(map, step.inverses);
            self.redo = std::mem::take(&mut self.parked_redo);
        }
    }

    /// Undoes the last step; returns its name.
    pub fn undo(&mut self, map: &mut Map) -> Option<String> {
        self.commit();
        let step = self.undo.pop()?;
        let redo = revert(map, step.inverses);
        self.redo.push(Step { name: step.name.clone(), inverses: redo, id: step.id });
        Some(step.name)
    }

    /// Redoes the last undone step; returns its name.
    pub fn redo(&mut self, map: &mut Map) -> Option<String> {
        let step = self.redo.pop()?;
        let undo = revert(map, step.inverses);
        self.undo.push(Step { name: step.name.clone(), inverses: undo, id: step.id });
        Some(step.name)
    }

    /// The changes [`History::undo`] would apply (they touch the nodes the step touched).
    pub fn undo_changes(&self) -> &[Change] {
        self.undo.last().map_or(&[], |s| s.inverses.as_slice())
    }

    /// The changes [`History::redo`] would apply (they touch the nodes the step touched).
    pub fn redo_changes(&self) -> &[Change] {
        self.redo.last().map_or(&[], |s| s.inverses.as_slice())
    }

    /// The name of the step [`History::undo`] would undo.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|s| s.name.as_str())
    }

    /// The name of the step [`History::redo`] would redo.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|s| s.name.as_str())
    }

    /// Which state the map is in, as far as the history knows: the same number after undoing
    /// and redoing back to a state (0: no step applied). Saving records it, so undoing back to
    /// what was saved shows no unsaved changes.
    pub fn state(&self) -> u64 {
        self.undo.last().map_or(0, |s| s.id)
    }

    fn push(&mut self, mut step: Step) {
        step.id = self.next_id;
        self.next_id += 1;
        self.undo.push(step);
        if self.undo.len() > self.limit {
            let excess = self.undo.len() - self.limit;
            self.undo.drain(..excess);
        }
    }
}

/// Applies a step's changes last first; returns the changes that reverse that, in the order
/// they were made (so reverting them again also goes last first).
fn revert(map: &mut Map, inverses: Vec<Change>) -> Vec<Change> {
    inverses
        .into_iter()
        .rev()
        .map(|c| c.apply(map).expect("an inverse applies to the state it was made from"))
        .collect()
}
