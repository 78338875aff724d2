//! `yujing schedule add|list|cancel`: obligations a counsellor sets up by hand.

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::db::Db;
use crate::i18n::{self, Msg};
use crate::model::Cadence;
use crate::model::{Schedule, Source};
use crate::os::real_login as login;
use crate::schedule::parse_date_input;

use super::log::{parse_kind, parse_role};
use super::{Ctx, ListFormat, output};

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Add a schedule and say what was added (`--format json`: its id).
    Add {
        /// The student's id (学号).
        student_id: String,
        /// What is due: talk, parent-contact, notice-delivered, receipt-returned, study-plan,
        /// tutoring, other.
        #[arg(long)]
        kind: String,
        /// weekly, monthly, days:N, term:K (at least K in a term), once:N (due N days after
        /// --from), or as views show them: 每周, 每14天, every 14 days …
        #[arg(long)]
        every: String,
        /// First day: YYYY-MM-DD, or today, tomorrow, +3d, +1w, mon … sun, 周一 … 周日.
        #[arg(long)]
        from: String,
        /// Last day (default: open-ended): YYYY-MM-DD, or today, +30d, +4w, fri, 周五 ….
        #[arg(long)]
        until: Option<String>,
        /// Who carries it out: class-teacher, counsellor, league-secretary, deputy-secretary,
        /// helper, psych, leader.
        #[arg(long)]
        role: Option<String>,
        /// What it is for.
        #[arg(long)]
        note: Option<String>,
        /// table: a sentence saying what was added; json: {"schedule_id", "student_id"}.
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// List the schedules in force (one student's, or everyone's).
    List {
        /// Only this student's (default: everyone's).
        student_id: Option<String>,
    },
    /// Cancel a schedule (kept in the database, marked cancelled).
    Cancel {
        /// The schedule's number, as `schedule list` shows it.
        id: i64,
    },
}

/// Prints what was done to schedule `s` (number `id`): `msg` filled with the number, the
/// student's name and id, what the schedule asks for, and `extra`.
fn say(
    db: &Db,
    lang: i18n::Lang,
    msg: Msg,
    id: i64,
    s: &Schedule,
    extra: &[(&str, &str)],
) -> anyhow::Result<()> {
    let name = db.student_name(&s.student_id)?;
    let (id, student, what) = (
        id.to_string(),
        i18n::student(&name, &s.student_id),
        i18n::obligation(lang, s),
    );
    let mut values = vec![
        ("id", id.as_str()),
        ("student", student.as_str()),
        ("what", what.as_str()),
    ];
    values.extend_from_slice(extra);
    println!("{}", msg.fill(lang, &values));
    Ok(())
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let lang = ctx.lang;
    match c {
        Cmd::Add {
            student_id,
            kind,
            every,
            from,
            until,
            role,
            note,
            format,
        } => {
            let student_id = student_id.trim().to_string();
            if db.student(&student_id)?.is_none() {
                bail!("{}", Msg::UnknownStudent.fill(lang, &[("id", &student_id)]));
            }
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
                bail!("{}", Msg::UntilBeforeFrom.text(lang));
            }
            let s = Schedule {
                id: 0,
                student_id,
                kind,
                role,
                cadence,
                from,
                until,
                source: Source::Manual,
                note: note.unwrap_or_default(),
                ended: None,
            };
            let id = db.add_schedule(&s, &login(), ctx.now())?;
            if format == ListFormat::Json {
                let out = serde_json::json!({ "schedule_id": id, "student_id": s.student_id });
                println!("{out}");
            } else {
                let cadence = i18n::cadence(lang, s.cadence);
                let from = s.from.to_string();
                let extra = [("cadence", cadence.as_str()), ("from", from.as_str())];
                say(&db, lang, Msg::ScheduleAdded, id, &s, &extra)?;
            }
        }
        Cmd::List { student_id } => {
            if let Some(id) = &student_id
                && db.student(id)?.is_none()
            {
                bail!("{}", Msg::UnknownStudent.fill(lang, &[("id", id)]));
            }
            let scope = ctx.scope(&db)?;
            if let Some(id) = &student_id {
                scope.require(id, lang)?;
            }
            let mut rows: Vec<Vec<String>> = Vec::new();
            let mut schedules = db.schedules(student_id.as_deref())?;
            scope.retain(&mut schedules, |s| &s.student_id);
            crate::app::agenda::localise_notes(&db, &mut schedules, lang);
            for s in schedules {
                let name = db.student_name(&s.student_id)?;
                rows.push(vec![
                    s.id.to_string(),
                    s.student_id.clone(),
                    crate::text::sanitize(&name).into_owned(),
                    i18n::kind(lang, s.kind).to_string(),
                    s.role.map_or("", |r| i18n::role(lang, r)).to_string(),
                    i18n::cadence(lang, s.cadence),
                    s.from.to_string(),
                    s.until.map(|d| d.to_string()).unwrap_or_default(),
                    crate::text::sanitize(&s.note).into_owned(),
                    s.ended.map_or_else(String::new, |e| {
                        format!(
                            "{} {} ({})",
                            Msg::Ended.text(lang),
                            e.on,
                            e.change.label(lang)
                        )
                    }),
                ]);
            }
            let header = i18n::headers(
                lang,
                &[
                    Msg::ColScheduleId,
                    Msg::ColStudent,
                    Msg::ColName,
                    Msg::ColKind,
                    Msg::ColRole,
                    Msg::ColCadence,
                    Msg::ColFrom,
                    Msg::ColUntil,
                    Msg::ColNote,
                    Msg::ColState,
                ],
            );
            output::table(&mut std::io::stdout().lock(), &header, &rows)?;
        }
        Cmd::Cancel { id } => {
            let found = db.schedules(None)?.into_iter().find(|s| s.id == id);
            let cancelled = found.is_some() && db.cancel_schedule(id, ctx.now())?;
            let Some(s) = found.filter(|_| cancelled) else {
                bail!(
                    "{}",
                    Msg::NoScheduleInForce.fill(lang, &[("id", &id.to_string())])
                );
            };
            say(&db, lang, Msg::ScheduleCancelled, id, &s, &[])?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
