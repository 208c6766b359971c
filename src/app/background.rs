//! Threads that work for the window in the background run at a lower priority than the
//! window's own thread: on a two-core machine a frame is not kept waiting while they work, and
//! they still have every core the window leaves idle. The canvas's drawing comes before the
//! check and the preview, which can wait.

use thread_priority::{ThreadPriority, ThreadPriorityValue};

/// How soon the author sees what a background thread makes.
#[derive(Clone, Copy)]
pub enum Priority {
    /// Tiles and scenes of the canvas: under the window, above everything else (a nice value
    /// of 9 on Linux).
    Drawing,
    /// The Problems check and the preview: the lowest (a nice value of 19).
    Checking,
}

/// Starts `work` on a new thread of `priority`.
pub fn spawn<T: Send + 'static>(
    priority: Priority,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(move || {
        let level = match priority {
            // A quarter of the way up the crate's scale of 0 to 99.
            Priority::Drawing => {
                ThreadPriorityValue::try_from(25).map_or(ThreadPriority::Min, ThreadPriority::Crossplatform)
            }
            Priority::Checking => ThreadPriority::Min,
        };
        // Best effort: where the system refuses, the thread keeps the usual priority.
        let _ = thread_priority::set_current_thread_priority(level);
        work()
    })
}

#[cfg(test)]
mod tests {
    /// The calling thread's nice value (Linux's `/proc/thread-self/stat`, field 19).
    #[cfg(target_os = "linux")]
    fn nice() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        after.split_whitespace().nth(16).unwrap().parse().unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn drawing_runs_below_the_window_and_checking_below_drawing() {
        let drawing = super::spawn(super::Priority::Drawing, nice).join().unwrap();
        let checking = super::spawn(super::Priority::Checking, nice).join().unwrap();
        assert!(drawing > nice(), "a nice value of {drawing} against {}", nice());
        assert!(checking > drawing, "a nice value of {checking} against {drawing}");
    }
}
