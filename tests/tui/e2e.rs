//! The real binary in a real pseudo-terminal: keys typed like a person, the screen read back
//! through a terminal emulator (vt100). Checks what a counsellor sees, that the program exits
//! cleanly, and that the terminal is handed back as it was found (main screen, cursor shown).
//!
//! The fixture database is built by the binary itself from `fixtures/samples/`: 40 students,
//! policy hljjz, and a weekly talk for 2022000006 赵一 (red warning) that nobody has held,
//! so on 2025-06-20 it is 12 days overdue.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_yujing");
const TODAY: &str = "2025-06-20";
const STUDENT: &str = "2022000006";
const ROWS: u16 = 24;
const COLS: u16 = 80;
/// How long to wait for something to appear: generous, the machine may be busy.
const PATIENCE: Duration = Duration::from_secs(10);
/// A person's pause between keys; also keeps Esc from merging with the next key into Alt.
const KEY_GAP: Duration = Duration::from_millis(100);

const ESC: &str = "\x1b";
const ENTER: &str = "\r";
const TAB: &str = "\t";
const CTRL_S: &str = "\x13";

fn yujing(db: &Path, lang: &str) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--db")
        .arg(db)
        .arg("--today")
        .arg(TODAY)
        .env("LANG", lang)
        .env("LC_ALL", lang)
        .env_remove("YUJING_DB")
        .env_remove("YUJING_TODAY");
    c
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run yujing");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The sample cohort with a policy and one overdue weekly talk.
fn fixture(dir: &Path) -> PathBuf {
    let db = dir.join("yujing.db");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/samples");
    let lang = "C.UTF-8";
    run_ok(
        yujing(&db, lang)
            .args(["import", "students"])
            .arg(samples.join("students.csv")),
    );
    run_ok(
        yujing(&db, lang)
            .args(["import", "grades"])
            .arg(samples.join("grades.csv")),
    );
    run_ok(yujing(&db, lang).args(["policy", "use", "hljjz"]));
    run_ok(yujing(&db, lang).args([
        "schedule",
        "add",
        STUDENT,
        "--kind",
        "talk",
        "--every",
        "weekly",
        "--from",
        "2025-06-02",
    ]));
    db
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a non-empty terminal")
}

/// The TUI running in a pseudo-terminal.
struct Tui {
    parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    /// Everything the program wrote, to search for messages that scrolled away.
    raw: Vec<u8>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn start(db: &Path, lang: &str) -> Tui {
        Tui::start_with(db, lang, &[])
    }

    /// [`Tui::start`] with more environment variables.
    fn start_with(db: &Path, lang: &str, env: &[(&str, &Path)]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--db"]);
        cmd.arg(db);
        cmd.args(["--today", TODAY]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", lang);
        cmd.env("LC_ALL", lang);
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("YUJING_DB");
        cmd.env_remove("YUJING_TODAY");
        cmd.env_remove("YUJING_LOG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn yujing");
        // Only the child holds the slave now: reading the master ends when the child does.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0),
            output,
            raw: Vec::new(),
            writer,
            child,
            _master: pair.master,
        }
    }

    /// Feeds what arrived within `wait` to the emulator; false once the program's side closed.
    fn pump(&mut self, wait: Duration) -> bool {
        match self.output.recv_timeout(wait) {
            Ok(bytes) => self.feed(&bytes),
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
        while let Ok(bytes) = self.output.try_recv() {
            self.feed(&bytes);
        }
        true
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.raw.extend_from_slice(bytes);
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen satisfies `ok`; panics with the screen after `PATIENCE`.
    fn wait_for(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline && self.pump(Duration::from_millis(50)),
                "waited for {what}; the screen shows:\n{screen}"
            );
        }
    }

    fn wait_text(&mut self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// The screen row holding `needle`.
    fn row_with(&self, needle: &str) -> Option<String> {
        self.parser
            .screen()
            .rows(0, COLS)
            .find(|r| r.contains(needle))
    }

    /// Types each key (a char, or an escape sequence given as one &str) with a pause.
    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.writer.write_all(k.as_bytes()).expect("type");
            self.writer.flush().expect("flush");
            std::thread::sleep(KEY_GAP);
            self.pump(Duration::ZERO);
        }
    }

    fn type_text(&mut self, s: &str) {
        let keys: Vec<String> = s.chars().map(String::from).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.keys(&keys);
    }

    /// Waits for the program to exit and for its last output; returns whether it succeeded.
    fn finish(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                break s;
            }
            assert!(
                Instant::now() < deadline,
                "yujing did not exit; the screen shows:\n{}",
                self.screen()
            );
            self.pump(Duration::from_millis(50));
        };
        // Read to the end: the terminal restore is among the last bytes.
        let deadline = Instant::now() + PATIENCE;
        while self.pump(Duration::from_millis(50)) && Instant::now() < deadline {}
        status.success()
    }

    /// The terminal is as the program found it: main screen, cursor visible.
    fn assert_restored(&self) {
        let screen = self.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "cursor still hidden");
        let all = String::from_utf8_lossy(&self.raw);
        assert!(!all.contains("panicked"), "a panic was printed:\n{all}");
    }
}

/// The TUI on the fixture, once `title` shows, with 赵一 searched for by pinyin initials.
fn searching(db: &Path, lang: &str, title: &str) -> Tui {
    let mut tui = Tui::start(db, lang);
    tui.wait_text(title);
    tui.keys(&["/"]);
    tui.type_text("zy");
    tui
}

#[test]
fn search_by_pinyin_open_the_student_and_come_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let mut tui = searching(&db, "C.UTF-8", "Heilongjiang");
    tui.wait_for("only 赵一 listed", |s| {
        s.contains(STUDENT) && !s.contains("2022000007")
    });
    tui.keys(&[ENTER, ENTER]);
    tui.wait_text("Failed courses");
    // Their page: the failed courses, e.g. 微生物学 (failed in 2023-2024-1), one line down.
    tui.keys(&["j"]);
    tui.wait_text("微生物学");
    tui.wait_text("Failed courses");
    tui.keys(&[ESC]);
    tui.wait_text("Search: zy");
    let row = tui.row_with(STUDENT).expect("the student's row");
    assert!(row.starts_with('▶'), "still selected: {row}");
    tui.keys(&["q"]);
    assert!(tui.finish(), "exit status");
    tui.assert_restored();
}

#[test]
fn logging_a_talk_clears_the_overdue_mark() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let mut tui = searching(&db, "zh_CN.UTF-8", "黑龙江");
    tui.keys(&[ENTER]);
    tui.wait_for("the overdue mark", |s| {
        s.lines()
            .any(|l| l.contains(STUDENT) && l.contains("逾期12天"))
    });
    tui.keys(&["l"]);
    tui.wait_text("记录联系");
    // Kind: the second field, already 谈话 (talk); then the summary, where `q` types.
    tui.keys(&[TAB]);
    tui.wait_text("◀ 谈话 ▶");
    tui.keys(&[TAB, TAB, TAB, TAB, TAB]);
    tui.type_text("quiet talk, 谈学习计划");
    tui.keys(&[CTRL_S]);
    tui.wait_text("已保存联系记录");
    let row = tui.row_with(STUDENT).expect("the student's row");
    assert!(!row.contains("逾期"), "overdue mark gone: {row}");
    tui.keys(&["q"]);
    assert!(tui.finish(), "exit status");
    tui.assert_restored();

    let json = run_ok(yujing(&db, "C.UTF-8").args(["contacts", "--format", "json"]));
    let contacts: serde_json::Value = serde_json::from_str(&json).expect("json");
    let stored: Vec<&serde_json::Value> = contacts
        .as_array()
        .expect("a list")
        .iter()
        .filter(|c| c["student_id"] == STUDENT)
        .collect();
    assert_eq!(stored.len(), 1, "{json}");
    assert_eq!(stored[0]["kind"], "talk");
    assert_eq!(stored[0]["summary"], "quiet talk, 谈学习计划");
    assert!(
        stored[0]["at"]
            .as_str()
            .is_some_and(|at| at.starts_with(TODAY)),
        "{json}"
    );
}

/// The TUI on its first screen gets `signal`; it must leave cleanly and hand the terminal back.
fn signal_restores_the_terminal_and_exits(signal: libc::c_int) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let mut tui = Tui::start(&db, "C.UTF-8");
    tui.wait_text("Heilongjiang");
    assert!(tui.parser.screen().alternate_screen());
    let pid = tui.child.process_id().expect("child pid");
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    // SAFETY: sending a signal to our own child process.
    let sent = unsafe { libc::kill(pid, signal) };
    assert_eq!(sent, 0, "kill");
    assert!(tui.finish(), "exit status");
    tui.assert_restored();
}

#[test]
fn sighup_restores_the_terminal_and_exits() {
    signal_restores_the_terminal_and_exits(libc::SIGHUP);
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    signal_restores_the_terminal_and_exits(libc::SIGTERM);
}

#[test]
fn with_yujing_log_the_tui_logs_its_loads_to_a_file_and_nothing_to_the_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let state = dir.path().join("state");
    let mut tui = Tui::start_with(
        &db,
        "C.UTF-8",
        &[
            ("YUJING_LOG", Path::new("debug")),
            ("XDG_STATE_HOME", &state),
        ],
    );
    tui.wait_text("Heilongjiang");
    tui.keys(&["q"]);
    assert!(tui.finish(), "exit status");
    tui.assert_restored();
    let all = String::from_utf8_lossy(&tui.raw);
    assert!(
        !all.contains("DEBUG") && !all.contains("yujing started"),
        "{all}"
    );
    let log = std::fs::read_to_string(state.join("yujing/yujing.log")).expect("log file");
    assert!(log.contains("load") && log.contains("evaluate"), "{log}");
}

#[test]
fn pasting_into_the_note_keeps_its_newline_and_the_mouse_is_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = fixture(dir.path());
    let mut tui = searching(&db, "zh_CN.UTF-8", "黑龙江");
    tui.keys(&[ENTER, "l"]);
    tui.wait_text("记录联系");
    // To the summary (the note): the seventh field.
    tui.keys(&[TAB, TAB, TAB, TAB, TAB, TAB]);
    // A bracketed paste with a newline inside, then a typed key: both land in the note.
    tui.keys(&["\x1b[200~第一行\r\n第二行\x1b[201~", "x"]);
    tui.wait_text("第二行x");
    tui.keys(&[CTRL_S]);
    tui.wait_text("已保存联系记录");
    tui.keys(&["q"]);
    assert!(tui.finish(), "exit status");
    tui.assert_restored();
    let all = String::from_utf8_lossy(&tui.raw).into_owned();
    assert!(all.contains("\x1b[?2004h"), "bracketed paste turned on");
    assert!(all.contains("\x1b[?2004l"), "and off again");
    // No mouse reporting unless config.toml asks: text selection keeps working over SSH.
    for mode in ["?1000h", "?1002h", "?1003h", "?1006h"] {
        assert!(!all.contains(mode), "mouse mode {mode} was turned on");
    }

    let json = run_ok(yujing(&db, "C.UTF-8").args(["contacts", "--format", "json"]));
    let contacts: serde_json::Value = serde_json::from_str(&json).expect("json");
    let summary = contacts
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["student_id"] == STUDENT)
        .map(|c| c["summary"].clone());
    assert_eq!(
        summary,
        Some(serde_json::json!("第一行\n第二行x")),
        "{json}"
    );
}
