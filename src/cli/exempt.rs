//! `yujing exempt add|list|lift`: a warned student exempted for a term (休学, exchange …);
//! the warning stays in history, its obligations stop.

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::i18n::{self, Msg};
use crate::model::Term;
use crate::model::{ExemptReason, Exemption};
use crate::os::real_login as login;
use crate::schedule::parse_date_input;

use super::{Ctx, ListFormat, output};

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
        /// table: a sentence saying what was added; json: {"exemption_id", "student_id", "term"}.
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
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
            format,
        } => {
            let term: Term = match &ctx.term {
                Some(t) => t.parse()?,
                None => ctx.term_in(&db)?,
            };
            let ids: Vec<&str> = ExemptReason::ALL.iter().map(|r| r.id()).collect();
            let reason_kind: ExemptReason = super::log::one_of("--reason", &reason, &ids, lang)?;
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
                    "{}",
                    Msg::AlreadyExempt.fill(
                        lang,
                        &[
                            ("student", &student_id),
                            ("term", &term.to_string()),
                            ("id", &dup.id.to_string()),
                            ("by", &crate::text::sanitize(&dup.by)),
                        ]
                    )
                );
            }
            let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
            // One student's evaluation, not the whole roster's.
            let (Some(student), Some(facts)) = (
                db.student(&student_id)?,
                db.load_student_facts(&student_id, term)?,
            ) else {
                bail!("{}", Msg::NotInRoster.fill(lang, &[("id", &student_id)]));
            };
            let e = crate::policy::evaluate(&policy, &facts, term);
            if e.tier.is_none() && e.status.is_empty() {
                bail!(
                    "{}",
                    Msg::NotWarned.fill(
                        lang,
                        &[
                            ("student", &student_id),
                            ("term", &term.to_string()),
                            ("policy", &policy.id),
                        ]
                    )
                );
            }
            let name = student.name;
            let e = Exemption {
                id: 0,
                student_id,
                term,
                reason_kind,
                reason: note.unwrap_or_default(),
                by: login(),
                until,
                created_at: ctx.now(),
                lifted_at: None,
            };
            let id = db.add_exemption(&e)?;
            if format == ListFormat::Json {
                let out = serde_json::json!({
                    "exemption_id": id,
                    "student_id": e.student_id,
                    "term": e.term.to_string(),
                });
                println!("{out}");
            } else {
                println!(
                    "{}",
                    Msg::ExemptAdded.fill(
                        lang,
                        &[
                            ("student", &i18n::student(&name, &e.student_id)),
                            ("term", &e.term.to_string()),
                            ("id", &id.to_string()),
                            ("reason", e.reason_kind.label(lang)),
                        ]
                    )
                );
            }
        }
        Cmd::List => {
            let mut exemptions = db.exemptions()?;
            ctx.scope(&db)?.retain(&mut exemptions, |e| &e.student_id);
            let mut rows: Vec<Vec<String>> = Vec::new();
            for e in exemptions {
                let name = db.student_name(&e.student_id)?;
                rows.push(vec![
                    e.id.to_string(),
                    e.student_id.clone(),
                    crate::text::sanitize(&name).into_owned(),
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
                ]);
            }
            let header = output::header(
                lang,
                &[
                    ("编号", "id"),
                    ("学号", "student"),
                    ("姓名", "name"),
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
            let found = db.exemptions()?.into_iter().find(|e| e.id == id);
            let lifted = found.is_some() && db.lift_exemption(id, ctx.now())?;
            let Some(e) = found.filter(|_| lifted) else {
                bail!(
                    "{}",
                    Msg::NoExemptionInForce.fill(lang, &[("id", &id.to_string())])
                );
            };
            let name = db.student_name(&e.student_id)?;
            println!(
                "{}",
                Msg::ExemptLifted.fill(
                    lang,
                    &[
                        ("student", &i18n::student(&name, &e.student_id)),
                        ("term", &e.term.to_string()),
                        ("id", &id.to_string()),
                    ]
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
