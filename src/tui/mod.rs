//! The terminal UI. `run` owns the terminal and the event loop; everything else is plain
//! state that tests drive without a terminal:
//!
//! - `event`: the input thread, and every `Event` the loop reacts to (keys, the loader's
//!   `Loaded` replies). `loader`: the thread that owns the [`DataSource`], answers requests and
//!   polls its version.
//! - `model`: the view model and the [`DataSource`] trait; `db_source` fills it from SQLite
//!   through `crate::app`; `fake_source` (feature `test-support`) from memory, judging
//!   follow-ups with the same functions. `roster_index`: a snapshot sorted and indexed for
//!   search, built on the loader thread.
//! - `keymap` turns keys into [`Action`]s per screen; `App::update` is the only place state
//!   changes; `App::draw` reads state and does no I/O.
//! - `app` routes between screens (`screens/*`, `forms/*`), each owning its state, keys and
//!   drawing; both answer with an `outcome::Outcome`, so neither imports the other.
//! - `scroll`: the backend that has the terminal scroll rows instead of redrawing them.
//! - `theme`, `i18n`, `labels` say how things look and read; `text` (crate root) measures.
//!
//! Imports go one way: screens and forms → outcome, labels, model; loader → event → model.

pub mod action;
pub mod app;
pub mod db_source;
pub mod event;
#[cfg(any(test, feature = "test-support"))]
pub mod fake_source;
pub mod forms;
pub mod i18n;
pub mod keymap;
pub mod labels;
pub mod loader;
pub mod model;
pub mod outcome;
pub mod roster_index;
pub mod screens;
pub mod scroll;
pub mod search;
pub mod theme;
pub mod widgets;

use std::io::{Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::layout::Size;
use scroll::ScrollingBackend;

pub use action::Action;
pub use app::App;
#[cfg(any(test, feature = "test-support"))]
pub use fake_source::FakeSource;
pub use i18n::Lang;
pub use model::{DataSource, Snapshot, StudentDetail, WriteOp};
pub use theme::{Theme, ThemeError};

/// How the TUI looks and behaves; the caller fills it from flags, config and environment.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    pub lang: Lang,
    pub theme: Theme,
    /// How often the data source's version is polled for outside changes.
    pub poll_interval: Duration,
    /// Ask for clicks and the wheel (`mouse = true` in config.toml). Off by default: a
    /// captured mouse stops people selecting text to copy.
    pub mouse: bool,
    /// A fixed "now" for new contacts (tests, demos); None: the clock, on the data's today.
    pub now: Option<chrono::NaiveDateTime>,
}

impl TuiOptions {
    pub fn new(lang: Lang, theme: Theme) -> TuiOptions {
        TuiOptions {
            lang,
            theme,
            poll_interval: Duration::from_secs(1),
            mouse: false,
            now: None,
        }
    }
}

impl Default for TuiOptions {
    fn default() -> TuiOptions {
        TuiOptions::new(Lang::from_env(), Theme::default())
    }
}

/// Set by SIGHUP/SIGTERM or a panic on any thread; the loop leaves and restores the terminal.
static STOP: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));

fn stopping() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// The first SIGHUP or SIGTERM asks the loop to leave cleanly; a second one means it did not,
/// so the process ends at once (signal-hook's handlers do only async-signal-safe work).
/// SQLite's journal keeps the database consistent either way.
fn install_signal_handlers() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    for sig in [SIGHUP, SIGTERM] {
        // Registered first, so it sees the flag as the previous signal left it.
        signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, STOP.clone())?;
        signal_hook::flag::register(sig, STOP.clone())?;
    }
    Ok(())
}

/// Clicks and the wheel only (X10/normal tracking, ?1000h) in SGR encoding (?1006h).
/// crossterm's `EnableMouseCapture` also turns on all-motion tracking (?1003h), which sends
/// bytes on every mouse move: over SSH that is a stream nobody asked for.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Undoes what `enter` turned on beyond ratatui's own setup (paste, mouse).
fn release(mouse: bool) {
    let mut out = stdout();
    let _ = execute!(out, DisableBracketedPaste);
    if mouse {
        let _ = out.write_all(MOUSE_OFF.as_bytes());
        let _ = out.flush();
    }
}

/// Owns the terminal: raw mode, alternate screen, bracketed paste and (when asked) mouse
/// reporting on; all undone on drop, and by the panic hook (ratatui's restores the screen,
/// ours releases paste and mouse and stops the loop when another thread panics).
struct TerminalGuard {
    terminal: Terminal<ScrollingBackend<Stdout>>,
    mouse: bool,
}

impl TerminalGuard {
    fn enter(mouse: bool) -> std::io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            STOP.store(true, Ordering::SeqCst);
            release(mouse);
            ratatui::restore();
            previous(info);
        }));
        crossterm::terminal::enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen)?;
        let (width, height) = crossterm::terminal::size()?;
        // From here on a failure still restores the terminal: the guard's drop does it.
        let guard = TerminalGuard {
            terminal: Terminal::new(ScrollingBackend::new(stdout(), Size { width, height }))?,
            mouse,
        };
        // Pasted text arrives as one event, so a newline in it cannot act as Enter.
        execute!(stdout(), EnableBracketedPaste)?;
        if mouse {
            let mut out = stdout();
            out.write_all(MOUSE_ON.as_bytes())?;
            out.flush()?;
        }
        Ok(guard)
    }

    /// One frame, sent as a synchronized update so slow links never show half of it.
    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        let _frame = tracing::trace_span!("frame").entered();
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.terminal.draw(|f| app.draw(f))?;
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        std::io::Write::flush(self.terminal.backend_mut())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        release(self.mouse);
        ratatui::restore();
    }
}

/// Runs the TUI until the user quits, the terminal goes away (SIGHUP) or SIGTERM arrives.
/// Data is read from `source` on a loader thread; the first frame shows at once.
pub fn run(source: Box<dyn DataSource + Send>, opts: TuiOptions) -> anyhow::Result<()> {
    install_signal_handlers()?;
    if opts.theme.is_colourless() {
        // With NO_COLOR crossterm would turn every style into a reset, wiping bold and
        // reverse, which carry the mono theme's meaning.
        crossterm::style::force_color_output(true);
    }
    let poll = opts.poll_interval;
    let mut guard = TerminalGuard::enter(opts.mouse)?;
    let size = guard.terminal.size()?;
    let mut app = App::loading(opts);
    app.resize(size.width, size.height);

    let (events_tx, events) = mpsc::channel();
    let (requests, requests_rx) = mpsc::channel();
    let stop_input = Arc::new(AtomicBool::new(false));
    let waiting = std::sync::Mutex::new(events_tx.clone());
    crate::db::lock::set_wait_notice(Some(Box::new(move || {
        if let Ok(tx) = waiting.lock() {
            let _ = tx.send(event::Event::Loaded(event::Loaded::Waiting));
        }
    })));
    let loader = loader::spawn(source, poll, requests_rx, events_tx.clone())?;
    let input = event::spawn_input(events_tx, stop_input.clone())?;
    let _ = requests.send(loader::Request::Snapshot);

    let result = event_loop(&mut guard, &mut app, &events, &requests);

    stop_input.store(true, Ordering::SeqCst);
    let _ = requests.send(loader::Request::Stop);
    drop(guard);
    // Neither thread is joined: the input thread notices `stop` within one poll, but a dead
    // terminal can hold it inside a read, and the loader may be inside a slow query. The
    // process ends with `main` either way.
    drop(input);
    drop(loader);
    result
}

fn event_loop(
    guard: &mut TerminalGuard,
    app: &mut App,
    events: &mpsc::Receiver<event::Event>,
    requests: &mpsc::Sender<loader::Request>,
) -> anyhow::Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            guard.draw(app)?;
            dirty = false;
        }
        if app.should_quit() || stopping() {
            return Ok(());
        }
        match events.recv_timeout(Duration::from_millis(250)) {
            Ok(ev) => {
                dirty |= app.handle_event(ev);
                // Apply whatever else is queued before drawing: one frame for a burst.
                while let Ok(ev) = events.try_recv() {
                    dirty |= app.handle_event(ev);
                }
                for r in app.take_requests() {
                    let _ = requests.send(r);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}
