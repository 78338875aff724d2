//! `yujing report --term T [--against T2]`: the term-end effectiveness analysis (帮扶效果分析) —
//! of the students warned for T, where they stand at T2 (lifted, down, same, up, repeat year,
//! dismissal, exempt, withdrawn: the lifecycle's change ids), how their obligations were kept
//! (on time, late, missed, and the periods missed while they were active) and how many talks
//! were logged, by tier, counsellor and class. The counting is in
//! [`crate::analysis::effect`], what it reads in [`crate::analysis::report`]; this file reads the
//! arguments and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::effect::{Analysis, Group, group_header, group_values, sections, tier_name};
use crate::analysis::report::against_term;
use crate::analysis::{Change, OUTCOMES, share};
use crate::locale::Lang;
use crate::model::Term;
use crate::outfile::OutFile;
use crate::policy::Policy;
use crate::policy::explain::num;

use super::{Ctx, output};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    /// A workbook with charts (needs --out).
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compare with this later term (default: the newest term with grades after T).
    #[arg(long, value_name = "TERM")]
    pub against: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write to this file instead of the terminal (required for xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        a.format != ReportFormat::Xlsx || a.out.is_some(),
        "--format xlsx writes a workbook: name it with --out FILE.xlsx"
    );
    let rules = a
        .out
        .as_deref()
        .map(|p| ctx.out_rules(p, a.force))
        .transpose()?;
    let db = ctx.open_db_read()?;
    let term: Term = ctx.term_in(&db)?;
    let against = against_term(&db, term, a.against.as_deref(), ctx.lang)?;
    let policy = crate::app::assess::resolve_policy(&db, ctx.policy.as_deref())?;
    let scope = ctx.scope(&db)?;
    let analysis =
        crate::analysis::report::load(&db, policy.clone(), term, against, ctx.today, Some(&scope))?;
    let lang = ctx.lang;
    let (Some(path), Some(rules)) = (&a.out, rules) else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        render(&mut out, a.format, &analysis, &policy, lang)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    let mut file = OutFile::create(path, rules)?;
    if a.format == ReportFormat::Xlsx {
        crate::analysis::xlsx::write(file.path(), &analysis, &policy, lang)?;
    } else {
        let mut out = std::io::BufWriter::new(file.file());
        render(&mut out, a.format, &analysis, &policy, lang)?;
        out.flush()?;
    }
    let written = file
        .finish()
        .with_context(|| format!("writing {}", path.display()))?;
    println!("{}", written.display());
    Ok(ExitCode::SUCCESS)
}

fn render(
    out: &mut impl Write,
    format: ReportFormat,
    a: &Analysis,
    p: &Policy,
    lang: Lang,
) -> anyhow::Result<()> {
    if format == ReportFormat::Json {
        let labelled = crate::analysis::report::labelled_json(a, p, lang)?;
        serde_json::to_writer_pretty(&mut *out, &labelled)?;
        writeln!(out)?;
        return Ok(());
    }
    write_table(out, a, p, lang)
}

/// `解除 3（50%），减轻 1，…`: every outcome that happened, the first with its share.
fn outcome_line(g: &Group, lang: Lang) -> String {
    let mut parts = Vec::new();
    for c in OUTCOMES {
        let n = g.count(c);
        if c == Change::Lifted {
            let pct = 100.0 * share(n as usize, g.warned as usize);
            parts.push(format!("{} {n} ({pct:.0}%)", c.label(lang)));
        } else if n > 0 {
            parts.push(format!("{} {n}", c.label(lang)));
        }
    }
    parts.join(lang.pick("，", ", "))
}

fn write_table(out: &mut impl Write, a: &Analysis, p: &Policy, lang: Lang) -> anyhow::Result<()> {
    let t = &a.total;
    let o = &t.obligations;
    writeln!(
        out,
        "{}",
        lang.pick(
            &format!(
                "{} 学期预警 {} 人，到 {}：{}；帮扶义务 按时 {}，逾期补做 {}，未完成 {}，漏谈 {} 期；谈话 {} 次（人均 {}），截至 {}",
                a.term, t.warned, a.against, outcome_line(t, lang), o.on_time, o.late, o.missed,
                t.missed_periods, t.talks, num((t.talks_per_student * 100.0).round() / 100.0), a.as_of
            ),
            &format!(
                "{}: {} warned; by {}: {}; obligations {} on time, {} late, {} missed, {} periods missed; {} talks ({} per student), as of {}",
                a.term, t.warned, a.against, outcome_line(t, lang), o.on_time, o.late, o.missed,
                t.missed_periods, t.talks, num((t.talks_per_student * 100.0).round() / 100.0), a.as_of
            )
        )
    )?;
    for sec in sections(a, p, lang) {
        writeln!(out, "\n{}", sec.title)?;
        let mut header = vec![sec.first];
        header.extend(group_header(lang));
        let rows: Vec<Vec<String>> = sec
            .groups
            .iter()
            .map(|(label, g)| {
                std::iter::once(crate::text::sanitize(label).into_owned())
                    .chain(group_values(g).into_iter().map(num))
                    .collect()
            })
            .collect();
        output::table(out, &header, &rows)?;
    }
    writeln!(out, "\n{}", lang.pick("学生", "Students"))?;
    let header = output::header(
        lang,
        &[
            ("学号", "student"),
            ("姓名", "name"),
            ("班级", "class"),
            ("下发", "issued"),
            ("现在", "now"),
            ("结果", "outcome"),
            ("按时", "on time"),
            ("逾期", "late"),
            ("未完成", "missed"),
            ("漏谈期", "missed periods"),
            ("谈话", "talks"),
        ],
    );
    let rows: Vec<Vec<String>> = a
        .students
        .iter()
        .map(|s| {
            vec![
                s.student_id.clone(),
                crate::text::sanitize(&s.name).into_owned(),
                crate::text::sanitize(&s.class).into_owned(),
                tier_name(p, &s.tier, lang).to_string(),
                s.now
                    .as_deref()
                    .map_or("", |t| tier_name(p, t, lang))
                    .to_string(),
                s.change.label(lang).to_string(),
                s.obligations.on_time.to_string(),
                s.obligations.late.to_string(),
                s.obligations.missed.to_string(),
                s.missed_periods.to_string(),
                s.talks.to_string(),
            ]
        })
        .collect();
    output::table(out, &header, &rows)?;
    Ok(())
}
