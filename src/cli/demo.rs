//! `yujing demo`: a fresh demo database built from the bundled cohort (never the user's own
//! database), then opened.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::import::Dataset;

use super::Ctx;

/// The bundled cohort, embedded so the demo works from any directory.
const FILES: &[(&str, Dataset, &[u8])] = &[
    (
        "students.csv",
        Dataset::Students,
        include_bytes!("../../fixtures/demo/students.csv"),
    ),
    (
        "grades.gbk.csv",
        Dataset::Grades,
        include_bytes!("../../fixtures/demo/grades.gbk.csv"),
    ),
    (
        "absences.csv",
        Dataset::Absences,
        include_bytes!("../../fixtures/demo/absences.csv"),
    ),
    (
        "fitness.csv",
        Dataset::Fitness,
        include_bytes!("../../fixtures/demo/fitness.csv"),
    ),
    (
        "flags.csv",
        Dataset::Flags,
        include_bytes!("../../fixtures/demo/flags.csv"),
    ),
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Build the database and print where it is, without opening it.
    #[arg(long)]
    pub no_open: bool,
    /// Policy for the demo database (default: hljjz).
    #[arg(long = "demo-policy", default_value = "hljjz")]
    pub demo_policy: String,
}

/// Builds a fresh demo database at `path` from the embedded cohort.
pub fn build(path: &Path, policy: &str, lang: crate::locale::Lang) -> anyhow::Result<()> {
    for ext in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{ext}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo database {}", p.display()))?;
        }
    }
    let dir = tempfile::tempdir()?;
    let mut db = crate::db::Db::open(path)?;
    for (name, kind, bytes) in FILES {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes)?;
        let req = crate::ingest::Request {
            lang: Some(lang),
            ..Default::default()
        };
        let out = crate::ingest::import_file(&mut db, &file, *kind, &req)?;
        anyhow::ensure!(
            out.written && out.bad.is_empty(),
            "bundled demo file {name} did not import cleanly: {:?}",
            out.bad.first().map(ToString::to_string)
        );
    }
    let (p, text) = crate::policy::resolve(policy)?;
    db.set_policy(&p.id, &text)?;
    crate::roster::warm_cache(&mut db);
    Ok(())
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let path = crate::db::data_dir().join("demo.db");
    build(&path, &a.demo_policy, ctx.lang)?;
    let demo = Ctx {
        db_path: path.clone(),
        lang: ctx.lang,
        today: ctx.today,
        term: ctx.term.clone(),
        policy: ctx.policy.clone(),
        theme: ctx.theme.clone(),
    };
    if a.no_open {
        println!("{}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    super::launch::run(&demo)
}
