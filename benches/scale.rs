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
//! The floor rows are `sqlite3` loading the same file into a table keyed as yujing's grades are
//! (student, term, course, kind), then also with the codes in a table of unique codes as
//! yujing keeps them: what SQLite alone needs before any reading or checking.
//!
//! On the `bench` database it then times `policy use` (which warms the evaluation cache), the
//! TUI's first frame, and `evaluate` under every preset with the cache cold and warm. Then `export workbook` (warned students, then all).
//! Each step reports wall time and peak resident memory (from wait4).
//! Files are written by a child process (this binary with `--write`): a child's peak RSS
//! starts at its parent's, so the measuring process stays small.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yujing::model::Attempt;
use yujing_synth::{
    Encoding, GradeLayout, GradeRowWriter, bench_spec, generate_with_students, write_students_csv,
};

struct Run {
    wall: Duration,
    /// User plus system time: on a shared machine wall time swings with the neighbours'
    /// load, CPU time much less, so ratios are given in both.
    cpu: f64,
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
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        wall,
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

fn yujing(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yujing"));
    c.arg("--db")
        .arg(db)
        .env("LANG", "C.UTF-8")
        .env("XDG_CACHE_HOME", cache_home(db));
    c
}

/// The evaluation cache's directory for the run: beside the database, not in the home.
fn cache_home(db: &Path) -> std::path::PathBuf {
    db.with_file_name("cache")
}

/// How course codes are spread over the cohort.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Bench,
    Curriculum,
    Distinct,
}

impl Shape {
    const ALL: [Shape; 3] = [Shape::Bench, Shape::Curriculum, Shape::Distinct];

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

fn grades_csv(dir: &Path, shape: Shape) -> PathBuf {
    dir.join(format!("grades-{}.csv", shape.name()))
}

fn roster_csv(dir: &Path, shape: Shape) -> PathBuf {
    dir.join(format!("students-{}.csv", shape.name()))
}

/// Writes one shape's files (in the `--write` child); prints rows, codes and MB.
fn write_files(dir: &Path, students: usize, shape: Shape) {
    let (grades, roster) = (grades_csv(dir, shape), roster_csv(dir, shape));
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
    println!("{rows} {} {mb:.0}", codes.len());
}

/// Prints one table row: step, wall and CPU time with their ratios to the baseline, peak RSS.
fn row(step: &str, r: &Run, baseline: Option<&Run>) {
    let ratio = |mine: f64, base: fn(&Run) -> f64| {
        baseline.map_or(String::new(), |b| format!("{:.2}×", mine / base(b)))
    };
    println!(
        "| {step} | {:.2} s | {} | {:.2} s | {} | {:.0} MB |",
        r.wall.as_secs_f64(),
        ratio(r.wall.as_secs_f64(), |b| b.wall.as_secs_f64()),
        r.cpu,
        ratio(r.cpu, |b| b.cpu),
        r.peak_mb
    );
}

/// The rows of the `.import`ed table, inserted into one keyed like yujing's grades.
const FLOOR_SQL: &str = "CREATE TABLE keyed (student TEXT, term TEXT, course TEXT, kind TEXT, \
     name TEXT, nature TEXT, assessment TEXT, credits TEXT, result TEXT, \
     PRIMARY KEY (student, term, course, kind)) WITHOUT ROWID; \
     INSERT OR IGNORE INTO keyed SELECT 学号, 学年 || '-' || 学期, 课程代码, 成绩性质, 课程名称, \
     课程性质, 考核方式, 学分, 成绩 FROM raw;";

/// The same, stored as yujing stores it: each course code once, in a table of unique codes,
/// and the grades keyed by the course's id. Every new code costs an insert into that table's
/// unique index, which is what the worst case (a code per student) pays for.
const FLOOR_COURSES_SQL: &str = "CREATE TABLE courses (id INTEGER PRIMARY KEY, \
     code TEXT NOT NULL UNIQUE, name TEXT NOT NULL); \
     CREATE TABLE keyed (student TEXT, term TEXT, course INTEGER, kind TEXT, nature TEXT, \
     assessment TEXT, credits TEXT, result TEXT, \
     PRIMARY KEY (student, term, course, kind)) WITHOUT ROWID; \
     INSERT OR IGNORE INTO courses (code, name) SELECT 课程代码, 课程名称 FROM raw; \
     INSERT OR IGNORE INTO keyed SELECT 学号, 学年 || '-' || 学期, \
     (SELECT id FROM courses WHERE code = 课程代码), 成绩性质, 课程性质, 考核方式, 学分, 成绩 \
     FROM raw;";

/// Times the baseline and both imports of one shape; returns the imported database.
fn imports(dir: &Path, students: usize, shape: Shape) -> PathBuf {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe().expect("own path"))
        .arg("--write")
        .arg(dir)
        .arg(students.to_string())
        .arg(shape.name())
        .output()
        .expect("run the writer");
    assert!(out.status.success(), "writing {} failed", shape.name());
    let stats = String::from_utf8_lossy(&out.stdout);
    let stats: Vec<&str> = stats.split_whitespace().collect();
    println!(
        "\n### {}: {} grade rows, {} course codes ({} MB CSV), generated in {:.1} s\n",
        shape.name(),
        stats.first().unwrap_or(&"?"),
        stats.get(1).unwrap_or(&"?"),
        stats.get(2).unwrap_or(&"?"),
        t.elapsed().as_secs_f64()
    );
    let (grades, roster) = (grades_csv(dir, shape), roster_csv(dir, shape));
    println!("| step | wall | × sqlite3 | CPU | × sqlite3 | peak RSS |");
    println!("|---|---|---|---|---|---|");
    let baseline = Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok()
        .then(|| {
            run(Command::new("sqlite3")
                .arg(dir.join(format!("baseline-{}.db", shape.name())))
                .arg(".mode csv")
                .arg(format!(".import {} grades", grades.display())))
        });
    if let Some(b) = &baseline {
        row("sqlite3 .import (baseline)", b, Some(b));
        for (what, sql) in [
            (
                "sqlite3 .import + insert under yujing's key (floor)",
                FLOOR_SQL,
            ),
            (
                "… with course codes in a unique table, as yujing stores them (floor)",
                FLOOR_COURSES_SQL,
            ),
        ] {
            let file = dir.join(format!("floor-{}.db", shape.name()));
            let floor = run(Command::new("sqlite3")
                .arg(&file)
                .arg(".mode csv")
                .arg(format!(".import {} raw", grades.display()))
                .arg(sql));
            row(what, &floor, Some(b));
            let _ = std::fs::remove_file(file);
        }
    }
    let db = dir.join(format!("yujing-{}.db", shape.name()));
    run(yujing(&db).args(["import", "students"]).arg(&roster));
    let import = run(yujing(&db).args(["import", "grades"]).arg(&grades));
    row("yujing import grades, new", &import, baseline.as_ref());
    let again = run(yujing(&db).args(["import", "grades"]).arg(&grades));
    row(
        "yujing import grades, again (unchanged)",
        &again,
        baseline.as_ref(),
    );
    // The next shape's files take the room of this one's.
    let _ = std::fs::remove_file(&grades);
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
        let (_, ms, bytes) = first_frame(&db, students);
        println!(
            "| TUI launch → first full frame (80x24, cached), run {attempt} | {ms:.0} ms | {bytes} B written |"
        );
    }
    // Cold: what a counsellor meets after an import changed everyone's facts.
    for attempt in 1..=2 {
        let _ = std::fs::remove_dir_all(cache_home(&db));
        let (first, ms, _) = first_frame(&db, students);
        println!(
            "| TUI launch, cache cold, run {attempt}: first screen (progress) / full frame | {first:.0} / {ms:.0} ms | |"
        );
    }
    // Cold: no cache file for the policy (the directory is emptied first); warm: the file the
    // cold run wrote answers. Three of each: a shared machine's neighbours move a single run
    // by a tenth either way, so the median is given with the range.
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        for state in ["cold", "warm"] {
            let mut runs: Vec<Run> = (0..3)
                .map(|_| {
                    if state == "cold" {
                        let _ = std::fs::remove_dir_all(cache_home(&db));
                    }
                    run(yujing(&db).args(["evaluate", "--format", "json", "--policy", p]))
                })
                .collect();
            runs.sort_by_key(|r| r.wall);
            let s = |r: &Run| r.wall.as_secs_f64();
            println!(
                "| yujing evaluate --policy {p} (json, all students), cache {state}: median (range) of 3 | {:.2} s ({:.2}–{:.2}) | {:.0} MB |",
                s(&runs[1]),
                s(&runs[0]),
                s(&runs[2]),
                runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max)
            );
        }
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
/// whole roster (the tier bar counting every student): (ms to the first screen with any text,
/// ms to that full frame, bytes read until then).
fn first_frame(db: &Path, students: usize) -> (f64, f64, usize) {
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
    cmd.env("XDG_CACHE_HOME", cache_home(db));
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
    let mut first = None;
    let elapsed = loop {
        let n = reader.read(&mut buf).expect("read");
        assert!(n > 0, "the TUI closed before its first frame");
        total += n;
        parser.process(&buf[..n]);
        let contents = parser.screen().contents();
        if first.is_none() && !contents.trim().is_empty() {
            first = Some(start.elapsed());
        }
        if contents.contains(&want) {
            break start.elapsed();
        }
    };
    let _ = writer.write_all(b"q");
    let _ = child.wait();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(first.unwrap_or(elapsed)), ms(elapsed), total)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let shape = Shape::ALL
            .into_iter()
            .find(|s| args.get(i + 3).is_some_and(|a| a == s.name()))
            .expect("--write DIR STUDENTS SHAPE");
        let students = args
            .get(i + 2)
            .and_then(|n| n.parse().ok())
            .expect("STUDENTS");
        write_files(Path::new(&args[i + 1]), students, shape);
        return;
    }
    let sizes: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![5_000, 50_000]
    } else {
        sizes
    };
    for n in sizes {
        bench(n);
    }
}
