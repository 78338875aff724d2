//! `cargo run -p yujing-synth -- fixtures [DIR]` rewrites the bundled demo cohort
//! (`fixtures/demo/` by default), which `tests/synth.rs` checks against the generator.
//! `cargo run --release -p yujing-synth -- bench DIR STUDENTS` writes the benchmark's roster and
//! grades (students.csv, grades.csv) for profiling by hand.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("fixtures") => {
            let dir = args.get(1).map_or_else(
                || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo"),
                PathBuf::from,
            );
            let cohort = yujing_synth::generate(&yujing_synth::demo_spec());
            match yujing_synth::write_all(&cohort, &dir) {
                Ok(()) => {
                    println!("wrote the demo cohort to {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("yujing-synth: {}: {e}", dir.display());
                    ExitCode::FAILURE
                }
            }
        }
        Some("bench") => {
            let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok()))
            else {
                eprintln!("usage: yujing-synth bench DIR STUDENTS");
                return ExitCode::from(2);
            };
            let dir = PathBuf::from(dir);
            let spec = yujing_synth::bench_spec(n);
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| {
                    yujing_synth::write_grades_csv_streaming(
                        &spec,
                        &dir.join("grades.csv"),
                        yujing_synth::GradeLayout::Long,
                        yujing_synth::Encoding::Utf8,
                    )
                })
                .and_then(|(cohort, rows)| {
                    yujing_synth::write_students_csv(
                        &cohort,
                        &dir.join("students.csv"),
                        yujing_synth::Encoding::Utf8,
                    )?;
                    Ok(rows)
                });
            match written {
                Ok(rows) => {
                    println!("{n} students, {rows} grade rows in {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("yujing-synth: {}: {e}", dir.display());
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!(
                "usage: yujing-synth fixtures [DIR]   (default DIR: fixtures/demo)\n       yujing-synth bench DIR STUDENTS"
            );
            ExitCode::from(2)
        }
    }
}
