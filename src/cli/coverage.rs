//! `yujing coverage --month YYYY-MM`: talk coverage per counsellor and class teacher, with
//! the shortfalls against the required monthly share marked. `--set-required 10%` stores
//! the share in the database for everyone using it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::coverage::{
    Coverage, DEFAULT_REQUIRED, Inputs, REQUIRED_KEY, coverage, parse_month, parse_share, warned_on,
};
use crate::locale::Lang;

use super::{Ctx, ListFormat, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The month (YYYY-MM; default: this month).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Required share of students talked to in a month, for this run only (e.g. 10%).
    #[arg(long, value_name = "PCT")]
    pub required: Option<String>,
    /// Store the required share in the database (e.g. 10%) and exit.
    #[arg(long, value_name = "PCT", conflicts_with_all = ["month", "required"])]
    pub set_required: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    if let Some(s) = &a.set_required {
        let v = parse_share(s)
            .map_err(anyhow::Error::msg)
            .context("--set-required")?;
        let mut db = ctx.open_db()?;
        db.set_meta(REQUIRED_KEY, &v.to_string())?;
        println!(
            "{}",
            lang.pick(
                &format!("每月谈话覆盖要求：{}%", pct(v)),
                &format!("required monthly talk coverage: {}%", pct(v))
            )
        );
        return Ok(ExitCode::SUCCESS);
    }
    let month = match &a.month {
        Some(m) => parse_month(m).map_err(anyhow::Error::msg)?,
        None => parse_month(&ctx.today.format("%Y-%m").to_string()).map_err(anyhow::Error::msg)?,
    };
    let db = ctx.open_db()?;
    let required = match &a.required {
        Some(r) => parse_share(r)
            .map_err(anyhow::Error::msg)
            .context("--required")?,
        None => match db.meta(REQUIRED_KEY)? {
            Some(v) => v.parse().with_context(|| {
                format!("the stored required share '{v}' is not a number: set it again with --set-required")
            })?,
            None => DEFAULT_REQUIRED,
        },
    };
    let as_of = month.1.min(ctx.today);
    let (calendar, _) = crate::app::agenda::calendar(&db, ctx.today)?;
    let scope = ctx.scope(&db)?;
    let mut students = db.students()?;
    scope.retain(&mut students, |s| &s.student_id);
    let mut contacts = db.contacts(None, false)?;
    scope.retain(&mut contacts, |c| &c.student_id);
    let mut schedules = db.schedules(None)?;
    scope.retain(&mut schedules, |s| &s.student_id);
    let c = coverage(&Inputs {
        month,
        today: ctx.today,
        required,
        students: &students,
        warned: &warned_on(&db, as_of)?,
        contacts: &contacts,
        schedules: &schedules,
        calendar: &calendar,
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &c)?;
            writeln!(out)?;
        }
        ListFormat::Table => write_table(&mut out, &c, lang)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A share as a percentage without needless decimals: 10, 12.5, 33.3.
fn pct(v: f64) -> String {
    crate::policy::explain::num((v * 1000.0).round() / 10.0)
}

fn write_table(out: &mut impl Write, c: &Coverage, lang: Lang) -> anyhow::Result<()> {
    let short = c.lines.iter().filter(|l| l.shortfall).count();
    writeln!(
        out,
        "{}",
        lang.pick(
            &format!(
                "{} 谈话覆盖（截至 {}），要求每月至少 {}% 的学生；未达到 {} 人",
                c.month,
                c.as_of,
                pct(c.required_share),
                short
            ),
            &format!(
                "{} talk coverage (as of {}), required {}% of students a month; {} short",
                c.month,
                c.as_of,
                pct(c.required_share),
                short
            )
        )
    )?;
    let header = output::header(
        lang,
        &[
            ("身份", "role"),
            ("姓名", "person"),
            ("学生", "students"),
            ("已谈话", "talked"),
            ("覆盖率", "share"),
            ("预警学生", "warned"),
            ("按时完成", "on time"),
            ("按时率", "on-time share"),
            ("逾期补做", "late"),
            ("未完成", "missed"),
            ("", ""),
        ],
    );
    let role = |r: &str| match r {
        "counsellor" => lang.pick("辅导员", "counsellor"),
        _ => lang.pick("班主任", "class teacher"),
    };
    let rows: Vec<Vec<String>> = c
        .lines
        .iter()
        .map(|l| {
            vec![
                role(l.role).to_string(),
                crate::text::sanitize(&l.person).into_owned(),
                l.students.to_string(),
                l.talked.to_string(),
                format!("{}%", pct(l.talked_share)),
                l.warned.to_string(),
                l.warned_on_time.to_string(),
                if l.warned == 0 {
                    "-".to_string()
                } else {
                    format!("{}%", pct(l.on_time_share))
                },
                l.obligations.late.to_string(),
                l.obligations.missed.to_string(),
                if l.shortfall {
                    lang.pick("▼ 未达要求", "▼ short").to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    output::table(out, &header, &rows)?;
    Ok(())
}
