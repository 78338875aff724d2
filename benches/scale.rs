//! Import and evaluation at scale, through the real binary (as a counsellor runs it).
//!
//! `cargo bench --bench scale` runs 5,000 and 50,000 students; `-- 20000` picks sizes.
//! For each size: generate a cohort (8 terms × 5 courses, ~40 grade rows a student), time the
//! `sqlite3` shell's `.import` of the same grades CSV as the baseline, then `yujing import`
//! (first time and again, all unchanged) and `yujing evaluate` under every preset, with each
//! process's wall time and peak resident memory (from wait4).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use yujing::synth::{
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
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        let e = run(yujing(&db).args(["evaluate", "--format", "json", "--policy", p]));
        println!(
            "| yujing evaluate --policy {p} (json, all students) | {:.2} s | {:.0} MB |",
            e.wall.as_secs_f64(),
            e.peak_mb
        );
    }
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
