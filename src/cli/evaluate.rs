//! `yujing evaluate`: every student's tier for a term, with reasons. Read-only.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::locale::Lang;
use crate::policy::explain::{reason_line, reason_summary};
use crate::policy::{Evaluation, Policy, Reason};
use crate::roster::{Roster, assess, resolve_policy, resolve_term};

use super::{Ctx, Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Table only: list students with no warning too.
    #[arg(long)]
    pub all: bool,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    student_id: &'a str,
    name: &'a str,
    class: &'a str,
    term: String,
    tier: Option<&'a str>,
    tier_label: Option<&'a str>,
    severity: u32,
    status: &'a [String],
    carried: bool,
    reasons: &'a [Reason],
    status_reasons: &'a [Reason],
}

fn tier_label<'p>(p: &'p Policy, e: &Evaluation, lang: Lang) -> Option<&'p str> {
    e.tier_index
        .map(|i| lang.pick(&p.tiers[i].zh, &p.tiers[i].en))
}

fn status_label(p: &Policy, e: &Evaluation, lang: Lang) -> String {
    e.status
        .iter()
        .map(|s| {
            p.status
                .iter()
                .find(|r| &r.id == s)
                .map_or(s.as_str(), |r| lang.pick(&r.zh, &r.en))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every reason with its courses (CSV), or the winning tier's and status conditions alone
/// (the table, where courses would not fit).
fn reasons_text(e: &Evaluation, lang: Lang, full: bool) -> String {
    let shown = e
        .reasons
        .iter()
        .filter(|r| full || e.tier.as_deref() == Some(r.tier.as_str()))
        .chain(&e.status_reasons);
    let line = if full { reason_line } else { reason_summary };
    shown.map(|r| line(r, lang)).collect::<Vec<_>>().join(" | ")
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let policy = resolve_policy(&db, ctx.policy.as_deref())?;
    let term = resolve_term(&db, ctx.term.as_deref())?;
    let mut roster = assess(&db, policy, term)?;
    let scope = ctx.scope(&db)?;
    scope.retain(&mut roster.rows, |(s, _)| &s.student_id);
    for (s, e) in &mut roster.rows {
        if !scope.reads_confidential(&s.student_id) {
            crate::app::access::mask_psych(e);
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        Format::Json => write_json(&mut out, &roster, ctx.lang)?,
        Format::Csv => write_csv(&mut out, &roster, ctx.lang)?,
        Format::Table => write_table(&mut out, &roster, ctx.lang, a.all)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_json(out: &mut impl Write, r: &Roster, lang: Lang) -> anyhow::Result<()> {
    let rows: Vec<JsonRow> = r
        .rows
        .iter()
        .map(|(s, e)| JsonRow {
            student_id: &s.student_id,
            name: &s.name,
            class: &s.class,
            term: e.term.to_string(),
            tier: e.tier.as_deref(),
            tier_label: tier_label(&r.policy, e, lang),
            severity: e.severity,
            status: &e.status,
            carried: e.carried,
            reasons: &e.reasons,
            status_reasons: &e.status_reasons,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)?;
    Ok(())
}

fn header(lang: Lang) -> Vec<&'static str> {
    output::header(
        lang,
        &[
            ("学号", "id"),
            ("姓名", "name"),
            ("班级", "class"),
            ("预警", "tier"),
            ("状态", "status"),
            ("原因", "reasons"),
        ],
    )
}

fn cells(
    r: &Roster,
    s: &crate::model::Student,
    e: &Evaluation,
    lang: Lang,
    full: bool,
) -> Vec<String> {
    vec![
        s.student_id.clone(),
        crate::text::sanitize(&s.name).into_owned(),
        crate::text::sanitize(&s.class).into_owned(),
        tier_label(&r.policy, e, lang).unwrap_or("").to_string(),
        status_label(&r.policy, e, lang),
        reasons_text(e, lang, full),
    ]
}

fn write_csv(out: &mut impl Write, r: &Roster, lang: Lang) -> anyhow::Result<()> {
    let mut h = header(lang);
    h.insert(3, lang.pick("预警级别", "tier_id"));
    h.insert(5, lang.pick("严重程度", "severity"));
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|(s, e)| {
            let mut c = cells(r, s, e, lang, true);
            c.insert(3, e.tier.clone().unwrap_or_default());
            c.insert(5, e.severity.to_string());
            c
        })
        .collect();
    output::csv(out, &h, &rows)
}

fn write_table(out: &mut impl Write, r: &Roster, lang: Lang, all: bool) -> anyhow::Result<()> {
    let mut order: Vec<&(crate::model::Student, Evaluation)> = r
        .rows
        .iter()
        .filter(|(_, e)| all || e.severity > 0 || !e.status.is_empty())
        .collect();
    order.sort_by(|(a, x), (b, y)| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| a.class.cmp(&b.class))
            .then_with(|| a.student_id.cmp(&b.student_id))
    });
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|(s, e)| cells(r, s, e, lang, false))
        .collect();
    writeln!(
        out,
        "{} · {} · {}",
        lang.pick(&r.policy.name_zh, &r.policy.name_en),
        r.term,
        counts(r, lang)
    )?;
    output::table(out, &header(lang), &rows)?;
    Ok(())
}

/// `全部 639 · 红色预警 39 · …`, most severe first.
pub fn counts(r: &Roster, lang: Lang) -> String {
    let mut parts = vec![format!("{} {}", lang.pick("全部", "all"), r.rows.len())];
    for (i, t) in r.policy.tiers.iter().enumerate().rev() {
        let n = r
            .rows
            .iter()
            .filter(|(_, e)| e.tier_index == Some(i))
            .count();
        parts.push(format!("{} {n}", lang.pick(&t.zh, &t.en)));
    }
    parts.join(" · ")
}
