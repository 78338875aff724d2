//! `yujing schedule add|list|cancel`: obligations a counsellor sets up by hand.

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::followup::{Schedule, Source, login};
use crate::schedule::{Cadence, parse_date_input};

use super::log::{now, parse_kind, parse_role};
use super::{Ctx, output};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Add a schedule; prints its id.
    Add {
        student_id: String,
        #[arg(long)]
        kind: String,
        /// weekly, monthly, days:N, term:K (at least K in a term), once:N (due N days after --from)
        #[arg(long)]
        every: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// What it is for.
        #[arg(long)]
        note: Option<String>,
    },
    /// List the schedules in force (one student's, or everyone's).
    List { student_id: Option<String> },
    /// Cancel a schedule (kept in the database, marked cancelled).
    Cancel { id: i64 },
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    match c {
        Cmd::Add {
            student_id,
            kind,
            every,
            from,
            until,
            role,
            note,
        } => {
            let kind = parse_kind(&kind)?;
            let role = parse_role(role.as_deref())?;
            let cadence: Cadence = every
                .parse()
                .with_context(|| format!("--every '{every}'"))?;
            let from =
                parse_date_input(&from, ctx.today).with_context(|| format!("--from '{from}'"))?;
            let until = until
                .map(|u| parse_date_input(&u, ctx.today).with_context(|| format!("--until '{u}'")))
                .transpose()?;
            if until.is_some_and(|u| u < from) {
                bail!("--until is before --from");
            }
            let s = Schedule {
                id: 0,
                student_id: student_id.trim().to_string(),
                kind,
                role,
                cadence,
                from,
                until,
                source: Source::Manual,
                note: note.unwrap_or_default(),
                ended: None,
            };
            let id = db.add_schedule(&s, &login(), now(ctx))?;
            println!("{id}");
        }
        Cmd::List { student_id } => {
            let lang = ctx.lang;
            let rows: Vec<Vec<String>> = db
                .schedules(student_id.as_deref())?
                .into_iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.student_id,
                        s.kind.id().to_string(),
                        s.role.map_or("", |r| r.id()).to_string(),
                        s.cadence.to_string(),
                        s.from.to_string(),
                        s.until.map(|d| d.to_string()).unwrap_or_default(),
                        crate::text::sanitize(&s.note).into_owned(),
                        s.ended.map_or_else(String::new, |e| {
                            format!(
                                "{} {} ({})",
                                lang.pick("已结束", "ended"),
                                e.on,
                                e.change.id()
                            )
                        }),
                    ]
                })
                .collect();
            let header = output::header(
                lang,
                &[
                    ("编号", "id"),
                    ("学号", "student"),
                    ("类型", "kind"),
                    ("角色", "role"),
                    ("频次", "cadence"),
                    ("开始", "from"),
                    ("结束", "until"),
                    ("说明", "note"),
                    ("状态", "state"),
                ],
            );
            output::table(&mut std::io::stdout().lock(), &header, &rows)?;
        }
        Cmd::Cancel { id } => {
            if !db.cancel_schedule(id, now(ctx))? {
                bail!("no schedule {id} in force");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
