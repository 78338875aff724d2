//! `issue` asking on a real terminal (a pseudo-terminal): "no" writes nothing and exits 1;
//! when another run changes the warnings while the question is open, the new differences are
//! shown and asked again before anything is written.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_yujing");
/// How long to wait for a prompt: generous, the machine may be busy.
const PATIENCE: Duration = Duration::from_secs(20);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lifecycle")
        .join(name)
}

fn yujing(db: &Path, today: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(["--today", today])
        .args(args)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("YUJING_DB")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn cohort(dir: &Path) -> PathBuf {
    let db = dir.join("t.db");
    let (s, g) = (fixture("students.csv"), fixture("grades.csv"));
    yujing(
        &db,
        "2025-03-01",
        &["import", "students", s.to_str().unwrap()],
    );
    yujing(
        &db,
        "2025-03-01",
        &["import", "grades", g.to_str().unwrap()],
    );
    yujing(&db, "2025-03-01", &["policy", "use", "hljjz"]);
    db
}

fn warnings(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM warnings", [], |r| r.get(0))
        .unwrap()
}

/// A command running on a pseudo-terminal, its output collected as it comes.
struct Term {
    out: Receiver<Vec<u8>>,
    seen: String,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Term {
    fn start(db: &Path, today: &str, args: &[&str]) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 50,
                cols: 200,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(["--today", today]);
        cmd.args(args);
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("YUJING_DB");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, out) = channel();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Term {
            out,
            seen: String::new(),
            writer,
            child,
        }
    }

    /// Waits until the output holds `what` `times` times in all.
    fn wait_for(&mut self, what: &str, times: usize) {
        let deadline = Instant::now() + PATIENCE;
        while self.seen.matches(what).count() < times {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.out.recv_timeout(left) {
                Ok(b) => self.seen.push_str(&String::from_utf8_lossy(&b)),
                Err(_) => panic!("no {what:?} (x{times}) in {:?}", self.seen),
            }
        }
    }

    fn answer(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).unwrap();
        self.writer.write_all(b"\r").unwrap();
        self.writer.flush().unwrap();
    }

    fn exit_code(mut self) -> u32 {
        self.child.wait().unwrap().exit_code()
    }
}

#[test]
fn no_at_the_prompt_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = cohort(dir.path());
    let mut t = Term::start(&db, "2025-03-03", &["issue", "--term", "2024-2025-1"]);
    t.wait_for("Issue? [y/N]", 1);
    assert!(t.seen.contains("new 4"), "{}", t.seen);
    t.answer("n");
    t.wait_for("not issued", 1);
    assert_eq!(t.exit_code(), 1);
    assert_eq!(warnings(&db), 0);
}

#[test]
fn a_change_while_asking_is_shown_and_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = cohort(dir.path());
    yujing(
        &db,
        "2025-03-03",
        &["issue", "--term", "2024-2025-1", "--yes"],
    );
    let mut t = Term::start(&db, "2025-09-08", &["issue", "--term", "2024-2025-2"]);
    t.wait_for("Issue? [y/N]", 1);
    assert!(t.seen.contains("up 1"), "{}", t.seen);
    // While the question is open (no lock held), a colleague withdraws one T1 warning: the
    // student who went up now has no warning held, so for T2 they are new.
    yujing(
        &db,
        "2025-09-08",
        &[
            "issue",
            "withdraw",
            "--term",
            "2024-2025-1",
            "--student",
            "2023000003",
            "--reason",
            "wrong file",
            "--yes",
        ],
    );
    let before = warnings(&db);
    t.answer("y");
    t.wait_for("changed while you were asked", 1);
    t.wait_for("Issue? [y/N]", 2);
    let second = t.seen[t.seen.find("changed while").unwrap()..].to_string();
    assert!(
        second.contains("new 2") && !second.contains("up 1"),
        "{second}"
    );
    assert_eq!(
        warnings(&db),
        before,
        "nothing written before the second yes"
    );
    t.answer("y");
    t.wait_for("issued", 1);
    assert_eq!(t.exit_code(), 0);
    assert!(warnings(&db) > before);
}
