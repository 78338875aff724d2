//! Looking after the database file itself: `admin init|upgrade` (a shared database for a
//! group), `backup`, `restore` and `check`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::db::{self, Db};
use crate::locale::Lang;

use super::Ctx;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Create (or convert) a database shared by a group: the folder setgid and group-writable, the database 0660.
    Init {
        /// The group whose members share the database (create it with groupadd first).
        #[arg(long)]
        group: String,
    },
    /// Upgrade the database's schema to this yujing's (commands that only read never do).
    Upgrade,
}

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The copy to write (never overwritten; mode 0600).
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A backup written by `yujing backup`.
    pub file: PathBuf,
    /// Replace the database without asking.
    #[arg(long)]
    pub yes: bool,
}

pub fn run(ctx: &Ctx, cmd: Cmd) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let path = &ctx.db_path;
    match cmd {
        Cmd::Init { group } => {
            let gid = db::share::group_id(&group)?;
            db::share::init_folder(path, gid)?;
            drop(Db::open(path)?);
            // The first open created the file (and SQLite its -wal/-shm): give them the group.
            db::share::init_folder(path, gid)?;
            println!(
                "{}",
                lang.pick(
                    &format!(
                        "{}: 已建立组 {group} 共享的数据库（目录 2770，数据库 0660）；组员在 ~/.profile 中设置 export YUJING_DB={}",
                        path.display(),
                        path.display()
                    ),
                    &format!(
                        "{}: shared database for group {group} ready (folder 2770, database 0660); members put `export YUJING_DB={}` in their ~/.profile",
                        path.display(),
                        path.display()
                    )
                )
            );
        }
        Cmd::Upgrade => {
            // Like any first write, the upgrade records its account as admin when the file
            // predates users, so that reading commands keep working afterwards.
            let mut db = Db::open(path)?;
            crate::app::access::claim_if_unowned(&mut db);
            println!(
                "{}: {} {}",
                path.display(),
                lang.pick("数据库结构版本", "schema version"),
                db::SCHEMA_VERSION
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn backup(ctx: &Ctx, a: BackupArgs) -> anyhow::Result<ExitCode> {
    let written = db::backup(&ctx.db_path, &a.file)?;
    println!(
        "{}",
        ctx.lang.pick(
            &format!("已备份到 {}（已通过检查）", written.display()),
            &format!("backed up to {} (checked)", written.display())
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// Asks on the terminal; with no terminal there is nobody to ask.
fn confirm(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "是"))
}

pub fn restore(ctx: &Ctx, a: RestoreArgs) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let path = &ctx.db_path;
    let stamp = chrono::Local::now().format("%Y-%m-%dT%H%M%S");
    let mut kept = path.as_os_str().to_owned();
    kept.push(format!(".before-restore-{stamp}"));
    let kept = PathBuf::from(kept);
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "{}",
                lang.pick(
                    "恢复会替换整个数据库，需要确认：没有终端可以询问，请加 --yes",
                    "restore replaces the whole database and needs a yes: there is no terminal to ask on, so add --yes"
                )
            );
        }
        let question = match lang {
            Lang::Zh => format!(
                "用 {} 替换 {} 的全部内容？（原内容保存为 {}）",
                a.file.display(),
                path.display(),
                kept.display()
            ),
            Lang::En => format!(
                "Replace everything in {} with {}? (the current content is kept as {})",
                path.display(),
                a.file.display(),
                kept.display()
            ),
        };
        if !confirm(&question)? {
            eprintln!("{}", lang.pick("未恢复", "not restored"));
            return Ok(ExitCode::FAILURE);
        }
    }
    let done = db::restore(path, &a.file, &kept)
        .with_context(|| format!("{}: not restored", path.display()))?;
    let report = db::check(path)?;
    let (file, kept) = (a.file.display(), done.kept.display());
    let line = match (lang, report.damaged()) {
        (Lang::Zh, damaged) => format!(
            "{}: 已从 {file} 恢复（{} 行）；原内容保存在 {kept}；检查{}",
            path.display(),
            done.rows,
            if damaged { "未通过" } else { "通过" }
        ),
        (Lang::En, damaged) => format!(
            "{}: restored from {file} ({} rows); the previous content is kept in {kept}; check {}",
            path.display(),
            done.rows,
            if damaged { "FAILED" } else { "passed" }
        ),
    };
    println!("{line}");
    Ok(if report.damaged() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn check(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    let path = &ctx.db_path;
    let r = db::check(path)?;
    let mut out = std::io::stdout().lock();
    let ok = lang.pick("正常", "ok");
    let list = |items: &[String]| {
        if items.is_empty() {
            ok.to_string()
        } else {
            items.join("\n  ")
        }
    };
    writeln!(
        out,
        "{}: {}",
        lang.pick("完整性", "integrity"),
        list(&r.integrity)
    )?;
    writeln!(
        out,
        "{}: {}",
        lang.pick("外键", "foreign keys"),
        list(&r.foreign_keys)
    )?;
    let version_note = if r.version < r.supported && r.version > 0 {
        lang.pick(
            "（较旧：yujing admin upgrade 可升级）",
            " (older: `yujing admin upgrade` upgrades it)",
        )
    } else {
        ""
    };
    writeln!(
        out,
        "{}: {} / {}{version_note}",
        lang.pick("结构版本", "schema version"),
        r.version,
        r.supported
    )?;
    for p in &r.problems {
        writeln!(out, "{}: {p}", lang.pick("问题", "problem"))?;
    }
    if r.damaged() {
        eprintln!(
            "yujing: {}",
            lang.pick(
                &format!(
                    "{}: 检查未通过：请从备份恢复（yujing restore FILE）",
                    path.display()
                ),
                &format!(
                    "{}: check failed: restore from a backup (yujing restore FILE)",
                    path.display()
                )
            )
        );
        return Ok(ExitCode::FAILURE);
    }
    writeln!(out, "{}: {ok}", path.display())?;
    Ok(ExitCode::SUCCESS)
}
