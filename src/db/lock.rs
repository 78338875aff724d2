//! Waiting for the write lock. SQLite lets one writer in at a time; a colleague's import of
//! the largest supported file holds the lock for tens of seconds, so every connection waits
//! (up to [`wait_limit`]) instead of failing with "database is locked", and says once per wait
//! that it is waiting, through a notice the front end installs (stderr for the CLI, the status
//! line for the TUI).

use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Environment variable overriding the wait, in seconds.
pub const WAIT_ENV: &str = "YUJING_LOCK_WAIT";

/// How long a writer waits by default. Measured with `cargo bench --bench locking` (a
/// 60,000-student grades import, 2,423,963 rows, while 8 processes log contacts): in a debug
/// build on the project's 2-core machine, shared with other builds (load average 11-15), the
/// import took 238 s and the longest `log` call waited 233 s; in a release build 11.4 s and
/// 10.3 s (257 calls meanwhile). No call failed in either. Ten minutes leaves
/// room for a busy server and a larger file without letting a stuck process hang colleagues
/// for ever; `YUJING_LOCK_WAIT` changes it.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// 0 means "not set yet": read the environment on first use.
static WAIT_MS: AtomicU64 = AtomicU64::new(0);

type Notice = Box<dyn Fn() + Send + Sync>;
static NOTICE: Mutex<Option<Notice>> = Mutex::new(None);

thread_local! {
    /// When the current wait began (busy handler calls of one lock attempt share it).
    static WAIT_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// How long a connection waits for a lock before giving up.
pub fn wait_limit() -> Duration {
    let ms = WAIT_MS.load(Ordering::Relaxed);
    if ms != 0 {
        return Duration::from_millis(ms);
    }
    let limit = std::env::var(WAIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(DEFAULT_WAIT, Duration::from_secs_f64);
    set_wait_limit(limit);
    limit
}

/// Overrides the wait (tests, and `YUJING_LOCK_WAIT`).
pub fn set_wait_limit(limit: Duration) {
    let ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX).max(1);
    WAIT_MS.store(ms, Ordering::Relaxed);
}

/// Installs what to do when a wait begins (replacing the previous notice); `None` stays quiet.
pub fn set_wait_notice(notice: Option<Notice>) {
    if let Ok(mut n) = NOTICE.lock() {
        *n = notice;
    }
}

fn notify() {
    if let Ok(n) = NOTICE.lock()
        && let Some(f) = n.as_ref()
    {
        f();
    }
}

/// SQLite's busy handler: `count` is 0 on the first call of each lock attempt. Sleeps a little
/// longer each time (up to 100 ms, so the lock is taken soon after it is freed) until the
/// wait limit has passed.
pub(super) fn busy(count: i32) -> bool {
    let now = Instant::now();
    let started = WAIT_STARTED.with(|s| {
        if count == 0 || s.get().is_none() {
            s.set(Some(now));
        }
        s.get().unwrap_or(now)
    });
    if count == 0 {
        notify();
    }
    if !keep_waiting(now.duration_since(started), wait_limit()) {
        return false;
    }
    std::thread::sleep(pause(count));
    true
}

/// Whether a writer that has waited `waited` goes on waiting.
fn keep_waiting(waited: Duration, limit: Duration) -> bool {
    waited < limit
}

/// The sleep before retry `count`: doubling from 2 ms, never over 100 ms.
fn pause(count: i32) -> Duration {
    let shift = u32::try_from(count.clamp(0, 5)).unwrap_or(5);
    Duration::from_millis((2u64 << shift).min(100))
}

/// Whether `e` is SQLite giving up on a lock (busy or locked).
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writer_waits_until_the_limit_backing_off_to_a_tenth_of_a_second() {
        let limit = Duration::from_secs(600);
        assert!(keep_waiting(Duration::ZERO, limit));
        assert!(keep_waiting(Duration::from_millis(599_999), limit));
        assert!(!keep_waiting(limit, limit));
        let pauses: Vec<u128> = (0..8).map(|c| pause(c).as_millis()).collect();
        assert_eq!(pauses, [2, 4, 8, 16, 32, 64, 64, 64]);
        assert!(pauses.iter().all(|p| *p <= 100));
    }

    #[test]
    fn the_handler_retries_then_gives_up() {
        set_wait_limit(Duration::from_millis(50));
        let mut count = 0;
        while busy(count) {
            count += 1;
        }
        assert!(count > 1, "retried {count} times");
        set_wait_limit(DEFAULT_WAIT);
    }
}
