//! Import and evaluation at scale, through the real binary (as a counsellor runs it).
//!
//! `cargo bench --bench scale` runs 5,000 and 50,000 students; `-- 20000` picks sizes.
//! For each size, three grades files, each timed against the `sqlite3` shell's `.import` of
//! the same CSV (the baseline), imported new and again (all unchanged):
//! - `bench`: 8 terms × 5 courses (~40 rows a student), course codes of a few majors;
//! - `curriculum`: a real college's shape, 5 terms × 5 courses with ~10,000 course codes, each
//!   shared by the two classes of a programme (general electives by everyone);
//! - `distinct`: the worst case, every student's courses under codes of their own.
//!
//! On the `bench` database it then times `policy use`, the TUI's first frame and `evaluate`
//! under every preset. Each step reports wall time and peak resident memory (from wait4).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yujing::model::Attempt;
use yujing::synth::{
    Encoding, GradeLayout, GradeRowWriter, bench_spec, generate_with_students, write_students_csv,
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

/// How course codes are spread over the cohort.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Bench,
    Curriculum,
    Distinct,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Bench => "bench",
            Shape::Curriculum => "curriculum",
            Shape::Distinct => "distinct",
        }
    }
}

/// Classes per programme in the curriculum shape (50,000 students: 1,000 classes, 500
/// programmes of ~20 codes each).
const CLASSES_PER_PROGRAMME: usize = 2;

/// The course code a student sits `a` under in `shape`.
fn code_in(shape: Shape, a: &Attempt, class: usize, student: &str) -> String {
    let code = &*a.course_code;
    match shape {
        Shape::Bench => code.to_string(),
        // General electives (TS…) are the whole school's; everything else the programme's.
        Shape::Curriculum if code.starts_with("TS") => code.to_string(),
        Shape::Curriculum => format!("{code}-{:03}", class / CLASSES_PER_PROGRAMME),
        Shape::Distinct => format!("{code}-{student}"),
    }
}

struct Files {
    grades: PathBuf,
    roster: PathBuf,
    rows: u64,
    codes: usize,
    mb: f64,
}

fn write_files(dir: &Path, students: usize, shape: Shape) -> Files {
    let grades = dir.join(format!("grades-{}.csv", shape.name()));
    let roster = dir.join(format!("students-{}.csv", shape.name()));
    let mut spec = bench_spec(students);
    if shape != Shape::Bench {
        spec.terms.truncate(5);
    }
    let mut w =
        GradeRowWriter::create(&grades, GradeLayout::Long, Encoding::Utf8).expect("create grades");
    let mut classes: HashMap<String, usize> = HashMap::new();
    let mut codes: HashSet<String> = HashSet::new();
    let cohort = generate_with_students(&spec, |s, mut a| {
        let next = classes.len();
        let class = *classes.entry(s.class.clone()).or_insert(next);
        let code = code_in(shape, &a, class, &s.student_id);
        codes.insert(code.clone());
        a.course_code = code.into();
        w.write(s, &a).expect("write grades");
    });
    let rows = w.rows();
    w.finish().expect("finish grades");
    write_students_csv(&cohort, &roster, Encoding::Utf8).expect("write students");
    let mb = std::fs::metadata(&grades).map_or(0.0, |m| m.len() as f64 / 1e6);
    Files {
        grades,
        roster,
        rows,
        codes: codes.len(),
        mb,
    }
}

/// Prints one table row: step, wall, ratio to the baseline, peak RSS.
fn row(step: &str, r: &Run, baseline: Option<&Run>) {
    let ratio = baseline.map_or("".to_string(), |b| {
        format!("{:.2}×", r.wall.as_secs_f64() / b.wall.as_secs_f64())
    });
    println!(
        "| {step} | {:.2} s | {ratio} | {:.0} MB |",
        r.wall.as_secs_f64(),
        r.peak_mb
    );
}

/// Times the baseline and both imports of one shape; returns the imported database.
fn imports(dir: &Path, students: usize, shape: Shape) -> PathBuf {
    let t = Instant::now();
    let f = write_files(dir, students, shape);
    println!(
        "\n### {}: {} grade rows, {} course codes ({:.0} MB CSV), generated in {:.1} s\n",
        shape.name(),
        f.rows,
        f.codes,
        f.mb,
        t.elapsed().as_secs_f64()
    );
    println!("| step | wall | × sqlite3 | peak RSS |");
    println!("|---|---|---|---|");
    let baseline = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok()
        .then(|| {
            run(Command::new("sqlite3")
                .arg(dir.join(format!("baseline-{}.db", shape.name())))
                .arg(".mode csv")
                .arg(format!(".import {} grades", f.grades.display())))
        });
    if let Some(b) = &baseline {
        row("sqlite3 .import (baseline)", b, Some(b));
    }
    let db = dir.join(format!("yujing-{}.db", shape.name()));
    run(yujing(&db).args(["import", "students"]).arg(&f.roster));
    let import = run(yujing(&db).args(["import", "grades"]).arg(&f.grades));
    row("yujing import grades, new", &import, baseline.as_ref());
    let again = run(yujing(&db).args(["import", "grades"]).arg(&f.grades));
    row(
        "yujing import grades, again (unchanged)",
        &again,
        baseline.as_ref(),
    );
    // The next shape's files take the room of this one's.
    let _ = std::fs::remove_file(&f.grades);
    let _ = std::fs::remove_file(dir.join(format!("baseline-{}.db", shape.name())));
    db
}

fn bench(students: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    println!("\n## {students} students");
    for shape in [Shape::Curriculum, Shape::Distinct] {
        let db = imports(dir.path(), students, shape);
        let _ = std::fs::remove_file(db);
    }
    let db = imports(dir.path(), students, Shape::Bench);

    println!("\n### the bench database: evaluation and the TUI\n");
    println!("| step | wall | peak RSS |");
    println!("|---|---|---|");
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
