//! `yujing export FILE.xlsx`: the term's warning list as an Excel workbook, the way
//! counsellors hand it on — one sheet of warned students with their reasons, one of the
//! failed courses behind them, one of the contact log.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::locale::Lang;
use crate::policy::explain::reason_summary;
use crate::roster::{Roster, assess, resolve_policy, resolve_term};

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workbook to write (.xlsx).
    pub file: PathBuf,
    /// List students with no warning too.
    #[arg(long)]
    pub all: bool,
}

fn header(
    ws: &mut Worksheet,
    bold: &Format,
    cols: &[(&str, &str)],
    lang: Lang,
    widths: &[f64],
) -> anyhow::Result<()> {
    for (c, ((zh, en), w)) in cols.iter().zip(widths).enumerate() {
        let c = u16::try_from(c)?;
        ws.write_string_with_format(0, c, lang.pick(zh, en), bold)?;
        ws.set_column_width(c, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn students_sheet(
    wb: &mut Workbook,
    r: &Roster,
    lang: Lang,
    all: bool,
    bold: &Format,
) -> anyhow::Result<usize> {
    let ws = wb
        .add_worksheet()
        .set_name(lang.pick("预警名单", "Warnings"))?;
    let cols = [
        ("学号", "Student id"),
        ("姓名", "Name"),
        ("班级", "Class"),
        ("班主任", "Class teacher"),
        ("辅导员", "Counsellor"),
        ("预警等级", "Tier"),
        ("学籍处理", "Status"),
        ("延续", "Carried"),
        ("原因", "Reasons"),
    ];
    header(
        ws,
        bold,
        &cols,
        lang,
        &[12.0, 10.0, 12.0, 10.0, 10.0, 12.0, 10.0, 6.0, 80.0],
    )?;
    let mut rows: Vec<_> = r
        .rows
        .iter()
        .filter(|(_, e)| all || e.severity > 0 || !e.status.is_empty())
        .collect();
    rows.sort_by(|(a, x), (b, y)| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| a.class.cmp(&b.class))
            .then_with(|| a.student_id.cmp(&b.student_id))
    });
    for (i, (s, e)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1)?;
        let tier = e.tier_index.map_or("", |t| {
            lang.pick(&r.policy.tiers[t].zh, &r.policy.tiers[t].en)
        });
        let status: Vec<&str> = e
            .status
            .iter()
            .map(|id| {
                r.policy
                    .status
                    .iter()
                    .find(|x| &x.id == id)
                    .map_or(id.as_str(), |x| lang.pick(&x.zh, &x.en))
            })
            .collect();
        let reasons: Vec<String> = e
            .reasons
            .iter()
            .chain(&e.status_reasons)
            .map(|x| reason_summary(x, lang))
            .collect();
        let cells = [
            s.student_id.as_str(),
            &s.name,
            &s.class,
            &s.class_teacher,
            &s.counsellor,
            tier,
            &status.join(" "),
            if e.carried {
                lang.pick("是", "yes")
            } else {
                ""
            },
            &reasons.join("\n"),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(row, u16::try_from(c)?, crate::text::sanitize(v).as_ref())?;
        }
    }
    Ok(rows.len())
}

fn courses_sheet(wb: &mut Workbook, r: &Roster, lang: Lang, bold: &Format) -> anyhow::Result<()> {
    let ws = wb
        .add_worksheet()
        .set_name(lang.pick("不及格课程", "Failed courses"))?;
    let cols = [
        ("学号", "Student id"),
        ("姓名", "Name"),
        ("预警等级", "Tier"),
        ("课程代码", "Code"),
        ("课程名称", "Course"),
        ("学期", "Term"),
        ("学分", "Credits"),
        ("成绩", "Result"),
        ("条件", "Condition"),
    ];
    header(
        ws,
        bold,
        &cols,
        lang,
        &[12.0, 10.0, 12.0, 10.0, 24.0, 12.0, 6.0, 8.0, 40.0],
    )?;
    let mut row = 1u32;
    for (s, e) in r.rows.iter().filter(|(_, e)| e.severity > 0) {
        let tier = e.tier_index.map_or("", |t| {
            lang.pick(&r.policy.tiers[t].zh, &r.policy.tiers[t].en)
        });
        // The winning tier's reasons name the courses that matter; list each course once.
        let mut seen = std::collections::HashSet::new();
        for reason in e
            .reasons
            .iter()
            .filter(|x| e.tier.as_deref() == Some(x.tier.as_str()))
        {
            for c in reason
                .courses
                .iter()
                .filter(|c| seen.insert(c.code.clone()))
            {
                for (col, v) in [
                    &s.student_id,
                    &s.name,
                    &tier.to_string(),
                    &c.code,
                    &c.name,
                    &c.term.to_string(),
                ]
                .iter()
                .enumerate()
                {
                    ws.write_string(row, u16::try_from(col)?, crate::text::sanitize(v).as_ref())?;
                }
                ws.write_number(row, 6, c.credits)?;
                ws.write_string(row, 7, crate::text::sanitize(&c.result).as_ref())?;
                ws.write_string(row, 8, reason_summary(reason, lang))?;
                row += 1;
            }
        }
    }
    Ok(())
}

fn contacts_sheet(
    wb: &mut Workbook,
    db: &crate::db::Db,
    lang: Lang,
    bold: &Format,
) -> anyhow::Result<()> {
    let ws = wb
        .add_worksheet()
        .set_name(lang.pick("联系记录", "Contacts"))?;
    let cols = [
        ("时间", "At"),
        ("学号", "Student id"),
        ("类型", "Kind"),
        ("身份", "Role"),
        ("对象", "With"),
        ("方式", "Channel"),
        ("地点", "Place"),
        ("谈话内容", "Summary"),
        ("情况与态度", "Situation"),
        ("约定措施", "Actions"),
        ("记录人", "By"),
    ];
    header(
        ws,
        bold,
        &cols,
        lang,
        &[
            17.0, 12.0, 10.0, 10.0, 8.0, 8.0, 10.0, 40.0, 30.0, 30.0, 10.0,
        ],
    )?;
    for (i, c) in db.contacts(None, false)?.iter().enumerate() {
        let row = u32::try_from(i + 1)?;
        let cells = [
            c.at.format("%Y-%m-%d %H:%M").to_string(),
            c.student_id.clone(),
            lang.pick(c.kind.label_zh(), c.kind.id()).to_string(),
            c.role
                .map_or("", |r| lang.pick(r.label_zh(), r.id()))
                .to_string(),
            c.with_whom.label(lang).to_string(),
            c.channel.label(lang).to_string(),
            c.place.clone(),
            c.summary.clone(),
            c.situation.clone(),
            c.actions.clone(),
            c.author.clone(),
        ];
        for (col, v) in cells.iter().enumerate() {
            ws.write_string(row, u16::try_from(col)?, crate::text::sanitize(v).as_ref())?;
        }
    }
    Ok(())
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db_read()?;
    let policy = resolve_policy(&db, ctx.policy.as_deref())?;
    let term = resolve_term(&db, ctx.term.as_deref())?;
    let roster = assess(&db, policy, term)?;
    let lang = ctx.lang;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let n = students_sheet(&mut wb, &roster, lang, a.all, &bold)?;
    courses_sheet(&mut wb, &roster, lang, &bold)?;
    contacts_sheet(&mut wb, &db, lang, &bold)?;
    // Written beside the target and renamed over it, so a full disk never leaves half a file.
    let tmp = a.file.with_extension("xlsx.part");
    wb.save(&tmp)
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, &a.file).with_context(|| format!("writing {}", a.file.display()))?;
    println!(
        "{}",
        lang.pick(
            &format!(
                "{}：{term} {} 名学生（策略 {}）",
                a.file.display(),
                n,
                roster.policy.id
            ),
            &format!(
                "{}: {n} students for {term} (policy {})",
                a.file.display(),
                roster.policy.id
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}
