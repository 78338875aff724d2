//! Import and evaluation at scale, through the real binary (as a counsellor runs it).
//!
//! `cargo bench --bench scale` runs 5,000 and 50,000 students; `-- 20000` picks sizes.
//! For each size: generate a cohort (8 terms × 5 courses, ~40 grade rows a student), time the
//! `sqlite3` shell's `.import` of the same grades CSV as the baseline, then `yujing import`
//! (first time and again, all unchanged), `yujing evaluate` under every preset and `yujing
//! export workbook` (warned students, then all), with each process's wall time and peak
//! resident memory (from wait4).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yujing_synth::{
    Encoding, GradeLayout, bench_spec, write_grades_csv_streaming, write_students_csv,
};

struct Run {
    wall: Duration,
    peak_mb: f64,
}

/// Runs a command to completion, returning its wall time and peak RSS; panics on failure.
// The child is reaped by wait4 (which reports its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which std never reaps
    // because we do not call wait on `child`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed with {status}"
    );
    Run {
        wall,
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn yujing(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yujing"));
    c.arg("--db").arg(db).env("LANG", "C.UTF-8");
    c
}

fn bench(students: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let grades = dir.path().join("grades.csv");
    let roster = dir.path().join("students.csv");
    let t = Instant::now();
    let spec = bench_spec(students);
    let (cohort, rows) =
        write_grades_csv_streaming(&spec, &grades, GradeLayout::Long, Encoding::Utf8)
            .expect("write grades");
    write_students_csv(&cohort, &roster, Encoding::Utf8).expect("write students");
    let mb = std::fs::metadata(&grades)
        .map(|m| m.len() as f64 / 1e6)
        .unwrap_or(0.0);
    println!(
        "\n## {students} students, {rows} grade rows ({mb:.0} MB CSV), generated in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let baseline = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok()
        .then(|| {
            run(Command::new("sqlite3")
                .arg(dir.path().join("baseline.db"))
                .arg(".mode csv")
                .arg(format!(".import {} grades", grades.display())))
        });

    let db = dir.path().join("yujing.db");
    run(yujing(&db).args(["import", "students"]).arg(&roster));
    let import = run(yujing(&db).args(["import", "grades"]).arg(&grades));
    let again = run(yujing(&db).args(["import", "grades"]).arg(&grades));

    println!("| step | wall | peak RSS |");
    println!("|---|---|---|");
    if let Some(b) = &baseline {
        println!(
            "| sqlite3 .import (baseline) | {:.2} s | {:.0} MB |",
            b.wall.as_secs_f64(),
            b.peak_mb
        );
    }
    let ratio = baseline.as_ref().map_or(String::new(), |b| {
        format!(
            " ({:.2}× baseline)",
            import.wall.as_secs_f64() / b.wall.as_secs_f64()
        )
    });
    println!(
        "| yujing import grades, new | {:.2} s{ratio} | {:.0} MB |",
        import.wall.as_secs_f64(),
        import.peak_mb
    );
    println!(
        "| yujing import grades, again (unchanged) | {:.2} s | {:.0} MB |",
        again.wall.as_secs_f64(),
        again.peak_mb
    );
    let policy_use = run(yujing(&db).args(["policy", "use", "hljjz"]));
    println!(
        "| yujing policy use hljjz (stores the evaluation cache) | {:.2} s | {:.0} MB |",
        policy_use.wall.as_secs_f64(),
        policy_use.peak_mb
    );
    for attempt in 1..=3 {
        let (ms, bytes) = first_frame(&db, students);
        println!(
            "| TUI launch → first full frame (80x24, cached), run {attempt} | {ms:.0} ms | {bytes} B written |"
        );
    }
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        let e = run(yujing(&db).args(["evaluate", "--format", "json", "--policy", p]));
        println!(
            "| yujing evaluate --policy {p} (json, all students) | {:.2} s | {:.0} MB |",
            e.wall.as_secs_f64(),
            e.peak_mb
        );
    }
    // The workbook's sheets are written in constant-memory mode: its peak stays near the
    // evaluation's however many rows the sheets hold (target: 150 MB at 50,000 students).
    for (what, extra) in [("warned", &[][..]), ("--all", &["--all"][..])] {
        let book = dir.path().join("book.xlsx");
        let e = run(yujing(&db)
            .args(["export", "workbook", "--force", "--out"])
            .arg(&book)
            .args(extra));
        let mb = std::fs::metadata(&book).map_or(0.0, |m| m.len() as f64 / 1e6);
        println!(
            "| yujing export workbook {what} ({mb:.0} MB xlsx) | {:.2} s | {:.0} MB |",
            e.wall.as_secs_f64(),
            e.peak_mb
        );
    }
}

/// Launches the TUI in an 80x24 pseudo-terminal and times the first frame that shows the
/// whole roster (the tier bar counting every student); returns (ms, bytes read until then).
fn first_frame(db: &Path, students: usize) -> (f64, usize) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_yujing"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
    let mut parser = vt100::Parser::new(size(24), size(80), 0);
    let want = format!("All {students}");
    let mut buf = [0u8; 65536];
    let mut total = 0;
    let elapsed = loop {
        let n = reader.read(&mut buf).expect("read");
        assert!(n > 0, "the TUI closed before its first frame");
        total += n;
        parser.process(&buf[..n]);
        if parser.screen().contents().contains(&want) {
            break start.elapsed();
        }
    };
    let _ = writer.write_all(b"q");
    let _ = child.wait();
    (elapsed.as_secs_f64() * 1000.0, total)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![5_000, 50_000]
    } else {
        sizes
    };
    for n in sizes {
        bench(n);
    }
}
