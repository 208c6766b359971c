//! The canvas's map on screen: tiles of the view drawn in the background at the zoom's
//! resolution (one tile pixel is never larger than a screen pixel) by a pool of threads, one
//! per core, kept as textures in a bounded cache. An edit redraws only the tiles its places
//! touch; a coarse overview of the whole map shows on the first frame and wherever tiles have
//! not arrived yet.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions};
use kurbo::Point;

use crate::editor::Document;
use crate::render::tiles::{Changed, Look, TileId, TileScene};

/// Most tiles kept as textures (256×256 RGBA each: 96 MiB in all); the least recently shown
/// ones outside the view go first.
pub const CACHE_CAP: usize = 384;
/// Most pixels of the overview (it is drawn whole, so it stays coarse).
const OVERVIEW_PIXELS: f64 = 0.5e6;
/// The overview's longest side.
const OVERVIEW_SIDE: f64 = 4096.0;
/// How long after the last edit a stale overview is redrawn.
const OVERVIEW_PAUSE: std::time::Duration = std::time::Duration::from_secs(1);
/// How often the window looks for finished tiles while the drawing threads work: they never
/// touch the window's context themselves, whose lock a frame then waited for.
const TILE_POLL: std::time::Duration = std::time::Duration::from_millis(15);

/// What the scene shows besides the map's revision: the overlay switch, the values'
/// generation, and whether there is text.
type LookKey = (bool, u64, bool);

/// The scene tiles are drawn from.
struct Current {
    scene: Arc<TileScene>,
    /// Bumped with every new scene; tiles drawn from an earlier one that an edit touched are
    /// stale.
    generation: u64,
    revision: u64,
    look: LookKey,
    /// When it arrived.
    since: std::time::Instant,
}

struct Tile {
    texture: TextureHandle,
    /// The generation it shows.
    generation: u64,
    /// The frame it was last in view.
    used: u64,
}

/// A finished piece of background work.
enum Done {
    Scene { scene: Box<TileScene>, changed: Changed, revision: u64, look: LookKey },
    Tile { tile: TileId, generation: u64, image: Option<ColorImage> },
    Overview { generation: u64, area: kurbo::Rect, image: Option<ColorImage> },
}

/// A tile or the overview to draw.
#[derive(Clone, Copy, PartialEq)]
enum Job {
    Tile(TileId),
    Overview,
}

/// The work queue of the drawing threads: what the view needs now, from which scene.
#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    scene: Option<(u64, Arc<TileScene>)>,
    /// The jobs being drawn, with the generation of their scene: not queued again meanwhile
    /// (a tile that took longer than a frame was drawn three times, by both threads at once).
    drawing: Vec<(Job, u64)>,
    closed: bool,
}

/// The drawing threads, one per core.
struct Pool {
    shared: Arc<(Mutex<Queue>, Condvar)>,
    /// Jobs taken from the queue whose result the window has not taken in yet.
    outstanding: Arc<AtomicUsize>,
}

impl Pool {
    fn start(done: &Sender<Done>) -> Pool {
        let shared = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let outstanding = Arc::new(AtomicUsize::new(0));
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        for _ in 0..threads {
            let (shared, done, outstanding) = (shared.clone(), done.clone(), outstanding.clone());
            super::background::spawn(super::background::Priority::Drawing, move || {
                draw_jobs(&shared, &done, &outstanding)
            });
        }
        Pool { shared, outstanding }
    }

    /// True while a job is queued, being drawn or drawn and not taken in (a queue held by a
    /// drawing thread counts).
    fn is_working(&self) -> bool {
        self.outstanding.load(Ordering::Acquire) > 0
            || self.shared.0.try_lock().map_or(true, |q| !q.jobs.is_empty())
    }

    /// Replaces the queue: jobs no longer wanted (tiles that left the view) are dropped.
    fn set(&self, generation: u64, scene: &Arc<TileScene>, jobs: Vec<Job>) {
        let (lock, wake) = &*self.shared;
        let Ok(mut guard) = lock.lock() else { return };
        let q = &mut *guard;
        let before = q.scene.replace((generation, scene.clone()));
        q.jobs = jobs.into_iter().filter(|job| !q.drawing.contains(&(*job, generation))).collect();
        wake.notify_all();
        drop(guard);
        // The queue often holds the last reference to the scene before an edit.
        if let Some((_, before)) = before {
            release(before);
        }
    }
}

/// Lets go of a scene: the last reference is dropped on a background thread, since freeing a
/// large map's scene takes milliseconds (4-10 ms of a frame after each edit of the 50k plan,
/// when the drawing threads' queue held it last).
fn release(scene: Arc<TileScene>) {
    if Arc::strong_count(&scene) == 1 {
        super::background::spawn(super::background::Priority::Drawing, move || drop(scene));
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let (lock, wake) = &*self.shared;
        if let Ok(mut q) = lock.lock() {
            q.closed = true;
            q.jobs.clear();
        }
        wake.notify_all();
    }
}

/// A drawing thread: takes the next job, draws it from the queue's scene, hands it back.
fn draw_jobs(shared: &(Mutex<Queue>, Condvar), done: &Sender<Done>, outstanding: &AtomicUsize) {
    // Counted up here, down when the window takes the result in (`TileView::update`).
    let (lock, wake) = shared;
    loop {
        let (job, generation, scene) = {
            let Ok(mut q) = lock.lock() else { return };
            loop {
                if q.closed {
                    return;
                }
                if let (Some(job), Some((generation, scene))) = (q.jobs.front().copied(), q.scene.clone()) {
                    q.jobs.pop_front();
                    q.drawing.push((job, generation));
                    outstanding.fetch_add(1, Ordering::AcqRel);
                    break (job, generation, scene);
                }
                q = match wake.wait(q) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        let message = match job {
            Job::Tile(tile) => {
                let start = std::time::Instant::now();
                let image = scene.render(tile).ok().map(to_image);
                log::trace!("tile {tile:?} of generation {generation} drawn in {:?}", start.elapsed());
                Done::Tile { tile, generation, image }
            }
            Job::Overview => {
                let (area, image) = draw_overview(&scene, 1.0);
                Done::Overview { generation, area, image }
            }
        };
        // Handed back before it leaves the list: a frame in between finds it still drawn.
        if done.send(message).is_err() {
            return;
        }
        let Ok(mut q) = lock.lock() else { return };
        if let Some(i) = q.drawing.iter().position(|d| *d == (job, generation)) {
            q.drawing.swap_remove(i);
        }
    }
}

/// The whole map, coarse, shapes under `smallest` pixels both ways left out; and the area it
/// covers.
fn draw_overview(scene: &TileScene, smallest: f64) -> (kurbo::Rect, Option<ColorImage>) {
    let area = scene.extent();
    (area, scene.render_area(area, overview_scale(area), smallest).ok().map(to_image))
}

/// The overview's pixels per map unit for a map whose artboard is `area`.
fn overview_scale(area: kurbo::Rect) -> f64 {
    (OVERVIEW_PIXELS / (area.width() * area.height()).max(f64::MIN_POSITIVE))
        .sqrt()
        .min(OVERVIEW_SIDE / area.width().max(area.height()).max(f64::MIN_POSITIVE))
}

/// What the canvas shows first of a map: a coarse overview in the map's own styles, without
/// text, made on the thread that opened the map while the document is indexed.
pub struct Prepared {
    overview: (kurbo::Rect, Option<ColorImage>),
}

/// The first overview of a map leaves out shapes under this many pixels both ways, and is
/// drawn again in full once the view's tiles are done: a plan of 50,000 rooms shows its floors
/// at once and its rooms with the tiles (making and drawing 50,000 specks of two or three
/// pixels took longer than indexing the document).
const FIRST_OVERVIEW_SMALLEST: f64 = 4.0;

/// Makes the first overview of `map` (see [`Prepared`]).
pub fn prepare(map: &crate::model::Map) -> Prepared {
    let look = Look { status_colours: false, values: None, text: false };
    let smallest = FIRST_OVERVIEW_SMALLEST / overview_scale(map.view_box.rect());
    let scene = TileScene::coarse(map, &look, smallest);
    Prepared { overview: draw_overview(&scene, FIRST_OVERVIEW_SMALLEST) }
}

fn to_image(pixmap: tiny_skia::Pixmap) -> ColorImage {
    let size = [pixmap.width() as usize, pixmap.height() as usize];
    ColorImage::from_rgba_premultiplied(size, pixmap.data())
}

/// The tiles of the canvas, their cache and the threads that draw them.
pub struct TileView {
    current: Option<Current>,
    /// A scene is being built.
    building: bool,
    pool: Option<Pool>,
    done: (Sender<Done>, Receiver<Done>),
    tiles: HashMap<TileId, Tile>,
    overview: Option<(u64, kurbo::Rect, TextureHandle)>,
    /// Counts frames, for the cache's least recently used.
    frame: u64,
    /// The level and tiles the last frame wanted.
    wanted: (i32, Vec<TileId>),
    /// Since when the view has not been up to date (for the log).
    waiting: Option<std::time::Instant>,
    /// The look the last frame asked for.
    look: Option<LookKey>,
    /// Tiles the renderer failed on, and the generation they failed at: not asked for again
    /// until the next scene (the overview shows there).
    failed: (u64, std::collections::HashSet<TileId>),
}

impl Default for TileView {
    fn default() -> Self {
        TileView {
            current: None,
            building: false,
            pool: None,
            done: channel(),
            tiles: HashMap::new(),
            overview: None,
            frame: 0,
            wanted: (0, Vec::new()),
            waiting: None,
            look: None,
            failed: (0, std::collections::HashSet::new()),
        }
    }
}

impl TileView {
    /// Shows an overview made with the map until its tiles arrive, when nothing is shown yet.
    pub fn adopt(&mut self, ctx: &egui::Context, prepared: Prepared) {
        if self.current.is_some() || self.overview.is_some() {
            return;
        }
        if let (area, Some(image)) = prepared.overview {
            // Of no generation: drawn again in full, like a stale one, once the tiles are done.
            self.overview = Some((0, area, ctx.load_texture("overview", image, TextureOptions::LINEAR)));
        }
    }

    /// True once something of the map (the overview or a tile) can be shown.
    pub fn has_render(&self) -> bool {
        self.overview.is_some() || !self.tiles.is_empty()
    }

    /// True when every tile in view shows the current revision at the zoom's resolution (the
    /// overview, under them, may still be being redrawn).
    pub fn is_settled(&self, revision: u64) -> bool {
        let Some(current) = &self.current else { return false };
        !self.building
            && current.revision == revision
            && Some(current.look) == self.look
            && self.wanted.1.iter().all(|t| self.is_done(*t, current.generation))
    }

    /// The tile shows `generation`, or failed to draw at it.
    fn is_done(&self, id: TileId, generation: u64) -> bool {
        self.tiles.get(&id).is_some_and(|t| t.generation == generation) || self.is_failed(id, generation)
    }

    fn is_failed(&self, id: TileId, generation: u64) -> bool {
        self.failed.0 == generation && self.failed.1.contains(&id)
    }

    /// Takes in finished work, builds a new scene when the map or the look changed (not
    /// during a drag, which shows the last one), and asks for the tiles of `visible` (map
    /// units) at `pixels_per_unit` screen pixels per unit.
    pub fn update(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        look: &Look,
        look_key: (bool, u64),
        visible: kurbo::Rect,
        pixels_per_unit: f64,
    ) {
        self.frame += 1;
        while let Ok(done) = self.done.1.try_recv() {
            if let (Done::Tile { .. } | Done::Overview { .. }, Some(pool)) = (&done, &self.pool) {
                pool.outstanding.fetch_sub(1, Ordering::AcqRel);
            }
            self.take(ctx, done);
        }
        let key = (look_key.0, look_key.1, look.text);
        self.look = Some(key);
        let stale = self.current.as_ref().is_none_or(|c| c.revision != doc.revision || c.look != key);
        if stale && !self.building && (!doc.in_transaction() || self.current.is_none()) {
            self.build(ctx, doc, look, key);
        }
        let Some(current) = &self.current else { return };
        let level = TileId::level_for(pixels_per_unit);
        let area = visible.intersect(current.scene.extent());
        let wanted = if area.width() > 0.0 && area.height() > 0.0 {
            TileId::covering(level, area)
        } else {
            Vec::new()
        };
        let mut jobs = Vec::new();
        // The overview first and alone: the first frame waits for it.
        let first = self.overview.is_none();
        if first {
            jobs.push(Job::Overview);
        }
        let failed = (self.failed.0 == current.generation).then_some(&self.failed.1);
        for id in wanted.iter().filter(|id| !first && failed.is_none_or(|f| !f.contains(id))) {
            match self.tiles.get_mut(id) {
                Some(tile) if tile.generation == current.generation => tile.used = self.frame,
                Some(tile) => {
                    tile.used = self.frame;
                    jobs.push(Job::Tile(*id));
                }
                None => jobs.push(Job::Tile(*id)),
            }
        }
        // A stale overview is redrawn once edits pause: it is under the tiles, and drawing the
        // whole map would hold a core while the next edit's tiles wait. The first, coarse one (of
        // no generation) has no edit to wait for.
        let stale = self.overview.as_ref().map(|(g, _, _)| *g).filter(|g| *g != current.generation);
        if jobs.is_empty()
            && let Some(generation) = stale
        {
            let quiet = current.since.elapsed();
            if quiet >= OVERVIEW_PAUSE || generation == 0 {
                jobs.push(Job::Overview);
            } else {
                ctx.request_repaint_after(OVERVIEW_PAUSE - quiet);
            }
        }
        let changed = self.wanted.0 != level || self.wanted.1 != wanted || !jobs.is_empty();
        if changed {
            let done = &self.done.0;
            let pool = self.pool.get_or_insert_with(|| Pool::start(done));
            pool.set(current.generation, &current.scene, jobs);
        }
        if self.pool.as_ref().is_some_and(Pool::is_working) {
            ctx.request_repaint_after(TILE_POLL);
        }
        self.wanted = (level, wanted);
        self.evict();
        match (self.is_settled(doc.revision), self.waiting) {
            (false, None) => self.waiting = Some(std::time::Instant::now()),
            (true, Some(since)) => {
                log::debug!("the view's tiles are up to date after {:?}", since.elapsed());
                self.waiting = None;
            }
            _ => {}
        }
    }

    /// Starts building the scene of the document's revision, from the last one where only
    /// some nodes changed.
    fn build(&mut self, ctx: &egui::Context, doc: &Document, look: &Look, key: LookKey) {
        let before = self
            .current
            .as_ref()
            .filter(|c| c.look == key)
            .and_then(|c| Some((c.scene.clone(), doc.touched_since(c.revision)?)));
        let (map, revision, look, tx, ctx) =
            (doc.snapshot(), doc.revision, look.clone(), self.done.0.clone(), ctx.clone());
        self.building = true;
        super::background::spawn(super::background::Priority::Drawing, move || {
            let start = std::time::Instant::now();
            let reuse = before.as_ref().map(|(scene, touched)| (&**scene, touched));
            let (scene, changed) = TileScene::build(&map, &look, reuse);
            log::debug!("tile scene of revision {revision} built in {:?}", start.elapsed());
            drop(before);
            let _ = tx.send(Done::Scene { scene: Box::new(scene), changed, revision, look: key });
            ctx.request_repaint();
        });
    }

    fn take(&mut self, ctx: &egui::Context, done: Done) {
        match done {
            Done::Scene { scene, changed, revision, look } => {
                self.building = false;
                log::trace!("scene of revision {revision} arrived: {changed:?}");
                let previous = self.current.as_ref().map_or(0, |c| c.generation);
                let generation = previous + 1;
                // Tiles up to date that the change does not touch stay so; a tile still stale
                // from an earlier change stays stale.
                for (id, tile) in &mut self.tiles {
                    if tile.generation == previous && !changed.touches(id.rect()) {
                        tile.generation = generation;
                    }
                }
                if let Some((g, _, _)) = &mut self.overview
                    && *g == previous
                    && changed == Changed::Places(Vec::new())
                {
                    *g = generation;
                }
                let old = self.current.replace(Current {
                    scene: Arc::from(scene),
                    generation,
                    revision,
                    look,
                    since: std::time::Instant::now(),
                });
                if let Some(old) = old {
                    release(old.scene);
                }
            }
            Done::Tile { tile, generation, image } => {
                let current = self.current.as_ref().map(|c| c.generation);
                if current != Some(generation) {
                    return;
                }
                let Some(image) = image else {
                    if self.failed.0 != generation {
                        self.failed = (generation, std::collections::HashSet::new());
                    }
                    self.failed.1.insert(tile);
                    return;
                };
                let used = self.frame;
                match self.tiles.get_mut(&tile) {
                    Some(t) => {
                        t.texture.set(image, TextureOptions::LINEAR);
                        t.generation = generation;
                    }
                    None => {
                        let name = format!("tile {} {} {}", tile.level, tile.x, tile.y);
                        let texture = ctx.load_texture(name, image, TextureOptions::LINEAR);
                        self.tiles.insert(tile, Tile { texture, generation, used });
                    }
                }
            }
            Done::Overview { generation, area, image } => {
                let Some(image) = image else { return };
                match &mut self.overview {
                    Some((g, a, texture)) => {
                        texture.set(image, TextureOptions::LINEAR);
                        (*g, *a) = (generation, area);
                    }
                    None => {
                        let texture = ctx.load_texture("overview", image, TextureOptions::LINEAR);
                        self.overview = Some((generation, area, texture));
                    }
                }
            }
        }
    }

    /// Drops the least recently shown tiles beyond the cap, never one in view.
    fn evict(&mut self) {
        if self.tiles.len() <= CACHE_CAP {
            return;
        }
        let mut by_age: Vec<(u64, TileId)> =
            self.tiles.iter().filter(|(_, t)| t.used != self.frame).map(|(id, t)| (t.used, *id)).collect();
        by_age.sort_unstable();
        let over = self.tiles.len() - CACHE_CAP;
        for (_, id) in by_age.into_iter().take(over) {
            self.tiles.remove(&id);
        }
    }

    /// Paints the overview and the tiles, clipped to `art` (the artboard on
    /// screen); `to_screen` maps map units to screen points.
    pub fn paint(&self, painter: &egui::Painter, art: Rect, to_screen: impl Fn(Point) -> Pos2) {
        let painter = painter.with_clip_rect(art.intersect(painter.clip_rect()));
        let rect = |r: kurbo::Rect| {
            Rect::from_min_max(to_screen(Point::new(r.x0, r.y0)), to_screen(Point::new(r.x1, r.y1)))
        };
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        if let Some((_, area, texture)) = &self.overview {
            // The overview's pixels cover a whole number of them: its texture reaches a little
            // past the area.
            let size = texture.size_vec2();
            let scale = f64::from(size.x) / area.width().max(f64::MIN_POSITIVE);
            let covered = kurbo::Rect::new(
                area.x0,
                area.y0,
                area.x0 + f64::from(size.x) / scale,
                area.y0 + f64::from(size.y) / scale,
            );
            painter.image(texture.id(), rect(covered), uv, Color32::WHITE);
        }
        // Other levels first, coarse to fine, then this level's tiles on top.
        let level = self.wanted.0;
        let view = painter.clip_rect();
        let mut shown: Vec<(&TileId, &Tile)> =
            self.tiles.iter().filter(|(id, _)| view.intersects(rect(id.rect()))).collect();
        shown.sort_by_key(|(id, _)| (id.level == level, id.level));
        for (id, tile) in shown {
            painter.image(tile.texture.id(), rect(id.rect()), uv, Color32::WHITE);
        }
    }
}
