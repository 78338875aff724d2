//! `yujing report --term T`: the term-end report — of the students warned for T, how many
//! came off the list by the next assessment, how many improved, stayed or got worse, and how
//! the follow-ups went (contacts logged, periods missed).

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::app::lifecycle::{Change, Standing, change_of};
use crate::locale::Lang;
use crate::model::Term;

use super::{Ctx, ListFormat, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compare with this later term (default: the newest term with grades after T).
    #[arg(long, value_name = "TERM")]
    pub against: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Default, Serialize)]
struct Report {
    term: String,
    against: String,
    warned: usize,
    /// Counts by change id (`lifted`, `down`, `same`, `up`, `repeat_year`, `dismissal`,
    /// `exempt`), the same ids `issue` prints.
    lifted: usize,
    down: usize,
    same: usize,
    up: usize,
    repeat_year: usize,
    dismissal: usize,
    exempt: usize,
    contacts: usize,
    missed_periods: u32,
    students: Vec<Line>,
}

#[derive(Debug, Serialize)]
struct Line {
    student_id: String,
    issued: String,
    now: Option<String>,
    change: Change,
    contacts: usize,
    missed: u32,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let term: Term = crate::roster::resolve_term(&db, ctx.term.as_deref())?;
    let mut issued = db.issued_warnings(term)?;
    anyhow::ensure!(
        !issued.is_empty(),
        "no warnings were issued for {term}: `yujing issue --term {term}` first"
    );
    // After the check: a reader who sees none of the warned students gets an empty report.
    ctx.scope(&db)?.retain(&mut issued, |w| &w.student_id);
    let against: Term = match &a.against {
        Some(t) => t.parse()?,
        None => db
            .terms_with_grades()?
            .into_iter()
            .find(|t| *t > term)
            .with_context(|| format!("no grades after {term} yet: import the next term's grades, or pass --against TERM"))?,
    };
    let policy = crate::roster::resolve_policy(&db, ctx.policy.as_deref())?;
    let now: HashMap<String, crate::policy::Evaluation> =
        crate::roster::assess(&db, policy.clone(), against)?
            .rows
            .into_iter()
            .map(|(s, e)| (s.student_id, e))
            .collect();
    let exempt = crate::roster::exempt_today(&db, ctx.today)?;
    let contacts = db.contacts(None, false)?;
    let agenda_all = db.schedules(None)?;
    let (cal, _) = crate::roster::calendar(&db, ctx.today)?;

    let mut r = Report {
        term: term.to_string(),
        against: against.to_string(),
        ..Report::default()
    };
    for w in issued.iter().filter(|w| !w.tier.is_empty()) {
        r.warned += 1;
        let mine: Vec<&crate::followup::Contact> = contacts
            .iter()
            .filter(|c| c.student_id == w.student_id && c.at.date() >= w.issued_on)
            .collect();
        let missed: u32 = agenda_all
            .iter()
            .filter(|s| s.student_id == w.student_id)
            .map(|s| crate::followup::schedule_status(s, &mine, &cal, ctx.today).missed)
            .sum();
        let e = now.get(&w.student_id);
        let issued = Standing {
            tier: w.tier.clone(),
            severity: w.severity,
            status: w.status.clone(),
        };
        let later = e.map(Standing::of).unwrap_or_default();
        let change = change_of(Some(&issued), &later, exempt.contains(&w.student_id))
            .unwrap_or(Change::Lifted);
        *match change {
            Change::Down => &mut r.down,
            Change::Same => &mut r.same,
            Change::Up | Change::New => &mut r.up,
            Change::RepeatYear => &mut r.repeat_year,
            Change::Dismissal => &mut r.dismissal,
            Change::Exempt | Change::Withdrawn => &mut r.exempt,
            Change::Lifted => &mut r.lifted,
        } += 1;
        r.contacts += mine.len();
        r.missed_periods += missed;
        r.students.push(Line {
            student_id: w.student_id.clone(),
            issued: w.tier.clone(),
            now: e.and_then(|e| e.tier.clone()),
            change,
            contacts: mine.len(),
            missed,
        });
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.format == ListFormat::Json {
        serde_json::to_writer_pretty(&mut out, &r)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    write_table(&mut out, &r, ctx.lang)?;
    Ok(ExitCode::SUCCESS)
}

fn write_table(out: &mut impl Write, r: &Report, lang: Lang) -> anyhow::Result<()> {
    let pct = |n: usize| {
        if r.warned == 0 {
            0.0
        } else {
            100.0 * n as f64 / r.warned as f64
        }
    };
    writeln!(
        out,
        "{}",
        lang.pick(
            &format!(
                "{} 学期预警 {} 人，到 {}：解除 {} 人（{:.0}%），减轻 {}，持平 {}，加重 {}，免予 {}；联系 {} 次，漏谈 {} 期",
                r.term, r.warned, r.against, r.lifted, pct(r.lifted), r.down, r.same, r.up, r.exempt, r.contacts, r.missed_periods
            ),
            &format!(
                "{}: {} warned; by {}: {} lifted ({:.0}%), {} down, {} same, {} up, {} exempt; {} contacts logged, {} periods missed",
                r.term, r.warned, r.against, r.lifted, pct(r.lifted), r.down, r.same, r.up, r.exempt, r.contacts, r.missed_periods
            )
        )
    )?;
    let header = output::header(
        lang,
        &[
            ("学号", "student"),
            ("下发", "issued"),
            ("现在", "now"),
            ("变化", "change"),
            ("联系", "contacts"),
            ("漏谈", "missed"),
        ],
    );
    let rows: Vec<Vec<String>> = r
        .students
        .iter()
        .map(|l| {
            vec![
                l.student_id.clone(),
                l.issued.clone(),
                l.now.clone().unwrap_or_default(),
                l.change.id().to_string(),
                l.contacts.to_string(),
                l.missed.to_string(),
            ]
        })
        .collect();
    output::table(out, &header, &rows)?;
    Ok(())
}
