//! Threads that work for the window in the background run at a lower priority than the
//! window's own thread: on a two-core machine a frame is not kept waiting while they work, and
//! they still have every core the window leaves idle. The canvas's drawing comes before the
//! check and the preview, which can wait (on Linux, where both are in the idle class, the
//! check waits for the canvas's tiles after an edit).

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

/// Linux: the idle scheduling class (`SCHED_IDLE`) for both. Such a thread gives way the
/// moment the window's thread wants a core, where one of a low nice value first ran out its
/// time slice: frames of up to 7 ms at a nice value of 9 and 5 at 19 while tiles were drawn on
/// two cores, 3 now. Drawing still comes first after an edit, when the check waits for the
/// canvas's tiles (`Problems`); while both run they share. Best effort: where the system
/// refuses, the lowest nice value, else the usual priority.
#[cfg(target_os = "linux")]
fn lower_priority(_: Priority) {
    use thread_priority::unix::{
        NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy, thread_native_id,
    };
    let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
    if set_thread_priority_and_policy(thread_native_id(), ThreadPriority::Min, idle).is_err() {
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
    /// The calling thread's scheduling policy (Linux's `/proc/thread-self/stat`, field 41).
    #[cfg(target_os = "linux")]
    fn policy() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
        // The fields after the command name, which is in parentheses and may hold spaces.
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        after.split_whitespace().nth(38).unwrap().parse().unwrap()
    }

    /// `SCHED_IDLE`.
    #[cfg(target_os = "linux")]
    const IDLE: i64 = 5;

    #[cfg(target_os = "linux")]
    #[test]
    fn drawing_and_checking_give_way_to_the_window() {
        let drawing = super::spawn(super::Priority::Drawing, policy).join().unwrap();
        let checking = super::spawn(super::Priority::Checking, policy).join().unwrap();
        assert_eq!((drawing, checking), (IDLE, IDLE), "the window's thread has policy {}", policy());
        assert_ne!(policy(), IDLE);
    }
}
