//! `yujing exempt add|list|lift`: a warned student exempted for a term (休学, exchange …);
//! the warning stays in history, its obligations stop.

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::model::{ExemptReason, Exemption};

use crate::model::Term;
use crate::os::real_login as login;
use crate::schedule::parse_date_input;

use super::log::now;
use super::{Ctx, output};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Exempt a student for a term (needs --term).
    Add {
        student_id: String,
        /// leave (休学), exchange, transfer (转专业 course substitution), other
        #[arg(long)]
        reason: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        until: Option<String>,
    },
    List,
    Lift {
        id: i64,
    },
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let lang = ctx.lang;
    match c {
        Cmd::Add {
            student_id,
            reason,
            note,
            until,
        } => {
            let term: Term = match &ctx.term {
                Some(t) => t.parse()?,
                None => crate::app::assess::resolve_term(&db, None)?,
            };
            let reason_kind: ExemptReason = reason
                .parse()
                .map_err(anyhow::Error::msg)
                .context("--reason")?;
            let until = until
                .map(|u| parse_date_input(&u, ctx.today).with_context(|| format!("--until '{u}'")))
                .transpose()?;
            let student_id = student_id.trim().to_string();
            if let Some(dup) = db
                .exemptions()?
                .into_iter()
                .find(|x| x.student_id == student_id && x.term == term && x.active(ctx.today))
            {
                bail!(
                    "student {student_id} is already exempt for {term} (exemption {}, by {}): nothing written",
                    dup.id,
                    crate::text::sanitize(&dup.by)
                );
            }
            let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
            let roster = crate::app::assess::assess(&db, policy, term)?;
            match roster.rows.iter().find(|(s, _)| s.student_id == student_id) {
                None => bail!("unknown student id '{student_id}' (not in the student roster)"),
                Some((_, e)) if e.tier.is_none() && e.status.is_empty() => bail!(
                    "student {student_id} is not warned for {term} (policy {}): there is nothing to exempt; nothing written",
                    roster.policy.id
                ),
                Some(_) => {}
            }
            let e = Exemption {
                id: 0,
                student_id,
                term,
                reason_kind,
                reason: note.unwrap_or_default(),
                by: login(),
                until,
                created_at: now(ctx),
                lifted_at: None,
            };
            println!("{}", db.add_exemption(&e)?);
        }
        Cmd::List => {
            let mut exemptions = db.exemptions()?;
            ctx.scope(&db)?.retain(&mut exemptions, |e| &e.student_id);
            let rows: Vec<Vec<String>> = exemptions
                .into_iter()
                .map(|e| {
                    vec![
                        e.id.to_string(),
                        e.student_id.clone(),
                        e.term.to_string(),
                        e.reason_kind.label(lang).to_string(),
                        crate::text::sanitize(&e.reason).into_owned(),
                        e.by.clone(),
                        e.until.map(|d| d.to_string()).unwrap_or_default(),
                        if e.active(ctx.today) {
                            lang.pick("有效", "active")
                        } else {
                            lang.pick("已解除", "lifted")
                        }
                        .to_string(),
                    ]
                })
                .collect();
            let header = output::header(
                lang,
                &[
                    ("编号", "id"),
                    ("学号", "student"),
                    ("学期", "term"),
                    ("原因", "reason"),
                    ("说明", "note"),
                    ("操作人", "by"),
                    ("截至", "until"),
                    ("状态", "state"),
                ],
            );
            output::table(&mut std::io::stdout().lock(), &header, &rows)?;
        }
        Cmd::Lift { id } => {
            if !db.lift_exemption(id, now(ctx))? {
                bail!("no exemption {id} in force");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
