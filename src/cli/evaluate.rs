//! `yujing evaluate`: every student's tier for a term, with reasons. Read-only.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::app::assess::{Roster, assess_cached, resolve_policy};
use crate::locale::Lang;
use crate::policy::explain::{reason_line, reason_summary};
use crate::policy::{Evaluation, Policy, Reason};

use super::{Ctx, Format, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Table only: list students with no warning too.
    #[arg(long)]
    pub all: bool,
    /// Table only: under each student, every reason with the seed's words and each course's
    /// sittings (高等数学 4学分: 2023-2024-1 正考 40, 补考 缺考; 2024-2025-1 重修 50).
    #[arg(long, short)]
    pub verbose: bool,
    /// What-if: list the students this second policy (preset id or file) warns differently.
    #[arg(long, value_name = "ID|FILE")]
    pub compare: Option<String>,
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
    provisional: bool,
    pending: &'a [crate::policy::CourseRef],
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
        .map(|s| p.status_name(s, lang).unwrap_or(s))
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
    if let Some(b) = &a.compare {
        return super::compare::run(ctx, b, a.format);
    }
    let db = ctx.open_db_read()?;
    let scope = ctx.scope(&db)?;
    if let Some(names) = scope.names_only() {
        return write_names(names, a.format, ctx.lang);
    }
    let policy = resolve_policy(&db, ctx.policy.as_deref())?;
    let term = ctx.term_in(&db)?;
    let roster = assess_cached(&db, policy, term, &scope)?;
    warn_unseen(&roster, ctx.lang);
    let _span = tracing::debug_span!("write", format = ?a.format).entered();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        Format::Json => write_json(&mut out, &roster, ctx.lang)?,
        Format::Csv => write_csv(&mut out, &roster, ctx.lang)?,
        Format::Table => write_table(&mut out, &roster, ctx.lang, a.all, a.verbose)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The registrar's roster: ids and names only, no tier, reason or contact.
fn write_names(names: &[(String, String)], format: Format, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let h = output::header(lang, &[("学号", "id"), ("姓名", "name")]);
    let rows: Vec<Vec<String>> = names
        .iter()
        .map(|(id, name)| vec![id.clone(), crate::text::sanitize(name).into_owned()])
        .collect();
    match format {
        Format::Json => {
            let v: Vec<_> = names
                .iter()
                .map(|(id, name)| serde_json::json!({ "student_id": id, "name": name }))
                .collect();
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Csv => output::csv(&mut out, &h, &rows)?,
        Format::Table => output::table(&mut out, &h, &rows)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Says once, on standard error, how many courses a rule of the policy could not see (no
/// 课程性质 or an unmapped one, no 考核方式): today those rules would silently never fire.
pub fn warn_unseen(r: &Roster, lang: Lang) {
    if let Some(line) = unseen_line(r, lang) {
        eprintln!("yujing: {line}");
    }
}

/// The unseen-courses warning, shared with the TUI's status line.
pub fn unseen_line(r: &Roster, lang: Lang) -> Option<String> {
    let (nature, assessment) = r.rows.iter().fold((0u64, 0u64), |(n, a), (_, e)| {
        (
            n + u64::from(e.unseen.nature),
            a + u64::from(e.unseen.assessment),
        )
    });
    let mut parts = Vec::new();
    if nature > 0 {
        parts.push(match lang {
            Lang::Zh => format!("{nature} 门次课程没有可识别的课程性质（用 yujing nature list / nature map 补充）"),
            Lang::En => format!("{nature} course entries have no nature the rules can read (see yujing nature list / nature map)"),
        });
    }
    if assessment > 0 {
        parts.push(match lang {
            Lang::Zh => format!("{assessment} 门次课程没有考核方式"),
            Lang::En => format!("{assessment} course entries have no assessment (考核方式)"),
        });
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{}{}",
            parts.join(lang.pick("；", "; ")),
            lang.pick(
                "：本政策中按课程性质或考核方式筛选的规则看不到这些课程",
                ": the policy's rules that filter on nature or assessment cannot see them",
            )
        )
    })
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
            provisional: e.provisional,
            pending: &e.pending,
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
    h.push(lang.pick("条款原文", "seed_words"));
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|(s, e)| {
            let mut c = cells(r, s, e, lang, true);
            c.insert(3, e.tier.clone().unwrap_or_default());
            c.insert(5, e.severity.to_string());
            let words: Vec<&str> = e
                .reasons
                .iter()
                .chain(&e.status_reasons)
                .map(|r| r.note.as_str())
                .filter(|n| !n.is_empty())
                .collect();
            c.push(words.join(" | "));
            c
        })
        .collect();
    output::csv(out, &h, &rows)
}

fn write_table(
    out: &mut impl Write,
    r: &Roster,
    lang: Lang,
    all: bool,
    verbose: bool,
) -> anyhow::Result<()> {
    let order = r.listed(all);
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
    if !verbose {
        output::table(out, &header(lang), &rows)?;
        return Ok(());
    }
    // Verbose: each student's row, then every reason with the seed's words and the sittings.
    for ((_, e), row) in order.iter().zip(rows) {
        output::table(out, &header(lang), &[row])?;
        for reason in e.reasons.iter().chain(&e.status_reasons) {
            writeln!(
                out,
                "  - {}",
                crate::text::sanitize(&reason_line(reason, lang))
            )?;
            for d in crate::policy::explain::reason_details(reason, lang) {
                writeln!(out, "      {}", crate::text::sanitize(&d))?;
            }
        }
        for p in &e.pending {
            writeln!(
                out,
                "  ? {}{}",
                lang.pick(
                    "结果未出（本次评估为暂定）：",
                    "result not in (provisional): "
                ),
                crate::text::sanitize(&crate::policy::explain::course_sittings(p, lang))
            )?;
        }
        writeln!(out)?;
    }
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
