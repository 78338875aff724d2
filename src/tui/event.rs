//! Everything the main loop reacts to, and the input thread that turns terminal input into it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, KeyEventKind};

use super::model::{ReportData, StudentDetail};
use super::roster_index::RosterIndex;

pub enum Event {
    /// A key press (releases and repeats filtered out), mouse event or resize.
    Input(TermEvent),
    /// The terminal went away (read error, e.g. the SSH connection dropped).
    InputClosed,
    Loaded(Loaded),
}

/// Reads terminal input until `stop` is set or reading fails. Polls so that it notices
/// `stop` within a fraction of a second.
/// True when standard input is a terminal whose other end has hung up.
fn terminal_hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout; poll only writes `revents`.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

/// A reply from the loader thread.
pub enum Loaded {
    /// How far a load is: `done` of `total` students evaluated (0 before the first count).
    Progress {
        done: usize,
        total: usize,
    },
    Data(Box<RosterIndex>),
    Student {
        id: String,
        detail: Option<Box<StudentDetail>>,
    },
    /// The answer to `Request::Write { id, .. }`: the new record's id, or why it failed.
    Written {
        id: u64,
        result: Result<i64, String>,
    },
    /// The answer to `Request::Report`.
    Report(Result<Option<Box<ReportData>>, String>),
    Error(String),
    /// A write is waiting for another process's lock (an import); shown on the status line.
    Waiting,
}

pub fn spawn_input(tx: Sender<Event>, stop: Arc<AtomicBool>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("yujing-input".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // A hung-up terminal (a dropped SSH connection) reads as endless EOF, which
                // crossterm may spin on: notice the hang-up first and leave.
                if terminal_hung_up() {
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
                let ready = match crossterm::event::poll(Duration::from_millis(200)) {
                    Ok(r) => r,
                    Err(_) => {
                        let _ = tx.send(Event::InputClosed);
                        return;
                    }
                };
                if !ready {
                    continue;
                }
                let event = match crossterm::event::read() {
                    Ok(TermEvent::Key(k)) if k.kind != KeyEventKind::Press => continue,
                    Ok(e) => Event::Input(e),
                    Err(_) => Event::InputClosed,
                };
                let closed = matches!(event, Event::InputClosed);
                if tx.send(event).is_err() || closed {
                    return;
                }
            }
        })
}
