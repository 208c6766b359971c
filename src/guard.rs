//! Panic containment at the program's boundaries: a panic in a command, a background render or
//! an import (ours or a dependency's) becomes a one-line error instead of ending the program.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

/// The first panic message since the last one was reported (threads a scope spawned panic with
/// their own message; the scope itself only says that one of them did).
static FIRST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `work`; a panic inside it (or inside threads it scopes) is returned as a one-line
/// error naming `what` was being done.
pub fn caught<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let recorded = FIRST_PANIC.lock().ok().and_then(|mut first| first.take());
        let detail = recorded
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        crate::oneline::one_line(&format!("internal error while {what}: {detail}"))
    })
}

/// Replaces the default panic message (several lines on standard error) with one line in the
/// log at `level`: every boundary that catches a panic also reports it, in one line.
pub fn quiet_panics(level: log::Level) {
    std::panic::set_hook(Box::new(move |info| {
        let message = crate::oneline::one_line(&info.to_string());
        log::log!(level, "{message}");
        if let Ok(mut first) = FIRST_PANIC.lock()
            && first.is_none()
        {
            *first = Some(message);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(caught("adding", || 1 + 1), Ok(2));
        let err = caught("rendering", || -> u8 { panic!("boom\nsecond line") }).unwrap_err();
        assert_eq!(err, "internal error while rendering: boom second line");
    }

    #[test]
    fn a_panic_in_a_scoped_thread_is_caught_too() {
        let err = caught("rendering in bands", || {
            std::thread::scope(|s| {
                s.spawn(|| panic!("band failed"));
            });
        })
        .unwrap_err();
        assert!(err.starts_with("internal error while rendering in bands"), "{err}");
    }
}
