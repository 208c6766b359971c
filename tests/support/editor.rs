//! Driving the real editor headless with egui_kittest: a harness over temporary directories,
//! file dialogs answered from a script, and waits with a watchdog.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use synmap::app::{Answer, AppEnv, EditorApp, FileDialogs, Purpose};

/// File dialogs that answer from a queue instead of asking.
#[derive(Clone, Default)]
pub struct Scripted(pub Arc<Mutex<VecDeque<Answer>>>);

impl Scripted {
    /// Queues the answer to the next dialog: a path, or `None` for a cancel.
    pub fn answer(&self, path: Option<PathBuf>) {
        self.0.lock().unwrap().push_back(path.map_or(Answer::Cancelled, Answer::Chosen));
    }

    /// The next dialog cannot be shown (no desktop portal).
    pub fn unavailable(&self) {
        self.0.lock().unwrap().push_back(Answer::Unavailable);
    }
}

impl FileDialogs for Scripted {
    fn ask(&self, _purpose: Purpose, _file_name: &str) -> Receiver<Answer> {
        let (tx, rx) = channel();
        let answer = self.0.lock().unwrap().pop_front().expect("a dialog the test did not expect");
        tx.send(answer).unwrap();
        rx
    }
}

/// The editor in `dir` (settings and data there) with scripted dialogs, 1600×1000.
pub fn editor(file: Option<PathBuf>, dir: &Path, dialogs: Scripted) -> Harness<'static, EditorApp> {
    build(Harness::builder(), file, dir, dialogs)
}

/// Like [`editor`], with kittest's wgpu renderer so frames can be rendered to images (on the
/// CPU through Mesa's llvmpipe when there is no GPU).
pub fn rendering_editor(file: Option<PathBuf>, dir: &Path, dialogs: Scripted) -> Harness<'static, EditorApp> {
    build(Harness::builder().wgpu(), file, dir, dialogs)
}

fn build(
    builder: egui_kittest::HarnessBuilder<EditorApp>,
    file: Option<PathBuf>,
    dir: &Path,
    dialogs: Scripted,
) -> Harness<'static, EditorApp> {
    let env = AppEnv {
        settings_path: Some(dir.join("settings.toml")),
        data_dir: dir.join("data"),
        dialogs: Box::new(dialogs),
    };
    builder
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| EditorApp::with_env(&cc.egui_ctx, file, env))
}

/// Steps frames until `label` appears (background work), with a watchdog.
pub fn wait_for(h: &mut Harness<'_, EditorApp>, label: &str) {
    wait_until(h, label, |h| h.query_by_label_contains(label).is_some());
}

/// Steps frames until the map given at start is loaded.
pub fn wait_loaded(h: &mut Harness<'_, EditorApp>) {
    wait_until(h, "the map loaded", |h| h.state().area_count().is_some());
}

/// Steps frames until no load or render is in progress, and stays so for a few frames.
pub fn wait_idle(h: &mut Harness<'_, EditorApp>) {
    for _ in 0..3 {
        wait_until(h, "the renders", |h| h.state().is_idle());
        h.run_steps(2);
    }
    assert!(h.state().is_idle(), "the renders settled");
}

/// Steps frames until `done` holds, with a watchdog naming `what`.
pub fn wait_until(
    h: &mut Harness<'_, EditorApp>,
    what: &str,
    done: impl Fn(&Harness<'_, EditorApp>) -> bool,
) {
    let start = Instant::now();
    while !done(h) {
        if start.elapsed() > Duration::from_secs(30) {
            // What the window says instead, to see why.
            let shown: Vec<String> = h
                .query_all_by_label_contains("")
                .filter_map(|n| {
                    format!("{n:?}").split("label: \"").nth(1)?.split('"').next().map(str::to_owned)
                })
                .collect();
            panic!("{what:?} never happened; the window shows: {}", shown.join(" | "));
        }
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
}

/// The screen position of a document point on the canvas as first fitted (the map centred at
/// 95 % of the canvas).
pub fn screen_point(h: &Harness<'_, EditorApp>, view_box: [f64; 4], p: (f64, f64)) -> egui::Pos2 {
    // The map is fitted into the canvas less its rulers (30 points on the left, 16 on top).
    let rulers = egui::vec2(30.0, 16.0);
    let canvas = h.get_by_label("Map canvas").rect();
    let free = egui::Rect::from_min_max(canvas.min + rulers, canvas.max);
    let [x, y, w, hgt] = view_box.map(|v| v as f32);
    let zoom = (free.width() / w).min(free.height() / hgt) * 0.95;
    let offset = rulers + (free.size() - egui::vec2(w, hgt) * zoom) / 2.0 - egui::vec2(x, y) * zoom;
    canvas.min + offset + egui::vec2(p.0 as f32, p.1 as f32) * zoom
}

/// A click at a screen position.
pub fn click_at(h: &mut Harness<'_, EditorApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.step();
    h.drag_at(pos);
    h.step();
    h.drop_at(pos);
    h.run_steps(3);
}

/// A double click at a screen position (both clicks in one frame: the harness steps a quarter
/// of a second per event, longer than a double click may take).
pub fn double_click_at(h: &mut Harness<'_, EditorApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.step();
    for pressed in [true, false, true, false] {
        let (button, modifiers) = (egui::PointerButton::Primary, egui::Modifiers::NONE);
        h.input_mut().events.push(egui::Event::PointerButton { pos, button, pressed, modifiers });
    }
    h.run_steps(3);
}

/// Runs `f` (clicks, drags) with modifier keys held.
pub fn with_modifiers(
    h: &mut Harness<'_, EditorApp>,
    modifiers: egui::Modifiers,
    f: impl FnOnce(&mut Harness<'_, EditorApp>),
) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    f(h);
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run_steps(1);
}

/// Selects the area under `pos` itself, even inside a group (a Ctrl-click on the canvas).
pub fn select_at(h: &mut Harness<'_, EditorApp>, pos: egui::Pos2) {
    with_modifiers(h, egui::Modifiers::COMMAND, |h| click_at(h, pos));
}

/// A drag from `a` to `b` in a few moves.
pub fn drag(h: &mut Harness<'_, EditorApp>, a: egui::Pos2, b: egui::Pos2) {
    h.hover_at(a);
    h.step();
    h.drag_at(a);
    h.step();
    for i in 1..=5 {
        h.hover_at(a + (b - a) * (i as f32 / 5.0));
        h.step();
    }
    h.drop_at(b);
    h.run_steps(3);
}

/// The sample map's view box, for turning map points into screen points.
pub const SAMPLE_VIEW_BOX: [f64; 4] = [0.0, 0.0, 1200.0, 800.0];

/// A copy of the sample map in `dir`.
pub fn sample_copy(dir: &Path) -> PathBuf {
    let path = dir.join("floor.svg");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/office-floor.svg"), &path)
        .unwrap();
    path
}

/// The editor on a copy of the sample in `dir`, loaded.
pub fn open_sample_copy(dir: &Path) -> (PathBuf, Harness<'static, EditorApp>) {
    let file = sample_copy(dir);
    let mut h = editor(Some(file.clone()), dir, Scripted::default());
    wait_loaded(&mut h);
    (file, h)
}

/// Saves with Ctrl+S and reads the saved file back with the engine.
pub fn save_and_read(h: &mut Harness<'_, EditorApp>, file: &Path) -> synmap::model::Map {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    wait_until(h, "the save", |h| !h.state().is_dirty());
    synmap::svg::import_file(file).unwrap().map
}
