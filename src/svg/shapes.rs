//! The optimised export's shapes in their shortest form, worked out on both cores: a worker
//! runs ahead of the writer through the shapes in document order, a chunk at a time, and the
//! writer works out itself any chunk the worker has not started, so neither waits long for the
//! other whatever else the writer has to do. The worker stays at most a bounded number of
//! bytes ahead, so a huge map's geometry is never held whole.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::Thread;
use std::time::Duration;

use super::write::{Num, attr};
use crate::model::{Geometry, Map, NodeKey, NodeKind};

/// A shape's element name and geometry attributes, as written.
pub type Shape = (&'static str, String);

/// Shapes per chunk: what one side claims at a time.
const CHUNK: usize = 64;

/// How many bytes of geometry the worker may have worked out that the writer has not taken.
const MAX_AHEAD_BYTES: usize = 16 << 20;

/// One chunk of shapes: whether a side has claimed it, and the worker's result.
#[derive(Default)]
struct Chunk {
    claimed: AtomicBool,
    done: Mutex<Option<Vec<Shape>>>,
}

/// The shapes of a map to work out, shared by the worker and the writer.
pub struct ShapeWork<'m> {
    map: &'m Map,
    num: Num,
    /// Set when something in the map may draw along a shape: every outline keeps its start.
    drawn_along: bool,
    /// Every shape, in document order.
    keys: Vec<NodeKey>,
    chunks: Vec<Chunk>,
    /// Bytes the worker worked out that the writer has not taken yet.
    ahead: AtomicUsize,
    /// The chunk the writer is at.
    writer_at: AtomicUsize,
    /// Set when the writer is done: the worker stops.
    writer_done: AtomicBool,
    /// Set when the worker has stopped (finished, or panicked): the writer waits no more.
    worker_stopped: AtomicBool,
}

impl<'m> ShapeWork<'m> {
    /// The shapes of `map` that the export writes (under no node `written` refuses), written
    /// with `num`.
    pub fn new(map: &'m Map, num: Num, written: impl Fn(NodeKey) -> bool) -> Self {
        let mut keys = Vec::new();
        let mut stack: Vec<NodeKey> = map.roots().iter().rev().copied().collect();
        while let Some(key) = stack.pop() {
            if !written(key) {
                continue;
            }
            if matches!(map.node(key).kind, NodeKind::Shape(_)) {
                keys.push(key);
            }
            stack.extend(map.children(Some(key)).iter().rev());
        }
        let chunks = (0..keys.len().div_ceil(CHUNK)).map(|_| Chunk::default()).collect();
        ShapeWork {
            map,
            num,
            drawn_along: may_draw_along_shapes(map),
            keys,
            chunks,
            ahead: AtomicUsize::new(0),
            writer_at: AtomicUsize::new(0),
            writer_done: AtomicBool::new(false),
            worker_stopped: AtomicBool::new(false),
        }
    }

    /// The worker: works out the chunks ahead of the writer that nobody has claimed.
    pub fn run_worker(&self) {
        /// Tells the writer the worker stopped, however it stops.
        struct Stopped<'a>(&'a AtomicBool);
        impl Drop for Stopped<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Release);
            }
        }
        let _stopped = Stopped(&self.worker_stopped);
        let mut next = 0;
        while !self.writer_done.load(Ordering::Acquire) {
            next = next.max(self.writer_at.load(Ordering::Acquire) + 1);
            let Some(chunk) = self.chunks.get(next) else { return };
            if self.ahead.load(Ordering::Acquire) > MAX_AHEAD_BYTES {
                std::thread::park_timeout(Duration::from_millis(1));
                continue;
            }
            if !chunk.claimed.swap(true, Ordering::AcqRel) {
                let shapes = self.work_out(next);
                self.ahead.fetch_add(bytes(&shapes), Ordering::AcqRel);
                *chunk.done.lock().unwrap_or_else(|e| e.into_inner()) = Some(shapes);
            }
            next += 1;
        }
    }

    /// The shapes of chunk `c`.
    fn work_out(&self, c: usize) -> Vec<Shape> {
        let keys = &self.keys[c * CHUNK..((c + 1) * CHUNK).min(self.keys.len())];
        keys.iter()
            .map(|&key| {
                let node = self.map.node(key);
                match &node.kind {
                    NodeKind::Shape(g) => {
                        let keep_starts = self.drawn_along || starts_matter(self.map, key);
                        shortest_shape(g, node.id.is_some(), self.num, keep_starts)
                    }
                    _ => unreachable!("only shapes are listed"),
                }
            })
            .collect()
    }
}

/// True when an element of the map can draw along a shape (text on a path, a copy, a motion
/// path), so that where its outlines start may matter.
fn may_draw_along_shapes(map: &Map) -> bool {
    let elements = map.defs.iter().chain(map.iter().filter_map(|(_, node)| match &node.kind {
        NodeKind::Decor(el) => Some(el),
        _ => None,
    }));
    let mut found = false;
    for el in elements {
        super::export::for_each_element(el, &mut |e| {
            found |= matches!(&*e.name, "textPath" | "use" | "mpath");
        });
    }
    found
}

/// True when the shape at `key` is drawn with dashes or markers (its own style or one it
/// inherits), which start where its outlines start.
fn starts_matter(map: &Map, key: NodeKey) -> bool {
    let marks = |property: &str, value: &str| {
        matches!(property, "stroke-dasharray" | "marker" | "marker-start" | "marker-mid" | "marker-end")
            && value.trim() != "none"
    };
    std::iter::once(key).chain(map.ancestors(key)).any(|k| {
        let node = map.node(k);
        node.style.iter().any(|(p, v)| marks(p, v)) || node.attrs().iter().any(|(p, v)| marks(p, v))
    })
}

/// Bytes of geometry in `shapes`.
fn bytes(shapes: &[Shape]) -> usize {
    shapes.iter().map(|(_, attrs)| attrs.len()).sum()
}

/// The writer's side: takes the shapes in document order.
pub struct ShapeTaker<'w, 'm> {
    work: &'w ShapeWork<'m>,
    worker: Thread,
    /// Where the writer is in [`ShapeWork::keys`].
    cursor: usize,
    /// The chunk in hand, its index and its shapes (each taken once).
    chunk: Option<(usize, Vec<Option<Shape>>)>,
}

impl<'w, 'm> ShapeTaker<'w, 'm> {
    /// The writer's side of `work`, whose worker runs on `worker`.
    pub fn new(work: &'w ShapeWork<'m>, worker: Thread) -> Self {
        ShapeTaker { work, worker, cursor: 0, chunk: None }
    }

    /// The shape at `key` (those before it that are not written are passed over); none when
    /// it is not a shape of the map.
    pub fn take(&mut self, key: NodeKey) -> Option<Shape> {
        let keys = &self.work.keys;
        let at = self.cursor + keys[self.cursor..].iter().position(|&k| k == key)?;
        self.cursor = at + 1;
        let c = at / CHUNK;
        if self.chunk.as_ref().is_none_or(|(held, _)| *held != c) {
            // Chunks passed over hold shapes left out (invisible ones): their geometry goes.
            for passed in self.chunk.as_ref().map_or(0, |(held, _)| held + 1)..c {
                self.release(passed);
            }
            self.work.writer_at.store(c, Ordering::Release);
            let shapes = self.obtain(c);
            self.chunk = Some((c, shapes.into_iter().map(Some).collect()));
            self.worker.unpark();
        }
        self.chunk.as_mut().and_then(|(_, shapes)| shapes[at % CHUNK].take())
    }

    /// Drops what the worker worked out of chunk `c`, if anything.
    fn release(&self, c: usize) {
        if let Some(shapes) = self.work.chunks[c].done.lock().unwrap_or_else(|e| e.into_inner()).take() {
            self.work.ahead.fetch_sub(bytes(&shapes), Ordering::AcqRel);
        }
    }

    /// Chunk `c`: worked out here unless the worker claimed it, else the worker's.
    fn obtain(&self, c: usize) -> Vec<Shape> {
        let chunk = &self.work.chunks[c];
        if !chunk.claimed.swap(true, Ordering::AcqRel) {
            return self.work.work_out(c);
        }
        loop {
            if let Some(shapes) = chunk.done.lock().unwrap_or_else(|e| e.into_inner()).take() {
                self.work.ahead.fetch_sub(bytes(&shapes), Ordering::AcqRel);
                return shapes;
            }
            if self.work.worker_stopped.load(Ordering::Acquire) {
                // The worker stopped before finishing it (a panic): once more, here.
                return self.work.work_out(c);
            }
            std::thread::yield_now();
        }
    }
}

impl Drop for ShapeTaker<'_, '_> {
    /// Stops the worker.
    fn drop(&mut self) {
        self.work.writer_done.store(true, Ordering::Release);
        self.worker.unpark();
    }
}

/// A shape as the shorter of its own element and a path (a `line` stays a line when it is
/// an area: the visual treats lines apart), with its geometry attributes; `keep_starts` when
/// something depends on where its outlines start (see [`super::pathdata::shortest`]).
pub fn shortest_shape(g: &Geometry, is_area: bool, num: Num, keep_starts: bool) -> Shape {
    let own_name = g.element_name();
    let shortest = |path: &mut dyn Iterator<Item = kurbo::PathEl>| {
        let mut d = String::new();
        attr(&mut d, "d", &super::pathdata::shortest(path, num.precision(), keep_starts));
        d
    };
    if let Geometry::Path(path, _) = g {
        return ("path", shortest(&mut path.elements()));
    }
    let mut own = String::new();
    super::export::geometry_into(&mut own, g, num, false);
    let keep = matches!(g, Geometry::Circle(_) | Geometry::Ellipse { .. })
        || matches!(g, Geometry::Rect { rx, ry, .. } if rx.is_some() || ry.is_some())
        || (is_area && matches!(g, Geometry::Line(_)));
    if keep {
        return (own_name, own);
    }
    let path = shortest(&mut g.to_path().into_iter());
    if path.len() + 4 - own_name.len() < own.len() { ("path", path) } else { (own_name, own) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{PlanSpec, floor_plan};

    #[test]
    fn shapes_come_in_document_order_and_passed_over_geometry_is_let_go() {
        let map =
            crate::svg::import_bytes(floor_plan(PlanSpec { areas: 1000, seed: 1 }).as_bytes()).unwrap().map;
        let num = Num::lean(3);
        let work = ShapeWork::new(&map, num, |_| true);
        assert!(work.chunks.len() > 10);
        // The worker runs to the end first: every chunk but the writer's first is worked out.
        work.run_worker();
        assert!(work.ahead.load(Ordering::Acquire) > 0);
        let mut taker = ShapeTaker::new(&work, std::thread::current());
        let first = work.keys[0];
        let last = *work.keys.last().unwrap();
        for key in [first, last] {
            let NodeKind::Shape(g) = &map.node(key).kind else { unreachable!() };
            let expected = shortest_shape(g, map.node(key).id.is_some(), num, starts_matter(&map, key));
            assert_eq!(taker.take(key), Some(expected));
        }
        // Everything between was passed over and let go.
        assert_eq!(work.ahead.load(Ordering::Acquire), 0);
        // A key before the cursor, or no shape at all, is not found.
        assert_eq!(taker.take(first), None);
    }

    #[test]
    fn outlines_keep_their_start_where_dashes_markers_or_text_follow_it() {
        let export = |svg: &str| {
            let map = crate::svg::import_bytes(svg.as_bytes()).unwrap().map;
            crate::svg::export_svg(&map, &crate::svg::ExportOptions::default()).svg
        };
        let outline = r#"d="M0 0L100 0L100 50L0 60Z""#;
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path id="free" {outline}/>
            <g style="stroke:red;stroke-dasharray:4 2"><path id="dashed" {outline}/></g>
            <path id="marked" marker-start="url(#m)" {outline}/>
            <defs><marker id="m"><circle r="1"/></marker></defs></svg>"#
        );
        let out = export(&svg);
        assert!(out.contains(r#"id="free" d="m0 60V0h100v50z""#), "{out}");
        assert!(out.contains(r#"id="dashed" d="m0 0h100v50L0 60z""#), "{out}");
        assert!(out.contains(r#"id="marked" d="m0 0h100v50L0 60z""#), "{out}");
        // Text along any shape: every outline keeps its start.
        let along = svg.replace("</svg>", r##"<text><textPath href="#free">Hall</textPath></text></svg>"##);
        let out = export(&along);
        assert!(out.contains(r#"id="free" d="m0 0h100v50L0 60z""#), "{out}");
    }
}
