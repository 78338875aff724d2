//! The effectiveness analysis as a workbook for the college leader: a sheet per breakdown
//! with its table and a native Excel chart beside it, and the students behind the figures.

use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet};

use super::effect::{Analysis, Breakdown, Group, group_header, group_values, sections, tier_name};
use super::{OUTCOMES, Obligations};
use crate::locale::Lang;
use crate::policy::Policy;

/// Which figures a sheet's chart draws: columns of the sheet's table (0 is the group name).
enum Plot {
    Outcomes,
    Obligations,
}

fn group_sheet(
    wb: &mut Workbook,
    name: &str,
    first: &str,
    groups: &[(String, &Group)],
    plot: Plot,
    lang: Lang,
) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name(name)?;
    let header = group_header(lang);
    ws.write_string_with_format(0, 0, first, &bold)?;
    ws.set_column_width(0, 16)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c + 1)?, *h, &bold)?;
    }
    for (r, (label, g)) in groups.iter().enumerate() {
        let row = u32::try_from(r + 1)?;
        ws.write_string(row, 0, crate::text::sanitize(label).as_ref())?;
        for (c, v) in group_values(g).iter().enumerate() {
            ws.write_number(row, u16::try_from(c + 1)?, *v)?;
        }
    }
    ws.set_freeze_panes(1, 1)?;
    if groups.is_empty() {
        return Ok(());
    }
    // Columns 2.. hold the outcomes in OUTCOMES order, then the obligations.
    let outcomes = 2..2 + OUTCOMES.len();
    let series: Vec<usize> = match plot {
        Plot::Outcomes => outcomes.collect(),
        Plot::Obligations => (0..3).map(|k| 2 + OUTCOMES.len() + k).collect(),
    };
    let title = match plot {
        Plot::Outcomes => lang.pick("预警结果", "Outcomes"),
        Plot::Obligations => lang.pick("帮扶义务完成情况", "Obligations kept"),
    };
    chart(ws, name, title, groups.len(), &series, header.len() + 2)
}

fn chart(
    ws: &mut Worksheet,
    sheet: &str,
    title: &str,
    rows: usize,
    series: &[usize],
    at_col: usize,
) -> anyhow::Result<()> {
    let last = u32::try_from(rows)?;
    let mut c = Chart::new(ChartType::ColumnStacked);
    for &col in series {
        let col = u16::try_from(col)?;
        c.add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, 0, last, 0))
            .set_values((sheet, 1, col, last, col));
    }
    c.title().set_name(title);
    ws.insert_chart(1, u16::try_from(at_col)?, &c)?;
    Ok(())
}

fn students_sheet(wb: &mut Workbook, a: &Analysis, p: &Policy, lang: Lang) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let ws = wb
        .add_worksheet()
        .set_name(lang.pick("学生明细", "Students"))?;
    let header = [
        lang.pick("学号", "Student id"),
        lang.pick("姓名", "Name"),
        lang.pick("班级", "Class"),
        lang.pick("辅导员", "Counsellor"),
        lang.pick("下发等级", "Issued"),
        lang.pick("现在", "Now"),
        lang.pick("结果", "Outcome"),
        lang.pick("按时完成", "On time"),
        lang.pick("逾期补做", "Late"),
        lang.pick("未完成", "Missed"),
        lang.pick("漏谈期数", "Missed periods"),
        lang.pick("谈话次数", "Talks"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, u16::try_from(c)?, *h, &bold)?;
    }
    for (r, o) in a.students.iter().enumerate() {
        let row = u32::try_from(r + 1)?;
        let text = [
            o.student_id.as_str(),
            &o.name,
            &o.class,
            &o.counsellor,
            tier_name(p, &o.tier, lang),
            o.now.as_deref().map_or("", |t| tier_name(p, t, lang)),
            o.change.label(lang),
        ];
        for (c, v) in text.iter().enumerate() {
            ws.write_string(row, u16::try_from(c)?, crate::text::sanitize(v).as_ref())?;
        }
        let Obligations {
            on_time,
            late,
            missed,
            ..
        } = o.obligations;
        for (c, v) in [on_time, late, missed, o.missed_periods, o.talks]
            .iter()
            .enumerate()
        {
            ws.write_number(row, u16::try_from(text.len() + c)?, f64::from(*v))?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Writes the analysis to `path` (a fresh file: callers go through `outfile`).
pub fn write(path: &Path, a: &Analysis, p: &Policy, lang: Lang) -> anyhow::Result<()> {
    let mut wb = Workbook::new();
    for sec in sections(a, p, lang) {
        let plot = match sec.breakdown {
            Breakdown::Counsellor => Plot::Obligations,
            Breakdown::Tier | Breakdown::Class => Plot::Outcomes,
        };
        group_sheet(&mut wb, sec.title, sec.first, &sec.groups, plot, lang)?;
    }
    students_sheet(&mut wb, a, p, lang)?;
    wb.save(path)?;
    Ok(())
}
