//! `yujing import KIND FILE`: one transaction per file; bad rows named FILE:LINE with column
//! and value; without --skip-bad any bad row means nothing is written.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::import::{Dataset, ReadOptions};
use crate::ingest::{Outcome, Request, import_file};

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the file holds.
    #[arg(value_enum)]
    pub kind: Dataset,
    pub file: PathBuf,
    /// Encoding (utf-8, gbk, gb18030 …); detected when not given.
    #[arg(long)]
    pub encoding: Option<String>,
    /// XLSX sheet name (default: the first sheet).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Report what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows and list the bad ones (default: any bad row means nothing is written).
    #[arg(long)]
    pub skip_bad: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    // A dry run imports into a private copy: no write lock, nothing created.
    let mut db = if a.dry_run {
        if !ctx.db_path.exists() {
            eprintln!(
                "{}",
                ctx.lang.pick(
                    &format!("{}: 数据库尚不存在，按空数据库试运行（不会创建）", ctx.db_path.display()),
                    &format!("{}: no database yet; the dry run counts against an empty one (nothing is created)", ctx.db_path.display())
                )
            );
        }
        crate::db::Db::open_scratch(&ctx.db_path)?
    } else {
        ctx.open_db()?
    };
    let lang = ctx.lang;
    let big = std::fs::metadata(&a.file)
        .map(|m| m.len() > 512 * 1024)
        .unwrap_or(false);
    let req = Request {
        opts: ReadOptions {
            encoding: a.encoding.clone(),
            sheet: a.sheet.clone(),
        },
        dry_run: a.dry_run,
        skip_bad: a.skip_bad,
        progress: big && std::io::stderr().is_terminal(),
        lang: Some(lang),
    };
    let Outcome {
        tally,
        bad,
        notes,
        written,
    } = import_file(&mut db, &a.file, a.kind, &req)?;
    for e in &bad {
        eprintln!("{e}");
    }
    if written && tally.new + tally.changed > 0 {
        crate::roster::warm_cache(&mut db);
    }
    let file = a.file.display();
    if notes.empty_results > 0 {
        println!(
            "{}",
            lang.pick(
                &format!(
                    "{file}: {} 行成绩为空（尚未录入），按待定处理",
                    notes.empty_results
                ),
                &format!(
                    "{file}: {} rows with an empty result (not yet recorded), kept as pending",
                    notes.empty_results
                )
            )
        );
    }
    if let Some(t) = notes.retake_term_assumed {
        println!(
            "{}",
            lang.pick(
                &format!("{file}: 宽表的重修成绩没有学期，按文件中最新学期 {t} 计"),
                &format!("{file}: wide layout: retake results carry no term; taken as sat in {t}, the newest term in the file")
            )
        );
    }
    if !bad.is_empty() && !a.skip_bad {
        eprintln!(
            "{}",
            lang.pick(
                &format!("{file}: {} 行有错误，未写入任何数据（改正后重试，或用 --skip-bad 只导入正确的行）", bad.len()),
                &format!("{file}: {} bad rows: nothing written (fix them, or use --skip-bad to import the good rows)", bad.len())
            )
        );
    }
    let prefix = if a.dry_run {
        lang.pick("试运行，未写入：", "dry run, nothing written: ")
            .to_string()
    } else if !written {
        lang.pick("未写入：", "not written: ").to_string()
    } else {
        String::new()
    };
    println!("{file}: {prefix}{}", tally.summary(lang));
    Ok(if !bad.is_empty() && !a.skip_bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
