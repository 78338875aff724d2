//! `yujing export workbook --out FILE.xlsx`: the term's warning list as an Excel workbook, the
//! way counsellors hand it on — one sheet of warned students with their reasons, one of every
//! course each of them is still failing, one of the contact log. Written through
//! [`crate::outfile`] (no overwrite without --force, never the database, 0600); every cell is
//! text (never a formula), cleaned of escapes and cut at Excel's cell limit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::app::assess::{Roster, assess, resolve_policy};
use crate::locale::Lang;
use crate::policy::explain::reason_summary;

use super::Ctx;

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// The warned students, their failing courses and the contact log as an .xlsx workbook.
    Workbook(Args),
    /// The summary list of warned students (汇总表): a sheet per class and one for the college.
    Summary(super::summary::Args),
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workbook to write (.xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// List students with no warning too.
    #[arg(long)]
    pub all: bool,
}

/// Writes text cells, cut at Excel's limit; each cut is remembered as (student, field).
struct Cells<'a> {
    ws: &'a mut Worksheet,
    cut: &'a mut Vec<(String, String)>,
}

impl Cells<'_> {
    fn text(
        &mut self,
        row: u32,
        col: usize,
        v: &str,
        who: &str,
        field: &str,
    ) -> anyhow::Result<()> {
        let (v, was_cut) = crate::cells::xlsx_cell(v);
        if was_cut {
            self.cut.push((who.to_string(), field.to_string()));
        }
        self.ws.write_string(row, u16::try_from(col)?, v.as_ref())?;
        Ok(())
    }

    fn row(
        &mut self,
        row: u32,
        cells: &[&str],
        cols: &[(&str, &str)],
        who: &str,
    ) -> anyhow::Result<()> {
        for (c, (v, (_, en))) in cells.iter().zip(cols).enumerate() {
            if !v.is_empty() {
                self.text(row, c, v, who, en)?;
            }
        }
        Ok(())
    }
}

/// The workbook being built, with what every sheet shares.
struct Book {
    wb: Workbook,
    lang: Lang,
    bold: Format,
    /// (student, field) of every cell cut at Excel's limit.
    cut: Vec<(String, String)>,
}

impl Book {
    /// A new sheet with its bold, frozen header row.
    fn sheet(
        &mut self,
        (zh, en): (&str, &str),
        cols: &[(&str, &str)],
        widths: &[f64],
    ) -> anyhow::Result<Cells<'_>> {
        let lang = self.lang;
        // Rows go to a temporary file as they are written: 50,000 students' reasons and
        // contacts would otherwise be held in memory until the save.
        let ws = self
            .wb
            .add_worksheet_with_constant_memory()?
            .set_name(lang.pick(zh, en))?;
        for (c, ((zh, en), w)) in cols.iter().zip(widths).enumerate() {
            let c = u16::try_from(c)?;
            ws.write_string_with_format(0, c, lang.pick(zh, en), &self.bold)?;
            ws.set_column_width(c, *w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Cells {
            ws,
            cut: &mut self.cut,
        })
    }
}

fn tier_name<'a>(r: &'a Roster, e: &crate::policy::Evaluation, lang: Lang) -> &'a str {
    e.tier_index.map_or("", |t| {
        lang.pick(&r.policy.tiers[t].zh, &r.policy.tiers[t].en)
    })
}

type Row = (crate::model::Student, crate::policy::Evaluation);

fn students_sheet(book: &mut Book, r: &Roster, rows: &[&Row]) -> anyhow::Result<()> {
    let lang = book.lang;
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
    let mut cells = book.sheet(
        ("预警名单", "Warnings"),
        &cols,
        &[12.0, 10.0, 12.0, 10.0, 10.0, 12.0, 10.0, 6.0, 80.0],
    )?;
    for (i, (s, e)) in rows.iter().enumerate() {
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
        cells.row(
            u32::try_from(i + 1)?,
            &[
                s.student_id.as_str(),
                &s.name,
                &s.class,
                &s.class_teacher,
                &s.counsellor,
                tier_name(r, e, lang),
                &status.join(" "),
                if e.carried {
                    lang.pick("是", "yes")
                } else {
                    ""
                },
                &reasons.join("\n"),
            ],
            &cols,
            &s.student_id,
        )?;
    }
    Ok(())
}

/// Every course each listed student is still failing (not only the courses behind the
/// winning tier's conditions), with the conditions that counted it.
fn courses_sheet(
    book: &mut Book,
    db: &crate::db::Db,
    r: &Roster,
    rows: &[&Row],
) -> anyhow::Result<()> {
    let lang = book.lang;
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
    let mut cells = book.sheet(
        ("不及格课程", "Failed courses"),
        &cols,
        &[12.0, 10.0, 12.0, 10.0, 24.0, 12.0, 6.0, 8.0, 40.0],
    )?;
    let ids: Vec<&str> = rows.iter().map(|(s, _)| s.student_id.as_str()).collect();
    let mut failed = crate::app::assess::still_failed(db, r.term, r.policy.pass_mark, &ids)?;
    let mut row = 1u32;
    for (s, e) in rows {
        for c in failed.remove(&s.student_id).unwrap_or_default() {
            let result = [&c.retake, &c.makeup, &c.regular]
                .into_iter()
                .find_map(|x| x.clone())
                .unwrap_or_default();
            let conditions: Vec<String> = e
                .reasons
                .iter()
                .chain(&e.status_reasons)
                .filter(|x| x.courses.iter().any(|k| k.code == c.code))
                .map(|x| reason_summary(x, lang))
                .collect();
            cells.row(
                row,
                &[
                    &s.student_id,
                    &s.name,
                    tier_name(r, e, lang),
                    &c.code,
                    &c.name,
                    &c.term.to_string(),
                    "",
                    &result,
                    &conditions.join("\n"),
                ],
                &cols,
                &s.student_id,
            )?;
            cells.ws.write_number(row, 6, c.credits)?;
            row += 1;
        }
    }
    Ok(())
}

fn contacts_sheet(
    book: &mut Book,
    db: &crate::db::Db,
    scope: &crate::app::access::Scope,
) -> anyhow::Result<()> {
    let lang = book.lang;
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
    let mut cells = book.sheet(
        ("联系记录", "Contacts"),
        &cols,
        &[
            17.0, 12.0, 10.0, 10.0, 8.0, 8.0, 10.0, 40.0, 30.0, 30.0, 10.0,
        ],
    )?;
    // Confidential contacts never leave the system, whoever exports.
    let secret = db.confidential_contacts()?;
    let mut shown = db.contacts(None, false)?;
    shown.retain(|c| scope.sees(&c.student_id) && !secret.contains(&c.id));
    for (i, c) in shown.iter().enumerate() {
        cells.row(
            u32::try_from(i + 1)?,
            &[
                &c.at.format("%Y-%m-%d %H:%M").to_string(),
                &c.student_id,
                crate::i18n::kind(lang, c.kind),
                c.role.map_or("", |r| crate::i18n::role(lang, r)),
                c.with_whom.label(lang),
                c.channel.label(lang),
                &c.place,
                &c.summary,
                &c.situation,
                &c.actions,
                &c.author,
            ],
            &cols,
            &c.student_id,
        )?;
    }
    Ok(())
}

pub fn run(ctx: &Ctx, c: Cmd) -> anyhow::Result<ExitCode> {
    match c {
        Cmd::Workbook(a) => workbook(ctx, &a),
        Cmd::Summary(s) => super::summary::run(ctx, s),
    }
}

fn workbook(ctx: &Ctx, a: &Args) -> anyhow::Result<ExitCode> {
    let rules = ctx.out_rules(&a.out, a.force)?;
    let db = ctx.open_db_read()?;
    let policy = resolve_policy(&db, ctx.policy.as_deref())?;
    let term = ctx.term_in(&db)?;
    let mut roster = assess(&db, policy, term)?;
    let scope = ctx.scope(&db)?;
    scope.retain(&mut roster.rows, |(s, _)| &s.student_id);
    // Confidential conditions never leave the system, whoever exports.
    for (_, e) in &mut roster.rows {
        crate::app::access::mask_psych(e);
    }
    let lang = ctx.lang;
    let rows = roster.listed(a.all);
    let mut book = Book {
        wb: Workbook::new(),
        lang,
        bold: Format::new().set_bold(),
        cut: Vec::new(),
    };
    students_sheet(&mut book, &roster, &rows)?;
    courses_sheet(&mut book, &db, &roster, &rows)?;
    contacts_sheet(&mut book, &db, &scope)?;
    let out = crate::outfile::OutFile::create(&a.out, rules)?;
    book.wb
        .save(out.path())
        .with_context(|| format!("writing {}", a.out.display()))?;
    let written = out.finish()?;
    crate::cells::warn_cut(&book.cut, lang);
    let n = rows.len();
    super::access::exported("workbook", n, &written);
    println!(
        "{}",
        lang.pick(
            &format!(
                "{}：{term} {n} 名学生（策略 {}）",
                written.display(),
                roster.policy.id
            ),
            &format!(
                "{}: {n} students for {term} (policy {})",
                written.display(),
                roster.policy.id
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}
