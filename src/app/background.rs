//! Threads that work for the window in the background run at a lower priority than the
//! window's own thread: on a two-core machine a frame is not kept waiting while they work, and
//! they still have every core the window leaves idle. The canvas's drawing comes before the
//! check and the preview, which can wait.

use thread_priority::ThreadPriority;

/// How soon the author sees what a background thread makes.
#[derive(Clone, Copy)]
pub enum Priority {
    /// Tiles and scenes of the canvas.
    Drawing,
    /// The Problems check and the preview (after an edit the check also waits for the
    /// canvas's tiles).
    Checking,
}

/// Starts `work` on a new thread of `priority`.
pub fn spawn<T: Send + 'static>(
    priority: Priority,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(move || {
        lower_priority(priority);
        work()
    })
}

/// Linux: drawing at the lowest nice value (19), where it runs a time slice in about every
/// seventy the window's thread wants (a nice value of 9 was one in twelve: frames of 7 ms
/// instead of 2 while tiles were drawn on two cores); checking in the idle scheduling class
/// (`SCHED_IDLE`), below it. Best effort: where the system refuses, the lowest nice value,
/// else the usual priority.
#[cfg(target_os = "linux")]
fn lower_priority(priority: Priority) {
    use thread_priority::unix::{
        NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy, thread_native_id,
    };
    let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
    if matches!(priority, Priority::Drawing)
        || set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, idle).is_err()
    {
        let _ = thread_priority::set_current_thread_priority(ThreadPriority::Min);
    }
}

/// Elsewhere: drawing a quarter of the way up the crate's scale of 0 to 99, checking at its
/// lowest. Best effort: where the system refuses, the thread keeps the usual priority.
#[cfg(not(target_os = "linux"))]
fn lower_priority(priority: Priority) {
    let level = match priority {
        Priority::Drawing => thread_priority::ThreadPriorityValue::try_from(25)
            .map_or(ThreadPriority::Min, ThreadPriority::Crossplatform),
        Priority::Checking => ThreadPriority::Min,
    };
    let _ = thread_priority::set_current_thread_priority(level);
}

#[cfg(test)]
mod tests {
    /// The calling thread's nice value and scheduling policy (Linux's `/proc/thread-self/stat`,
    /// fields 19 and 41).
    #[cfg(target_os = "linux")]
    fn nice_and_policy() -> (i64, i64) {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let after: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split_whitespace().collect();
        (after[16].parse().unwrap(), after[38].parse().unwrap())
    }

    /// `SCHED_OTHER`.
    #[cfg(target_os = "linux")]
    const OTHER: i64 = 0;
    /// `SCHED_IDLE`.
    #[cfg(target_os = "linux")]
    const IDLE: i64 = 5;

    #[cfg(target_os = "linux")]
    #[test]
    fn drawing_runs_below_the_window_and_checking_below_drawing() {
        let drawing = super::spawn(super::Priority::Drawing, nice_and_policy).join().unwrap();
        let checking = super::spawn(super::Priority::Checking, nice_and_policy).join().unwrap();
        let window = nice_and_policy();
        assert_eq!(window.1, OTHER);
        assert_eq!(drawing, (19, OTHER), "the window's thread: {window:?}");
        assert_eq!(checking.1, IDLE);
    }
}
