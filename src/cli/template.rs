//! `yujing template export DIR` / `template import DIR`: the notice, parent copy, talk record
//! and study plan templates as text files a school edits, stored in the database so every
//! counsellor using it prints the same forms.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::os::real_login as login;
use crate::outfile::{self, Rules};
use crate::paper::{self, Set, template};

use super::Ctx;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Write the templates in force (the school's, else the preset's) as NAME.txt files.
    Export {
        dir: PathBuf,
        /// A preset's built-in templates instead (a start for a policy of your own).
        #[arg(long, value_name = "ID")]
        preset: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Store DIR's NAME.txt files as this database's templates (replacing earlier ones).
    Import { dir: PathBuf },
}

const FIELDS_FILE: &str = "字段说明-fields.md";

fn fields_help() -> String {
    let mut s = String::from(
        "# 模板字段 / template fields\n\n文件：notice（学生通知书）、parent（家长联与回执）、record（谈话记录表）、plan（学习计划）；\n\
         NAME.TIER.txt（如 notice.red.txt）只用于该等级；空文件表示该等级没有这一联。\n\n\
         标记：`# 标题` 居中加粗；`> 文字` 右对齐；`| 甲 | 乙 |` 表格一行；单独一行 `---` 剪开虚线；`===` 分页；\n\
         只有一个列表字段的一行按条目重复。\n\n",
    );
    for (f, what) in template::FIELDS {
        s.push_str(&format!("- `{{{{{f}}}}}`：{what}\n"));
    }
    s
}

/// A text file as a Windows editor may save it: UTF-8 (with or without BOM), else GB18030.
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = crate::os::as_user(|| std::fs::read(path))
        .with_context(|| format!("{}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.replace("\r\n", "\n")),
        Err(_) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                bail!("{}: neither UTF-8 nor GBK text", path.display());
            }
            Ok(s.replace("\r\n", "\n"))
        }
    }
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    match c {
        Cmd::Export { dir, preset, force } => {
            let db = ctx.open_db()?;
            let set = match &preset {
                Some(id) => {
                    paper::builtin(id).with_context(|| {
                        format!("'{id}' is not a preset (hljjz, qzu, lut-life, hntou)")
                    })?;
                    Set::new(id, Vec::new())
                }
                None => {
                    let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
                    Set::new(&policy.id, db.school_templates(&policy.id)?)
                }
            };
            if !dir.is_dir() {
                bail!("{}: not a folder", dir.display());
            }
            let rules = Rules {
                force,
                database: Some(&ctx.db_path),
            };
            let mut files: Vec<(PathBuf, String)> = set
                .texts
                .iter()
                .map(|(k, v)| (dir.join(format!("{k}.txt")), v.clone()))
                .collect();
            files.push((dir.join(FIELDS_FILE), fields_help()));
            for (f, _) in &files {
                outfile::check(f, rules)?;
            }
            for (f, text) in &files {
                println!("{}", outfile::write(f, rules, text.as_bytes())?.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Import { dir } => {
            let mut db = ctx.open_db()?;
            let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
            let mut items = Vec::new();
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
                .with_context(|| format!("{}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            entries.sort();
            for path in entries {
                let key = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .with_context(|| format!("{}: not a UTF-8 file name", path.display()))?
                    .to_string();
                paper::check_key(&key, &policy)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let text = read_text(&path)?;
                template::check(&path.display().to_string(), &text)?;
                items.push((key, text));
            }
            if items.is_empty() {
                bail!(
                    "{}: no NAME.txt templates found (notice, parent, record, plan)",
                    dir.display()
                );
            }
            db.replace_templates(&policy.id, &items, &login(), ctx.now())?;
            println!(
                "{}",
                ctx.lang.pick(
                    &format!("已导入 {} 个模板（策略 {}）", items.len(), policy.id),
                    &format!(
                        "{} templates imported for policy {}",
                        items.len(),
                        policy.id
                    )
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
