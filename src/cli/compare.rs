//! `yujing evaluate --term T --policy A --compare B`: what-if. Who a second policy (or a
//! second version of one policy file) would warn differently, and which conditions make the
//! difference, before a college adopts it.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::analysis::{Change, compare_tiers};
use crate::app::assess::{assess, resolve_policy};
use crate::locale::Lang;
use crate::model::Student;
use crate::policy::explain::reason_summary;
use crate::policy::{Evaluation, Policy, Reason};

use super::{Ctx, Format, output};

/// A student's standing under one policy.
#[derive(Debug, Serialize)]
struct Side<'a> {
    tier: Option<&'a str>,
    tier_label: Option<&'a str>,
    severity: u32,
    status: &'a [String],
}

#[derive(Debug, Serialize)]
struct Row<'a> {
    student_id: &'a str,
    name: &'a str,
    class: &'a str,
    change: Change,
    a: Side<'a>,
    b: Side<'a>,
    /// Conditions that hold under A and not under B, and the reverse.
    only_a: Vec<&'a Reason>,
    only_b: Vec<&'a Reason>,
}

#[derive(Debug, Serialize)]
struct WhatIf<'a> {
    term: String,
    policy_a: &'a str,
    policy_b: &'a str,
    counts: BTreeMap<&'static str, usize>,
    students: Vec<Row<'a>>,
}

fn side<'a>(p: &'a Policy, e: &'a Evaluation, lang: Lang) -> Side<'a> {
    Side {
        tier: e.tier.as_deref(),
        tier_label: e
            .tier_index
            .map(|i| lang.pick(&p.tiers[i].zh, &p.tiers[i].en)),
        severity: e.severity,
        status: &e.status,
    }
}

/// A condition, apart from the value it found: two reasons with the same key are the same
/// condition holding under both policies.
fn key(r: &Reason) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        r.tier,
        r.metric,
        r.op,
        serde_json::to_string(&r.threshold).unwrap_or_default(),
        r.filters.join(",")
    )
}

fn only<'a>(x: &'a Evaluation, y: &Evaluation) -> Vec<&'a Reason> {
    let theirs: std::collections::HashSet<String> =
        y.reasons.iter().chain(&y.status_reasons).map(key).collect();
    x.reasons
        .iter()
        .chain(&x.status_reasons)
        .filter(|r| !theirs.contains(&key(r)))
        .collect()
}

/// Up, down, new or lifted; a status gained or lost counts as up or down when the tier holds.
fn change(a: &Evaluation, b: &Evaluation) -> Change {
    use crate::app::assess::is_warned;
    match (is_warned(a), is_warned(b)) {
        (false, true) => Change::New,
        (true, false) => Change::Lifted,
        _ => match compare_tiers(a.severity, b.severity) {
            Change::Same if a.status.is_empty() && !b.status.is_empty() => Change::Up,
            Change::Same if !a.status.is_empty() && b.status.is_empty() => Change::Down,
            c => c,
        },
    }
}

fn differs(a: &Evaluation, b: &Evaluation) -> bool {
    a.tier != b.tier || a.status != b.status
}

const COUNTED: [Change; 4] = [Change::Up, Change::Down, Change::New, Change::Lifted];

pub fn run(ctx: &Ctx, b_arg: &str, format: Format) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        format != Format::Csv,
        "--compare prints a table or json (--format table|json)"
    );
    let db = ctx.open_db()?;
    let pa = resolve_policy(&db, ctx.policy.as_deref())?;
    let pb = crate::policy_file::resolve(b_arg)?.0;
    let term = ctx.term_in(&db)?;
    let mut ra = assess(&db, pa, term)?;
    let mut rb = assess(&db, pb, term)?;
    // Both rosters list the same students in the same order, and keep them paired.
    let scope = ctx.scope(&db)?;
    for r in [&mut ra, &mut rb] {
        scope.retain(&mut r.rows, |(s, _)| &s.student_id);
        for (s, e) in &mut r.rows {
            if !scope.reads_confidential(&s.student_id) {
                crate::app::access::mask_psych(e);
            }
        }
    }
    let name_a = ctx.policy.as_deref().unwrap_or(&ra.policy.id);
    let lang = ctx.lang;
    let mut w = WhatIf {
        term: term.to_string(),
        policy_a: name_a,
        policy_b: b_arg,
        counts: COUNTED.iter().map(|c| (c.id(), 0)).collect(),
        students: Vec::new(),
    };
    for ((s, a), (_, b)) in ra.rows.iter().zip(&rb.rows) {
        if !differs(a, b) {
            continue;
        }
        let c = change(a, b);
        *w.counts.entry(c.id()).or_default() += 1;
        w.students
            .push(row(s, a, b, c, (&ra.policy, &rb.policy), lang));
    }
    w.students.sort_by(|x, y| {
        x.change
            .cmp(&y.change)
            .then_with(|| x.class.cmp(y.class))
            .then_with(|| x.student_id.cmp(y.student_id))
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &w)?;
            writeln!(out)?;
        }
        _ => write_table(&mut out, &w, (&ra.policy, &rb.policy), lang)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn row<'a>(
    s: &'a Student,
    a: &'a Evaluation,
    b: &'a Evaluation,
    change: Change,
    (pa, pb): (&'a Policy, &'a Policy),
    lang: Lang,
) -> Row<'a> {
    Row {
        student_id: &s.student_id,
        name: &s.name,
        class: &s.class,
        change,
        a: side(pa, a, lang),
        b: side(pb, b, lang),
        only_a: only(a, b),
        only_b: only(b, a),
    }
}

/// `一级预警: 累计仍不及格门数 2 ≥ 2`: which tier (or status) the condition was for.
fn condition(p: &Policy, r: &Reason, lang: Lang) -> String {
    let owner = p
        .tiers
        .iter()
        .find(|t| t.id == r.tier)
        .map(|t| lang.pick(&t.zh, &t.en))
        .or_else(|| {
            p.status
                .iter()
                .find(|s| s.id == r.tier)
                .map(|s| lang.pick(&s.zh, &s.en))
        })
        .unwrap_or(&r.tier);
    format!("{owner}: {}", reason_summary(r, lang))
}

fn standing(s: &Side) -> String {
    let mut t = s.tier_label.unwrap_or("-").to_string();
    for x in s.status {
        t.push(' ');
        t.push_str(x);
    }
    t
}

fn write_table(
    out: &mut impl Write,
    w: &WhatIf,
    (pa, pb): (&Policy, &Policy),
    lang: Lang,
) -> anyhow::Result<()> {
    let counts: Vec<String> = COUNTED
        .iter()
        .map(|c| format!("{} {}", c.label(lang), w.counts[c.id()]))
        .collect();
    writeln!(
        out,
        "{} · A {} → B {} · {} {} · {}",
        w.term,
        w.policy_a,
        w.policy_b,
        lang.pick("不同", "differ"),
        w.students.len(),
        counts.join(" · ")
    )?;
    let header = output::header(
        lang,
        &[
            ("学号", "id"),
            ("姓名", "name"),
            ("班级", "class"),
            ("A", "A"),
            ("B", "B"),
            ("变化", "change"),
            ("仅一方成立的条件", "conditions holding under one only"),
        ],
    );
    let rows: Vec<Vec<String>> = w
        .students
        .iter()
        .map(|r| {
            let conds: Vec<String> = r
                .only_a
                .iter()
                .map(|x| format!("A {}", condition(pa, x, lang)))
                .chain(
                    r.only_b
                        .iter()
                        .map(|x| format!("B {}", condition(pb, x, lang))),
                )
                .collect();
            vec![
                r.student_id.to_string(),
                crate::text::sanitize(r.name).into_owned(),
                crate::text::sanitize(r.class).into_owned(),
                standing(&r.a),
                standing(&r.b),
                r.change.label(lang).to_string(),
                conds.join(" | "),
            ]
        })
        .collect();
    output::table(out, &header, &rows)?;
    Ok(())
}
