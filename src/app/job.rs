//! A background job for the UI: runs a closure on its own thread with progress and
//! cancellation, and hands its result back to be polled each frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::storage::transport::{Cancel, Transfer};

/// A job in flight whose result is a `T`.
pub struct Job<T> {
    what: String,
    rx: Receiver<T>,
    cancel: Cancel,
    progress: Arc<(AtomicU64, AtomicU64)>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; it gets a [`Transfer`] wired to this job's progress bar
    /// and Cancel button. `ctx` is asked to repaint when the result is ready. A panic inside
    /// `work` (ours or a dependency's) ends the job with `failed` of a one-line message, so the
    /// panel never waits forever.
    pub fn spawn(
        ctx: &egui::Context,
        what: &str,
        work: impl FnOnce(&Transfer) -> T + Send + 'static,
        failed: fn(String) -> T,
    ) -> Job<T> {
        let (tx, rx) = channel();
        let cancel = Cancel::default();
        let progress = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let p = progress.clone();
        let transfer = Transfer {
            progress: Some(Arc::new(move |done, total| {
                p.0.store(done, Ordering::Relaxed);
                p.1.store(total, Ordering::Relaxed);
            })),
            cancel: cancel.clone(),
        };
        let ctx = ctx.clone();
        let doing = what.trim_end_matches('…').to_lowercase();
        std::thread::spawn(move || {
            let result = crate::guard::caught(&doing, || work(&transfer)).unwrap_or_else(failed);
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        Job { what: what.to_string(), rx, cancel, progress }
    }

    /// The result, once the job has finished.
    pub fn poll(&self) -> Option<T> {
        self.rx.try_recv().ok()
    }

    /// A progress bar with the job's name and a Cancel button.
    pub fn ui(&self, ui: &mut egui::Ui) {
        let done = self.progress.0.load(Ordering::Relaxed);
        let total = self.progress.1.load(Ordering::Relaxed);
        ui.horizontal(|ui| {
            let fraction = if total > 0 { done as f32 / total as f32 } else { 0.0 };
            ui.add(egui::ProgressBar::new(fraction).text(self.what.clone()).desired_width(200.0));
            if ui.button("Cancel").clicked() {
                self.cancel.cancel();
            }
        });
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
    }
}

/// What the last action came to, as the status line and the panels say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// It worked; a plain message.
    Done(String),
    /// It failed; shown in the error colour.
    Failed(String),
}

/// Shows the outcome of the last job: a plain message, or an error in the error colour.
pub fn status_ui(ui: &mut egui::Ui, message: &Option<Status>) {
    match message {
        Some(Status::Done(m)) => {
            ui.label(m);
        }
        Some(Status::Failed(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_ends_with_its_failure() {
        let ctx = egui::Context::default();
        let job = Job::spawn(&ctx, "Uploading…", |_| -> Result<u8, String> { panic!("boom") }, Err);
        let start = std::time::Instant::now();
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "the job never ended");
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert_eq!(result, Err("internal error while uploading: boom".to_owned()));
    }
}
