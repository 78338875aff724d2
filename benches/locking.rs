//! How long the largest import holds the write lock, and what colleagues' writes see meanwhile.
//!
//! `cargo bench --bench locking` (release) or `cargo run`-free in debug with
//! `cargo bench --profile dev --bench locking`: imports a 60,000-student grades file (8 terms
//! × 5 courses, about 2.4 M rows) through the real binary while 8 processes log contacts in a
//! loop, and prints the import's wall time and the longest any `log` call took. The lock wait
//! (`yujing::db::lock::DEFAULT_WAIT`) must stay well above the import time. `-- 20000` picks
//! another size.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use yujing_synth::{
    Encoding, GradeLayout, bench_spec, write_grades_csv_streaming, write_students_csv,
};

fn yujing(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yujing"));
    c.arg("--db")
        .arg(db)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    c
}

fn main() {
    let students: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(60_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("y.db");
    let grades = dir.path().join("grades.csv");
    let roster = dir.path().join("students.csv");
    let (cohort, rows) = write_grades_csv_streaming(
        &bench_spec(students),
        &grades,
        GradeLayout::Long,
        Encoding::Utf8,
    )
    .expect("write grades");
    write_students_csv(&cohort, &roster, Encoding::Utf8).expect("write students");
    let id = cohort.students[0].student_id.clone();
    assert!(
        yujing(&db)
            .args(["import", "students"])
            .arg(&roster)
            .status()
            .expect("spawn")
            .success()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (db, id, stop) = (db.clone(), id.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut calls, mut longest, mut failed) = (0u32, Duration::ZERO, 0u32);
                while !stop.load(Ordering::SeqCst) {
                    let t = Instant::now();
                    let ok = yujing(&db)
                        .args([
                            "log",
                            &id,
                            "--kind",
                            "talk",
                            "--note",
                            &format!("{w}-{calls}"),
                        ])
                        .stderr(Stdio::null())
                        .status()
                        .expect("spawn")
                        .success();
                    longest = longest.max(t.elapsed());
                    calls += 1;
                    failed += u32::from(!ok);
                }
                (calls, longest, failed)
            })
        })
        .collect();
    let t = Instant::now();
    let ok = yujing(&db)
        .args(["import", "grades"])
        .arg(&grades)
        .status()
        .expect("spawn")
        .success();
    let import = t.elapsed();
    stop.store(true, Ordering::SeqCst);
    assert!(ok, "the import failed");
    let (mut calls, mut longest, mut failed) = (0, Duration::ZERO, 0);
    for w in writers {
        let (c, l, f) = w.join().expect("writer");
        calls += c;
        longest = longest.max(l);
        failed += f;
    }
    println!(
        "{students} students, {rows} grade rows: import {:.1} s; {calls} log calls meanwhile, {failed} failed, the longest took {:.1} s (lock wait limit {} s)",
        import.as_secs_f64(),
        longest.as_secs_f64(),
        yujing::db::lock::DEFAULT_WAIT.as_secs()
    );
}
