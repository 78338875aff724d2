//! `yujing policy list|show|check|use`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::policy::presets::{PRESETS, parse, preset_text};
use crate::policy_file::{read, resolve};

use super::Ctx;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// The built-in presets and the database's current policy.
    List,
    /// Print a policy as TOML (save it, edit it, pass it back as a file).
    Show { id: String },
    /// Check a policy file; errors name the line.
    Check { file: PathBuf },
    /// Make a preset or a policy file the database's policy (a copy of the text is kept).
    Use { id_or_file: String },
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    match c {
        Cmd::List => {
            let current = if ctx.db_path.exists() {
                ctx.open_db()?.policy()?.map(|(id, _)| id)
            } else {
                None
            };
            for (id, text) in PRESETS {
                let p = parse(text, id)?;
                let mark = if current.as_deref() == Some(*id) {
                    "*"
                } else {
                    " "
                };
                let tiers: Vec<&str> = p.tiers.iter().map(|t| lang.pick(&t.zh, &t.en)).collect();
                println!(
                    "{mark} {id:<9} {}  [{}]",
                    lang.pick(&p.name_zh, &p.name_en),
                    tiers.join(" < ")
                );
            }
            if let Some(c) = current.filter(|c| preset_text(c).is_none()) {
                println!(
                    "* {c:<9} {}",
                    lang.pick(
                        "（数据库中的自定义策略）",
                        "(custom policy stored in the database)"
                    )
                );
            }
        }
        Cmd::Show { id } => {
            let text = match preset_text(&id) {
                Some(t) => t.to_string(),
                None => {
                    let db = ctx.open_db()?;
                    match db.policy()? {
                        Some((cur, text)) if cur == id => text,
                        _ => resolve(&id)?.1,
                    }
                }
            };
            print!("{text}");
        }
        Cmd::Check { file } => {
            let text = read(&file)?;
            let p = parse(&text, &file.display().to_string())?;
            println!(
                "{}: ok — {} ({} {}, {} {})",
                file.display(),
                p.id,
                p.tiers.len(),
                lang.pick("个等级", "tiers"),
                p.followups.len(),
                lang.pick("项跟进要求", "follow-ups")
            );
        }
        Cmd::Use { id_or_file } => {
            let (p, text) = resolve(&id_or_file)?;
            let mut db = ctx.open_db()?;
            db.set_policy(&p.id, &text)?;
            crate::app::assess::warm_cache(&mut db);
            println!(
                "{}",
                lang.pick(
                    &format!(
                        "数据库 {} 现在使用策略 {}（{}）",
                        ctx.db_path.display(),
                        p.id,
                        p.name_zh
                    ),
                    &format!(
                        "database {} now uses policy {} ({})",
                        ctx.db_path.display(),
                        p.id,
                        p.name_en
                    )
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
