//! `yujing course clear|restore|list`: a counsellor clears an outstanding course by hand (a
//! course replaced after a programme revision, a failed elective made up by another). The
//! clearance is recorded with who and when, shown in reasons, and undone with `restore`;
//! nothing is deleted.

use std::process::ExitCode;

use crate::locale::Lang;

use super::{Ctx, output};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Count an outstanding course as passed, with the reason.
    Clear {
        /// Student id (学号).
        student: String,
        /// Course code (课程代码).
        code: String,
        /// Why (e.g. 培养方案调整，以 B000999 替代).
        #[arg(long)]
        reason: String,
    },
    /// Undo a clearance: the course counts as it did before.
    Restore { student: String, code: String },
    /// Every clearance, restored ones too.
    List { student: Option<String> },
}

fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    match c {
        Cmd::Clear {
            student,
            code,
            reason,
        } => {
            let reason = reason.trim();
            anyhow::ensure!(
                !reason.is_empty() && reason.chars().count() <= 4000,
                "{}",
                lang.pick(
                    "--reason 不能为空，也不能超过 4000 个字符",
                    "--reason must be 1 to 4,000 characters"
                )
            );
            let mut db = ctx.open_db()?;
            match db.clear_course(&student, &code, reason, &crate::os::real_login(), &now())? {
                Ok(id) => println!(
                    "{}",
                    match lang {
                        Lang::Zh =>
                            format!("已清除 {student} 的课程 {code}（#{id}）：不再计为不及格"),
                        Lang::En => format!(
                            "cleared course {code} of {student} (#{id}): no longer counted as failed"
                        ),
                    }
                ),
                Err(why) => anyhow::bail!(why),
            }
        }
        Cmd::Restore { student, code } => {
            let mut db = ctx.open_db()?;
            match db.restore_course(&student, &code, &crate::os::real_login(), &now())? {
                Some(id) => println!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("已撤销清除 #{id}：{student} 的课程 {code} 按成绩计"),
                        Lang::En => format!(
                            "restored #{id}: course {code} of {student} counts by its results again"
                        ),
                    }
                ),
                None => anyhow::bail!(
                    "{}",
                    match lang {
                        Lang::Zh => format!("{student} 的课程 {code} 没有被清除"),
                        Lang::En => format!("course {code} of {student} is not cleared"),
                    }
                ),
            }
        }
        Cmd::List { student } => {
            let db = ctx.open_db()?;
            let scope = ctx.scope(&db)?;
            if let Some(s) = &student {
                scope.require(s, lang)?;
            }
            let mut clears = db.course_clears(student.as_deref())?;
            scope.retain(&mut clears, |c| &c.student_id);
            let rows: Vec<Vec<String>> = clears
                .into_iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.student_id,
                        c.course_code,
                        crate::text::sanitize(&c.reason).into_owned(),
                        format!("{} {}", c.by, c.at),
                        c.restored
                            .map(|(by, at)| format!("{by} {at}"))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let header = output::header(
                lang,
                &[
                    ("编号", "id"),
                    ("学号", "student"),
                    ("课程代码", "course"),
                    ("原因", "reason"),
                    ("清除", "cleared"),
                    ("撤销", "restored"),
                ],
            );
            output::table(&mut std::io::stdout().lock(), &header, &rows)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
