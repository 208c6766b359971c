//! The document open in the editor: the map, its undo history, where it is saved, whether it
//! has unsaved changes, and what the canvas and panels need precomputed from it.

use std::cell::OnceCell;
use std::collections::VecDeque;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kurbo::{BezPath, Rect};

use super::error::EditorError;
use crate::binding::{AreaId, AreaStatus, Statuses};
use crate::edit::{Change, History};
use crate::ids::UniqueIds;
use crate::model::{Map, Node, NodeKey, NodeKind, Touches, ViewBox};
use crate::svg::import_file;

/// Fewer areas than this are listed on one thread.
const AREAS_PER_THREAD: usize = 4096;
/// The most threads that list areas at once.
const MAX_INDEX_THREADS: usize = 4;

/// One area as the editor lists and draws it.
pub struct AreaEntry {
    /// The node.
    pub key: NodeKey,
    /// Exported id.
    pub id: String,
    /// Title or decoded id.
    pub label: String,
    /// Lower-cased id, title and data point, for search.
    pub search: String,
    /// Binding status (without categories).
    pub status: AreaStatus,
    /// Bounding box in document coordinates.
    pub bbox: Rect,
    /// Outline in document coordinates.
    pub outline: BezPath,
    /// For a group area, each shape's box and where its outline stands in `outline`, so
    /// hit-testing looks at the few shapes near the point instead of the whole group's
    /// outline; empty for a single shape.
    pub parts: Vec<(Rect, Range<usize>)>,
}

impl AreaEntry {
    /// True when `p` is inside the area's shapes.
    pub fn contains(&self, p: kurbo::Point) -> bool {
        use kurbo::Shape;
        if !self.bbox.contains(p) {
            return false;
        }
        if self.parts.is_empty() {
            self.outline.contains(p)
        } else {
            let elements = self.outline.elements();
            self.parts.iter().any(|(b, range)| b.contains(p) && Shape::contains(&&elements[range.clone()], p))
        }
    }
}

/// A map open in the editor. The map changes only through [`Document::edit`] or a
/// transaction ([`Document::begin`], [`Document::apply`], [`Document::commit`]), so every
/// change is undoable and the area list follows it.
pub struct Document {
    /// Where Save writes; `None` for a new map or one read from a format Save does not write.
    pub path: Option<PathBuf>,
    /// The file it was opened from, for the title.
    pub name: String,
    /// What reading the file found (removed content, unreadable values): the Problems panel
    /// lists them with the map's own findings, as `synmap check` does.
    pub import_findings: Vec<crate::findings::Finding>,
    map: Map,
    history: History,
    /// What the open transaction has touched (`None`: no transaction is open).
    open: Option<Open>,
    /// Its areas in document order.
    pub areas: Vec<AreaEntry>,
    /// Bumped by every change (renders and caches key on it).
    pub revision: u64,
    /// Bumped by changes that can alter a tree view of the map (names, visibility, locking,
    /// structure), not by moves, reshapes or restyles.
    pub tree_revision: u64,
    /// The history's state when last saved (`u64::MAX`: never saved as it is).
    saved_state: u64,
    hits: super::hit::HitIndex,
    /// Position in `areas` by node key index (`u32::MAX`: not an area), so lookups per frame
    /// stay constant-time on large maps.
    slots: Vec<u32>,
    /// A copy of the map as of this revision, shared by the background renders, checks and
    /// saves (made once per revision, on first use).
    snapshot: OnceCell<Arc<Map>>,
    /// The areas reaching beyond the artboard, by position in `areas` (worked out once per
    /// revision, on first use: the canvas outlines them on every frame).
    beyond_artboard: OnceCell<Vec<usize>>,
    /// What each recent revision touched, oldest first.
    recent: VecDeque<(u64, Touched)>,
}

/// How many revisions back [`Document::touched_since`] can answer.
const RECENT: usize = 256;

impl Document {
    /// Imports a file and precomputes areas and outlines (runs off the UI thread). SVG files are
    /// saved back in place; SVGZ and JSVG get "Save As".
    pub fn load(path: &Path) -> Result<Self, EditorError> {
        Ok(Document::from_imported(import_file(path)?, path))
    }

    /// The document of a map imported from `path`: what [`Document::load`] makes of it.
    pub fn from_imported(imported: crate::svg::Imported, path: &Path) -> Self {
        let plain_svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let mut doc = Document::from_map(imported.map, file_name(path));
        doc.import_findings = imported.findings;
        doc.path = plain_svg.then(|| path.to_path_buf());
        doc
    }

    /// A new, empty map of the given size.
    pub fn blank(width: f64, height: f64) -> Self {
        let map = Map::new(ViewBox { x: 0.0, y: 0.0, width, height });
        Document::from_map(map, "Untitled".into())
    }

    /// A document for a map that has no file yet.
    pub fn from_map(map: Map, name: String) -> Self {
        let mut doc = Document {
            path: None,
            name,
            import_findings: Vec::new(),
            map,
            history: History::default(),
            open: None,
            areas: Vec::new(),
            revision: 0,
            tree_revision: 0,
            saved_state: 0,
            hits: super::hit::HitIndex::default(),
            slots: Vec::new(),
            snapshot: OnceCell::new(),
            beyond_artboard: OnceCell::new(),
            recent: VecDeque::new(),
        };
        doc.refresh(None);
        doc
    }

    /// True when there are changes since the last save (or the map was never saved).
    pub fn is_dirty(&self) -> bool {
        let state = self.history.state();
        state != self.saved_state || self.path.is_none() && state != 0
    }

    /// What [`Document::mark_saved`] is given once a save of the document as it is now
    /// finishes (saves run in the background; changes made meanwhile stay unsaved).
    pub fn save_point(&self) -> u64 {
        self.history.state()
    }

    /// The map as it stands.
    pub fn map(&self) -> &Map {
        &self.map
    }

    /// The name of the step Undo would undo.
    pub fn undo_name(&self) -> Option<&str> {
        self.history.undo_name()
    }

    /// The name of the step Redo would redo.
    pub fn redo_name(&self) -> Option<&str> {
        self.history.redo_name()
    }

    /// Applies `changes` as one undo step named `name`; on an error none of them stays
    /// applied. A transaction still open is committed first.
    pub fn edit(&mut self, name: &str, changes: Vec<Change>) -> Result<(), EditorError> {
        if changes.is_empty() {
            return Ok(());
        }
        self.begin(name);
        for c in changes {
            self.apply(c)?;
        }
        self.commit();
        Ok(())
    }

    /// Adds `node` as the last child of `parent` (the top level when `None`) as one step named
    /// `name`; returns its key.
    pub fn add(&mut self, name: &str, parent: Option<NodeKey>, node: Node) -> Result<NodeKey, EditorError> {
        self.begin(name);
        let key = self.apply(Change::Add(parent, usize::MAX, Box::new(node)))?;
        self.commit();
        Ok(key.expect("an added node is named by its inverse"))
    }

    /// Opens a transaction named `name`: the changes applied until [`Document::commit`] are
    /// one undo step, and [`Document::abort`] takes them all back. One already open is
    /// committed first.
    pub fn begin(&mut self, name: &str) {
        self.commit();
        self.history.begin(name);
        self.open = Some(Open::default());
    }

    /// True while a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.open.is_some()
    }

    /// Applies a change within the open transaction (or as a step of its own when none is
    /// open); returns the key of a node it added. On an error the whole transaction is taken
    /// back.
    pub fn apply(&mut self, change: Change) -> Result<Option<NodeKey>, EditorError> {
        let own_step = self.open.is_none();
        if own_step {
            self.begin("Edit");
        }
        let name = self.history.open_name().unwrap_or_default().to_owned();
        let touched = Touched::before(&self.map, std::slice::from_ref(&change));
        if let Some(open) = &mut self.open {
            open.whole.merge(touched.clone());
            open.unsynced.merge(touched);
        }
        let added = match self.history.apply(&mut self.map, &name, change) {
            Ok(added) => {
                if let Some(open) = &mut self.open {
                    open.whole.applied = true;
                    open.unsynced.applied = true;
                }
                added
            }
            Err(source) => {
                self.abort();
                return Err(EditorError::Edit { name, source });
            }
        };
        if own_step {
            self.commit();
        }
        Ok(added)
    }

    /// Brings the area list, the hit index and the revision up to date with the changes the
    /// open transaction has applied so far, so that a drag shows its effect as it goes; the
    /// transaction stays open. ([`Document::edit`] and [`Document::commit`] do this once at
    /// the end, so a step of many changes is not refreshed after each one.)
    pub fn sync(&mut self) {
        if let Some(open) = &mut self.open
            && open.unsynced.applied
        {
            let touched = std::mem::take(&mut open.unsynced);
            self.changed(touched);
        }
    }

    /// Closes the open transaction as one undo step (none when it changed nothing).
    pub fn commit(&mut self) {
        if let Some(open) = self.open.take() {
            self.history.commit();
            if open.unsynced.applied {
                self.changed(open.unsynced);
            }
        }
    }

    /// Takes back everything the open transaction changed.
    pub fn abort(&mut self) {
        if let Some(open) = self.open.take() {
            self.history.abort(&mut self.map);
            if open.whole.applied {
                self.changed(open.whole);
            }
        }
    }

    /// Undoes the last step; returns its name.
    pub fn undo(&mut self) -> Option<String> {
        self.step_history(History::undo_changes, History::undo)
    }

    /// Redoes the last undone step; returns its name.
    pub fn redo(&mut self) -> Option<String> {
        self.step_history(History::redo_changes, History::redo)
    }

    /// Undo or redo: notes what the step's changes touch before applying them.
    fn step_history(
        &mut self,
        changes: fn(&History) -> &[Change],
        apply: fn(&mut History, &mut Map) -> Option<String>,
    ) -> Option<String> {
        self.commit();
        let touched = Touched::before(&self.map, changes(&self.history));
        let name = apply(&mut self.history, &mut self.map)?;
        self.changed(touched);
        Some(name)
    }

    /// Records that the document was saved to `path` as it was at `save_point`.
    pub fn mark_saved(&mut self, path: &Path, save_point: u64) {
        self.path = Some(path.to_path_buf());
        self.name = file_name(path);
        self.saved_state = save_point;
    }

    /// Marks the document as having unsaved changes (a restored autosave).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// The ids in use, for handing out unique ones.
    pub fn unique_ids(&self) -> UniqueIds {
        UniqueIds::taking(self.map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())))
    }

    /// A fresh id for a new element named after `base` (`Area_1`, then `Area_2`, …) that no
    /// node has.
    pub fn fresh_id(&self, base: &str) -> AreaId {
        let base = AreaId::from_name(&format!("{base}_1"))
            .unwrap_or_else(|_| AreaId::new("Area_1").expect("a valid id"));
        self.unique_ids().claim(&base)
    }

    /// A new revision after changes (what they touched noted before they were applied).
    fn changed(&mut self, mut touched: Touched) {
        // And the groups above the nodes now: a move or an insert puts nodes under new groups.
        touched.nodes = with_groups_above(&self.map, touched.nodes);
        self.revision += 1;
        self.tree_revision += u64::from(touched.tree);
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back((self.revision, touched.clone()));
        // Freeing a large map's last copy takes milliseconds: not on the UI thread.
        if let Some(old) = std::mem::take(&mut self.snapshot).into_inner()
            && Arc::strong_count(&old) == 1
        {
            std::thread::spawn(move || drop(old));
        }
        self.beyond_artboard.take();
        self.refresh(Some(&touched));
    }

    /// What changed after `revision`, for caches that are brought up to date rather than made
    /// again; `None` when that is no longer known (more than a few hundred revisions ago).
    pub fn touched_since(&self, revision: u64) -> Option<Touches> {
        let known = self.recent.front().map_or(self.revision, |(first, _)| first - 1);
        if revision < known || revision > self.revision {
            return None;
        }
        let since = || self.recent.iter().filter(|(r, _)| *r > revision).map(|(_, t)| t);
        let nodes: Vec<_> = since().flat_map(|t| t.nodes.iter().copied()).collect();
        Some(Touches {
            nodes: stale_mask(&self.map, &nodes),
            named: since().flat_map(|t| t.named.iter().copied()).collect(),
            structure: since().any(|t| t.tree),
        })
    }

    /// The areas that reach beyond the artboard (partly or wholly), as positions in
    /// [`Document::areas`]: the visual cuts them off.
    pub fn areas_beyond_artboard(&self) -> &[usize] {
        self.beyond_artboard.get_or_init(|| {
            let artboard = self.map.view_box.rect();
            (0..self.areas.len()).filter(|i| !artboard.contains_rect(self.areas[*i].bbox)).collect()
        })
    }

    /// The map as of this revision, to hand to background work without copying it each time.
    pub fn snapshot(&self) -> Arc<Map> {
        self.snapshot.get_or_init(|| Arc::new(self.map.clone())).clone()
    }

    /// Recomputes the area list (`touched: None`: from scratch). After an edit, only the entries
    /// of touched nodes (groups above them included) and of the subtrees of moved or reshaped
    /// ones are rebuilt; the others keep their names and outlines. Statuses and which nodes are
    /// listed are worked out again only after changes that can alter them (not after moves,
    /// reshapes or restyles), so an edit on a large map costs at most a pass over its nodes,
    /// not re-flattening every shape and re-making every label.
    fn refresh(&mut self, touched: Option<&Touched>) {
        if let Some(touched) = touched
            && !touched.relist
        {
            let stale = stale_mask(&self.map, &touched.nodes);
            if self.update_in_place(&stale, None) {
                return;
            }
        }
        let statuses = Statuses::compute(&self.map, None);
        let listed: Vec<NodeKey> = self
            .map
            .iter()
            .filter(|(key, node)| {
                !node.hidden && statuses.get(*key).is_some_and(|r| r.status.is_area() && r.follows.is_none())
            })
            .map(|(key, _)| key)
            .collect();
        let same_list =
            listed.len() == self.areas.len() && listed.iter().zip(&self.areas).all(|(k, a)| *k == a.key);
        let stale = touched.map(|t| stale_mask(&self.map, &t.nodes));
        if let Some(stale) = &stale
            && same_list
            && self.update_in_place(stale, Some(&statuses))
        {
            return;
        }
        let mut previous: Vec<Option<AreaEntry>> =
            std::mem::take(&mut self.areas).into_iter().map(Some).collect();
        // Where each listed area stands in the list being made.
        let mut listed_at = vec![u32::MAX; self.map.key_bound()];
        for (i, key) in listed.iter().enumerate() {
            listed_at[key.index()] = i as u32;
        }
        let mut made: Vec<Option<AreaEntry>> = listed
            .iter()
            .map(|&key| match (&stale, self.area_index(key)) {
                (Some(stale), Some(i)) if !stale[key.index()] => {
                    previous[i].take().map(|entry| AreaEntry { status: statuses.status(key), ..entry })
                }
                _ => None,
            })
            .collect();
        let (map, statuses, listed, listed_at) = (&self.map, &statuses, &listed, &listed_at);
        // The entries not kept are made again, a part of the list on each core.
        let make = |start: usize, part: &mut [Option<AreaEntry>]| {
            // Last first: areas inside a group are listed after it, and it copies their outlines.
            for i in (0..part.len()).rev() {
                if part[i].is_some() {
                    continue;
                }
                let key = listed[start + i];
                let (head, after) = part.split_at_mut(i + 1);
                let made_after = |k: NodeKey| {
                    let at = (listed_at[k.index()] as usize).checked_sub(start + i + 1)?;
                    after.get(at)?.as_ref()
                };
                head[i] = area_entry(map, key, statuses.status(key), &made_after);
            }
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_INDEX_THREADS));
        let per_core = made.len().div_ceil(if made.len() < AREAS_PER_THREAD { 1 } else { cores }).max(1);
        std::thread::scope(|scope| {
            let mut parts = made.chunks_mut(per_core).enumerate();
            let first = parts.next();
            for (n, part) in parts {
                scope.spawn(move || make(n * per_core, part));
            }
            if let Some((_, part)) = first {
                make(0, part);
            }
        });
        let areas: Vec<AreaEntry> = made.into_iter().flatten().collect();
        self.hits = super::hit::HitIndex::build(&areas.iter().map(|a| a.bbox).collect::<Vec<_>>());
        self.slots = vec![u32::MAX; self.map.key_bound()];
        for (i, a) in areas.iter().enumerate() {
            self.slots[a.key.index()] = i as u32;
        }
        self.areas = areas;
    }

    /// Updates the list where it stands when the same areas are listed in the same order: the
    /// stale entries are made again and the hit index is moved for the boxes that moved;
    /// statuses are updated when given, else kept. False (nothing changed) when a stale area
    /// no longer has a box.
    fn update_in_place(&mut self, stale: &[bool], statuses: Option<&Statuses>) -> bool {
        let mut remade = Vec::new();
        for (i, area) in self.areas.iter().enumerate() {
            if stale[area.key.index()] {
                let status = statuses.map_or(area.status, |s| s.status(area.key));
                let Some(entry) = area_entry(&self.map, area.key, status, &|_| None) else { return false };
                remade.push((i, entry));
            }
        }
        let mut hits_valid = true;
        for (i, entry) in remade {
            let old = self.areas[i].bbox;
            hits_valid = hits_valid && (old == entry.bbox || self.hits.update(i, old, entry.bbox));
            self.areas[i] = entry;
        }
        if let Some(statuses) = statuses {
            for area in &mut self.areas {
                area.status = statuses.status(area.key);
            }
        }
        if !hits_valid {
            self.hits = super::hit::HitIndex::build(&self.areas.iter().map(|a| a.bbox).collect::<Vec<_>>());
        }
        true
    }

    /// The topmost area at a document point.
    pub fn hit(&self, p: kurbo::Point) -> Option<NodeKey> {
        let i = self.hits.hit(p, |i| self.areas[i].contains(p))?;
        Some(self.areas[i].key)
    }

    /// The document-space box around `selection`, from the area list where the elements are
    /// areas (precomputed), else from the map: cheap enough for every frame with 50,000 selected.
    pub fn selection_box(&self, selection: &[NodeKey]) -> Option<Rect> {
        selection
            .iter()
            .filter_map(|k| match self.area_index(*k) {
                Some(i) => Some(self.areas[i].bbox),
                None => self.map.bbox_in_doc(*k),
            })
            .reduce(|a, b| a.union(b))
    }

    /// Index in [`Document::areas`] of a node.
    pub fn area_index(&self, key: NodeKey) -> Option<usize> {
        self.slots.get(key.index()).filter(|&&i| i != u32::MAX).map(|&i| i as usize)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// What an open transaction has touched: since the last [`Document::sync`], and in all (what
/// an abort has to refresh).
#[derive(Default)]
struct Open {
    unsynced: Touched,
    whole: Touched,
}

/// What changes touch, noted before they are applied.
#[derive(Clone, Default)]
struct Touched {
    /// The nodes, with their subtrees when `true`, and the groups above them.
    nodes: Vec<(NodeKey, bool)>,
    /// The nodes the changes name themselves (not the groups above them).
    named: Vec<(NodeKey, bool)>,
    /// They can alter a tree view (names, visibility, locking, structure).
    tree: bool,
    /// They can alter which nodes are listed as areas or their statuses.
    relist: bool,
    /// At least one of them was applied.
    applied: bool,
}

impl Touched {
    fn before(map: &Map, changes: &[Change]) -> Touched {
        Touched {
            nodes: with_groups_above(map, changes.iter().filter_map(Change::touches).collect()),
            named: changes.iter().filter_map(Change::touches).collect(),
            tree: changes.iter().any(Change::alters_tree),
            relist: changes.iter().any(Change::relists),
            applied: false,
        }
    }

    /// Adds what more changes of the same transaction touch.
    fn merge(&mut self, more: Touched) {
        self.nodes.extend(more.nodes);
        self.named.extend(more.named);
        self.tree |= more.tree;
        self.relist |= more.relist;
    }
}

/// The touched nodes and the groups above them as the map stands now.
fn with_groups_above(map: &Map, mut touched: Vec<(NodeKey, bool)>) -> Vec<(NodeKey, bool)> {
    let above: Vec<_> = touched.iter().flat_map(|(k, _)| map.ancestors(*k)).map(|k| (k, false)).collect();
    touched.extend(above);
    touched
}

/// Marks the touched nodes still in the map, with their subtrees where asked, by key.
fn stale_mask(map: &Map, touched: &[(NodeKey, bool)]) -> Vec<bool> {
    let mut mask = vec![false; map.key_bound()];
    let mut stack = Vec::new();
    for &(key, subtree) in touched.iter().filter(|(k, _)| map.get(*k).is_some()) {
        mask[key.index()] = true;
        if subtree {
            stack.extend_from_slice(map.children(Some(key)));
        }
    }
    while let Some(k) = stack.pop() {
        if !std::mem::replace(&mut mask[k.index()], true) {
            stack.extend_from_slice(map.children(Some(k)));
        }
    }
    mask
}

/// The list entry of an area: names, search text, box and outlines. A shape inside it that
/// has an entry in `made` (an area of its own, up to date) lends its outline.
fn area_entry<'e>(
    map: &Map,
    key: NodeKey,
    status: AreaStatus,
    made: &dyn Fn(NodeKey) -> Option<&'e AreaEntry>,
) -> Option<AreaEntry> {
    let node = map.node(key);
    let bbox = map.bbox_in_doc(key)?;
    let (outline, parts) = match &node.kind {
        // One shape has no parts to tell apart.
        NodeKind::Shape(g) => (doc_outline(map, key, g), Vec::new()),
        _ => {
            // Made at its size at once: a floor of 2,000 rooms grew in steps.
            let mut outline = BezPath::with_capacity(made_size(map, key, made));
            let mut parts = Vec::new();
            collect_parts(map, key, made, &mut outline, &mut parts);
            if parts.len() == 1 {
                parts.clear();
            }
            (outline, parts)
        }
    };
    let id = node.id.as_ref().map(ToString::to_string).unwrap_or_default();
    let label = node.display_name().unwrap_or_else(|| id.clone());
    let point = match node.binding() {
        crate::model::Binding::Strong(v) => v.to_lowercase(),
        _ => String::new(),
    };
    let search = format!("{} {} {point}", id.to_lowercase(), label.to_lowercase());
    Some(AreaEntry { key, id, label, search, status, bbox, outline, parts })
}

/// A shape's outline in document coordinates.
fn doc_outline(map: &Map, key: NodeKey, shape: &crate::model::Geometry) -> BezPath {
    let mut outline = shape.to_path();
    outline.apply_affine(map.doc_from_node(key));
    outline
}

/// The size of the outlines of the shapes inside a group that have entries in `made`.
fn made_size<'e>(map: &Map, key: NodeKey, made: &dyn Fn(NodeKey) -> Option<&'e AreaEntry>) -> usize {
    match &map.node(key).kind {
        NodeKind::Group(children) => children.iter().map(|&c| made_size(map, c, made)).sum(),
        NodeKind::Shape(_) => made(key).map_or(0, |entry| entry.outline.elements().len()),
        NodeKind::Decor(_) => 0,
    }
}

/// Appends the document-space outline of each of a node's shapes to `outline`, with its box
/// and where it stands there. A shape that is an area of its own, made already, is copied.
fn collect_parts<'e>(
    map: &Map,
    key: NodeKey,
    made: &dyn Fn(NodeKey) -> Option<&'e AreaEntry>,
    outline: &mut BezPath,
    parts: &mut Vec<(Rect, Range<usize>)>,
) {
    use kurbo::Shape;
    match &map.node(key).kind {
        NodeKind::Shape(g) => {
            let start = outline.elements().len();
            match made(key).filter(|entry| entry.parts.is_empty()) {
                Some(entry) => outline.extend(entry.outline.iter()),
                None => outline.extend(doc_outline(map, key, g).iter()),
            }
            let range = start..outline.elements().len();
            parts.push(((&outline.elements()[range.clone()]).bounding_box(), range));
        }
        NodeKind::Group(children) => {
            for &c in children {
                collect_parts(map, c, made, outline, parts);
            }
        }
        NodeKind::Decor(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Geometry, Node};
    use crate::svg::save_file;

    /// Draws a 10×10 area at the origin as one undo step ("Draw rectangle").
    fn add_square(doc: &mut Document) -> NodeKey {
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(0.0, 0.0, 10.0, 10.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Area").into());
        doc.add("Draw rectangle", None, node).unwrap()
    }

    #[test]
    fn edits_undo_redo_and_dirty_state() {
        let mut doc = Document::blank(100.0, 100.0);
        assert!(!doc.is_dirty());
        let key = add_square(&mut doc);
        assert_eq!(doc.area_index(key), Some(0));
        assert_eq!(doc.areas.len(), 1);
        assert!(doc.is_dirty());
        assert_eq!(doc.undo_name(), Some("Draw rectangle"));
        assert_eq!(doc.fresh_id("Area").as_str(), "Area_2");
        assert_eq!(doc.undo_name(), Some("Draw rectangle"));
        assert_eq!(doc.undo().as_deref(), Some("Draw rectangle"));
        assert!(doc.areas.is_empty());
        assert_eq!(doc.redo().as_deref(), Some("Draw rectangle"));
        assert_eq!(doc.areas.len(), 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.svg");
        save_file(doc.map(), &path).unwrap();
        doc.mark_saved(&path, doc.save_point());
        assert!(!doc.is_dirty());
        let key2 = doc.add("Draw rectangle", None, Node::new(NodeKind::Group(Vec::new()))).unwrap();
        assert!(doc.is_dirty());
        doc.undo();
        assert!(!doc.is_dirty(), "undoing back to what was saved leaves nothing unsaved");
        doc.redo();
        assert!(doc.is_dirty() && doc.map().get(key2).is_some());
        doc.begin("Drag");
        doc.apply(Change::Transform(key, kurbo::Affine::translate((1.0, 0.0)))).unwrap();
        doc.sync();
        doc.abort();
        doc.undo();
        assert!(!doc.is_dirty(), "an aborted drag leaves nothing unsaved");
        assert_eq!(Document::load(&path).unwrap().areas.len(), 1);
    }

    #[test]
    fn areas_beyond_the_artboard_follow_the_edits() {
        let mut doc = Document::blank(100.0, 100.0);
        let key = add_square(&mut doc);
        assert!(doc.areas_beyond_artboard().is_empty());
        doc.edit("Move", vec![Change::Transform(key, kurbo::Affine::translate((95.0, 0.0)))]).unwrap();
        assert_eq!(doc.areas_beyond_artboard(), [0], "half of it is off the artboard");
        doc.undo();
        assert!(doc.areas_beyond_artboard().is_empty(), "back inside");
    }

    /// The areas as a full recomputation from the map would list them.
    type Listed = (Vec<(NodeKey, String, AreaStatus, Rect, BezPath)>, Vec<Option<NodeKey>>);

    fn recomputed(doc: &Document) -> Listed {
        listed(&Document::from_map(doc.map().clone(), String::new()))
    }

    /// The list, and what a click hits on a 5-unit grid over the map.
    fn listed(doc: &Document) -> Listed {
        let grid =
            (0..100).flat_map(|x| (0..100).map(move |y| kurbo::Point::new(x as f64 * 5.0, y as f64 * 5.0)));
        (
            doc.areas
                .iter()
                .map(|a| (a.key, a.search.clone(), a.status, a.bbox, a.outline.clone()))
                .collect(),
            grid.map(|p| doc.hit(p)).collect(),
        )
    }

    #[test]
    fn kept_outlines_match_a_full_recomputation_through_edits_undo_and_redo() {
        let mut doc = Document::blank(500.0, 500.0);
        let mut keys = Vec::new();
        for i in 0..6 {
            let x = i as f64 * 50.0;
            let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
                rect: Rect::new(x, 0.0, x + 40.0, 40.0),
                rx: None,
                ry: None,
            }));
            node.id = Some(doc.fresh_id("Room").into());
            keys.push(doc.add("Draw rectangle", None, node).unwrap());
        }
        let g = super::super::operations::group(&mut doc, &keys[..3]).unwrap().unwrap();
        // The group is an area of its own (its outline is its shapes').
        let wing = Some(AreaId::new("Wing").unwrap().into());
        let edits: Vec<(&str, Vec<Change>)> = vec![
            ("Name group", vec![Change::Id(g, wing)]),
            ("Move group", vec![Change::Transform(g, kurbo::Affine::translate((0.0, 100.0)))]),
            ("Move", vec![Change::Transform(keys[4], kurbo::Affine::translate((7.0, 300.0)))]),
            (
                "Reshape",
                vec![Change::Geometry(
                    keys[5],
                    Geometry::Rect { rect: Rect::new(300.0, 300.0, 320.0, 480.0), rx: None, ry: None },
                )],
            ),
            ("Regroup", vec![Change::Move(keys[3], Some(g), 0)]),
            ("Rename", vec![Change::Title(keys[0], Some("Lab".into()))]),
            ("Duplicate id", vec![Change::Id(keys[4], doc.map().node(keys[3]).id.clone())]),
            ("Hide", vec![Change::Hidden(keys[1], true)]),
            ("Move in group", vec![Change::Transform(keys[1], kurbo::Affine::translate((0.0, 30.0)))]),
            ("Delete", vec![Change::Remove(keys[2])]),
        ];
        for (name, changes) in edits {
            doc.edit(name, changes).unwrap();
            assert_eq!(listed(&doc), recomputed(&doc), "after {name}");
        }
        assert_eq!(doc.hit(kurbo::Point::new(20.0, 120.0)), Some(keys[0]), "found where the group moved it");
        while doc.undo().is_some() {
            assert_eq!(listed(&doc), recomputed(&doc), "after an undo");
        }
        while doc.redo().is_some() {
            assert_eq!(listed(&doc), recomputed(&doc), "after a redo");
        }
    }

    #[test]
    fn areas_listed_on_several_threads_match_each_made_alone() {
        let svg = crate::generate::floor_plan(crate::generate::PlanSpec { areas: 5000, seed: 3 });
        let map = crate::svg::import_bytes(svg.as_bytes()).unwrap().map;
        let doc = Document::from_map(map, "plan.svg".into());
        assert!(doc.areas.len() > AREAS_PER_THREAD, "listed on more than one thread");
        let statuses = Statuses::compute(doc.map(), None);
        let mut groups = 0;
        for a in &doc.areas {
            let alone = area_entry(doc.map(), a.key, statuses.status(a.key), &|_| None).unwrap();
            assert_eq!((&a.id, a.bbox, &a.parts), (&alone.id, alone.bbox, &alone.parts));
            assert_eq!(a.outline.elements(), alone.outline.elements(), "{}", a.id);
            groups += usize::from(!a.parts.is_empty());
        }
        assert!(groups > 1, "floors copy their rooms' outlines");
    }

    /// Moving a floor remakes its entry and its rooms' where they stand: each must match one
    /// made alone, and the hit index finds the rooms where they went.
    #[test]
    fn a_moved_floor_and_its_rooms_match_entries_made_alone() {
        let svg = crate::generate::floor_plan(crate::generate::PlanSpec { areas: 600, seed: 4 });
        let mut doc =
            Document::from_map(crate::svg::import_bytes(svg.as_bytes()).unwrap().map, "plan.svg".into());
        let floor = doc.areas.iter().find(|a| !a.parts.is_empty()).unwrap().key;
        let before = doc.areas[doc.area_index(floor).unwrap()].bbox;
        for step in [3000.0, -1000.0] {
            let moved = doc.map().node(floor).transform().then_translate(kurbo::Vec2::new(step, 2.0));
            doc.edit("Move", vec![Change::Transform(floor, moved)]).unwrap();
        }
        assert_eq!(doc.areas[doc.area_index(floor).unwrap()].bbox, before + kurbo::Vec2::new(2000.0, 4.0));
        let statuses = Statuses::compute(doc.map(), None);
        for a in &doc.areas {
            let alone = area_entry(doc.map(), a.key, statuses.status(a.key), &|_| None).unwrap();
            assert_eq!((&a.id, a.bbox, &a.parts), (&alone.id, alone.bbox, &alone.parts));
            assert_eq!(a.outline.elements(), alone.outline.elements(), "{}", a.id);
        }
        let floor_box = doc.areas[doc.area_index(floor).unwrap()].bbox;
        let room = doc.areas.iter().find(|a| a.key != floor && floor_box.contains_rect(a.bbox)).unwrap();
        let hit = doc.hit(room.bbox.center());
        assert!(hit == Some(room.key) || hit == Some(floor), "the moved room is hit where it went: {hit:?}");
    }

    #[test]
    fn a_group_area_is_hit_inside_its_shapes_only() {
        let mut doc = Document::blank(100.0, 100.0);
        let mut group = Node::new(NodeKind::Group(Vec::new()));
        group.id = crate::ids::RawId::new("Pair");
        let g = doc.add("Group", None, group).unwrap();
        for x in [0.0, 50.0] {
            let mut square = Node::new(NodeKind::Shape(Geometry::Rect {
                rect: Rect::new(x, 0.0, x + 10.0, 10.0),
                rx: None,
                ry: None,
            }));
            square.id = Some(doc.fresh_id("Area").into());
            doc.add("Draw rectangle", Some(g), square).unwrap();
        }
        let entry = &doc.areas[doc.area_index(g).unwrap()];
        assert_eq!(entry.parts.len(), 2);
        assert!(entry.contains(kurbo::Point::new(5.0, 5.0)) && entry.contains(kurbo::Point::new(55.0, 5.0)));
        assert!(!entry.contains(kurbo::Point::new(30.0, 5.0)), "not between its shapes");
    }
}
