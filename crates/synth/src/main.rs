//! `cargo run -p yujing-synth -- fixtures [DIR]` rewrites the bundled demo cohort
//! (`fixtures/demo/` by default), which `tests/synth.rs` checks against the generator.

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
        _ => {
            eprintln!("usage: yujing-synth fixtures [DIR]   (default DIR: fixtures/demo)");
            ExitCode::from(2)
        }
    }
}
