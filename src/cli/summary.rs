//! `yujing export summary --term T --out FILE.xlsx|FILE.csv`: the summary list of warned
//! students (学业预警学生名单汇总表, seed 003 附件1) — one row per warned student, one sheet per
//! class plus the whole college. A document for people: its headers are Chinese whatever
//! `--lang` says.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use rust_xlsxwriter::{Format, Workbook};

use crate::analysis::notices::{NoticeState, notice_states};
use crate::app::assess::{assess, resolve_policy};
use crate::locale::Lang;
use crate::model::Student;
use crate::outfile::OutFile;
use crate::policy::explain::{num, reason_summary};
use crate::policy::{Evaluation, Policy};

use super::{Ctx, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write: .xlsx (a sheet per class and one for the college) or .csv (the college).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only this tier (its id or its Chinese or English name).
    #[arg(long, value_name = "TIER")]
    pub tier: Option<String>,
    /// Only this class.
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

const COLUMNS: [&str; 15] = [
    "序号",
    "学院",
    "专业班级",
    "学号",
    "姓名",
    "预警级别",
    "预警原因",
    "不及格课程及学分",
    "辅导员",
    "班主任",
    "本人电话",
    "家长电话",
    "通知编号",
    "通知送达",
    "回执",
];
/// lut-life's 细则 has the student confirm the list (经学生确认无异议后公布).
const CONFIRM_COLUMN: &str = "学生确认";
const ALL_SHEET: &str = "全院";

fn wants_confirmation(p: &Policy) -> bool {
    p.id == "lut-life"
}

pub fn headers(p: &Policy) -> Vec<&'static str> {
    let mut h = COLUMNS.to_vec();
    if wants_confirmation(p) {
        h.push(CONFIRM_COLUMN);
    }
    h
}

enum Kind {
    Xlsx,
    Csv,
}

fn kind_of(path: &std::path::Path) -> anyhow::Result<Kind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xlsx") => Ok(Kind::Xlsx),
        Some("csv") => Ok(Kind::Csv),
        _ => bail!(
            "{}: the summary list is written as .xlsx or .csv; name the file with one of those",
            path.display()
        ),
    }
}

fn tier_matches(p: &Policy, e: &Evaluation, want: &str) -> bool {
    e.tier_index.is_some_and(|i| {
        let t = &p.tiers[i];
        [&t.id, &t.zh, &t.en].iter().any(|x| x.as_str() == want)
    })
}

fn tier_text(p: &Policy, e: &Evaluation) -> String {
    let tier = e.tier_index.map(|i| p.tiers[i].zh.as_str());
    let status = e.status.iter().map(|s| {
        p.status
            .iter()
            .find(|x| &x.id == s)
            .map_or(s.as_str(), |x| &x.zh)
    });
    tier.into_iter().chain(status).collect::<Vec<_>>().join(" ")
}

/// The winning tier's courses (and the status's), each once: `大学语文 4学分；高等数学 5学分`.
fn courses_text(e: &Evaluation) -> String {
    let mut seen = std::collections::HashSet::new();
    e.reasons
        .iter()
        .filter(|r| e.tier.as_deref() == Some(r.tier.as_str()))
        .chain(&e.status_reasons)
        .flat_map(|r| &r.courses)
        .filter(|c| seen.insert((c.code.clone(), c.term)))
        .map(|c| format!("{} {}学分", c.name, num(c.credits)))
        .collect::<Vec<_>>()
        .join("；")
}

fn reasons_text(e: &Evaluation) -> String {
    e.reasons
        .iter()
        .filter(|r| e.tier.as_deref() == Some(r.tier.as_str()))
        .chain(&e.status_reasons)
        .map(|r| reason_summary(r, Lang::Zh))
        .collect::<Vec<_>>()
        .join("；")
}

fn major_class(s: &Student) -> String {
    if s.major.is_empty() || s.class.starts_with(&s.major) {
        s.class.clone()
    } else {
        format!("{} {}", s.major, s.class)
    }
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One row without its 序号 (numbered per sheet).
fn row(p: &Policy, s: &Student, e: &Evaluation, n: &NoticeState) -> Vec<String> {
    let mut r = vec![
        s.college.clone(),
        major_class(s),
        s.student_id.clone(),
        s.name.clone(),
        tier_text(p, e),
        reasons_text(e),
        courses_text(e),
        s.counsellor.clone(),
        s.class_teacher.clone(),
        s.phone.clone(),
        s.parent_phone.clone(),
        n.number.clone(),
        day(n.delivered),
        day(n.receipt),
    ];
    if wants_confirmation(p) {
        // lut-life 二.3: the list is published only after the student confirms the entry;
        // an unconfirmed one is marked, not left blank.
        r.push(
            n.confirmed
                .map_or_else(|| "未确认".to_string(), |d| day(Some(d))),
        );
    }
    r.into_iter()
        .map(|c| crate::text::sanitize(&c).into_owned())
        .collect()
}

fn numbered(rows: &[&(String, Vec<String>)]) -> Vec<Vec<String>> {
    rows.iter()
        .enumerate()
        .map(|(i, (_, r))| {
            let mut v = vec![(i + 1).to_string()];
            v.extend(r.iter().cloned());
            v
        })
        .collect()
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique.
fn sheet_name(class: &str, taken: &mut Vec<String>) -> String {
    let clean: String = class
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let base = if clean.trim().is_empty() {
        "未分班".to_string()
    } else {
        clean
    };
    let mut name = base.clone();
    let mut k = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        name = format!("{base}~{k}");
        k += 1;
    }
    taken.push(name.clone());
    name
}

/// Writes the workbook; returns the (student, column) of each cell cut at Excel's limit.
fn write_xlsx(
    path: &std::path::Path,
    header: &[&str],
    all: &[&(String, Vec<String>)],
) -> anyhow::Result<Vec<(String, String)>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let mut by_class: BTreeMap<&str, Vec<&(String, Vec<String>)>> = BTreeMap::new();
    for r in all {
        by_class.entry(r.0.as_str()).or_default().push(r);
    }
    let mut taken = vec![ALL_SHEET.to_string()];
    let mut sheets = vec![(ALL_SHEET.to_string(), all.to_vec())];
    for (class, rows) in by_class {
        sheets.push((sheet_name(class, &mut taken), rows));
    }
    let widths = [
        5.0, 18.0, 16.0, 12.0, 8.0, 10.0, 40.0, 40.0, 10.0, 10.0, 13.0, 13.0, 10.0, 11.0, 11.0,
        11.0,
    ];
    let mut cut = Vec::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet().set_name(&name)?;
        for (c, (h, w)) in header.iter().zip(widths).enumerate() {
            let c = u16::try_from(c)?;
            ws.write_string_with_format(0, c, *h, &bold)?;
            ws.set_column_width(c, w)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (i, r) in numbered(&rows).iter().enumerate() {
            let row = u32::try_from(i + 1)?;
            for (c, v) in r.iter().enumerate() {
                let (v, was_cut) = crate::cells::xlsx_cell(v);
                // Every row is on the college sheet too: name each cut once.
                if was_cut && name == ALL_SHEET {
                    let who = r.get(3).cloned().unwrap_or_default();
                    cut.push((who, header.get(c).copied().unwrap_or_default().to_string()));
                }
                ws.write_string(row, u16::try_from(c)?, v.as_ref())?;
            }
        }
    }
    wb.save(path)?;
    Ok(cut)
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let kind = kind_of(&a.out)?;
    // Checked before the evaluation, which takes a while on a large roster.
    let rules = ctx.out_rules(&a.out, a.force)?;
    let db = ctx.open_db()?;
    let policy = resolve_policy(&db, ctx.policy.as_deref())?;
    let term = ctx.term_in(&db)?;
    if let Some(t) = &a.tier {
        anyhow::ensure!(
            policy
                .tiers
                .iter()
                .any(|x| [&x.id, &x.zh, &x.en].iter().any(|v| v.as_str() == t)),
            "--tier '{t}': policy {} has no such tier (tiers: {})",
            policy.id,
            policy.tier_list()
        );
    }
    let mut roster = assess(&db, policy, term)?;
    ctx.scope(&db)?
        .retain(&mut roster.rows, |(s, _)| &s.student_id);
    // Confidential conditions never leave the system, whoever exports.
    for (_, e) in &mut roster.rows {
        crate::app::access::mask_psych(e);
    }
    let notices: HashMap<String, NoticeState> = notice_states(&db, term)?;
    let none = NoticeState::default();
    let p = &roster.policy;
    let mut warned: Vec<&(Student, Evaluation)> = roster
        .rows
        .iter()
        .filter(|(_, e)| crate::app::assess::is_warned(e))
        .filter(|(s, _)| a.class.as_deref().is_none_or(|c| s.class == c))
        .filter(|(_, e)| a.tier.as_deref().is_none_or(|t| tier_matches(p, e, t)))
        .collect();
    if let Some(c) = &a.class {
        anyhow::ensure!(
            roster.rows.iter().any(|(s, _)| &s.class == c),
            "--class '{c}': no student is in that class"
        );
    }
    warned.sort_by(|a, b| crate::app::assess::list_order(a, b));
    let rows: Vec<(String, Vec<String>)> = warned
        .iter()
        .map(|(s, e)| {
            let n = notices.get(&s.student_id).unwrap_or(&none);
            (s.class.clone(), row(p, s, e, n))
        })
        .collect();
    let refs: Vec<&(String, Vec<String>)> = rows.iter().collect();
    let header = headers(p);
    let mut out = OutFile::create(&a.out, rules)?;
    match kind {
        Kind::Xlsx => crate::cells::warn_cut(&write_xlsx(out.path(), &header, &refs)?, ctx.lang),
        Kind::Csv => {
            let mut w = std::io::BufWriter::new(out.file());
            output::csv(&mut w, &header, &numbered(&refs))?;
            std::io::Write::flush(&mut w)?;
        }
    }
    let written = out
        .finish()
        .with_context(|| format!("writing {}", a.out.display()))?;
    super::access::exported("summary", rows.len(), &written);
    println!(
        "{}",
        ctx.lang.pick(
            &format!(
                "{}：{term} 预警学生 {} 人（策略 {}）",
                written.display(),
                rows.len(),
                p.id
            ),
            &format!(
                "{}: {} warned students for {term} (policy {})",
                written.display(),
                rows.len(),
                p.id
            )
        )
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = vec![ALL_SHEET.to_string()];
        assert_eq!(sheet_name("生物[1]/2", &mut taken), "生物_1__2");
        assert_eq!(sheet_name("生物[1]/2", &mut taken), "生物_1__2~2");
        assert_eq!(sheet_name("全院", &mut taken), "全院~2");
        assert_eq!(sheet_name(" ", &mut taken), "未分班");
        assert!(sheet_name(&"班".repeat(40), &mut taken).chars().count() <= 31);
    }
}
