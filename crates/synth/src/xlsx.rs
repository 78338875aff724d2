//! The XLSX shapes: a registrar's workbook with (or without) a title row above the header.

use std::io;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::Cohort;
use super::writers::{
    GRADES_TITLE, LONG_HEADER, STUDENT_XLSX_HEADER, STUDENTS_TITLE, kind_label, nature_spelling,
    roster, student_fields, unknown_student, year_of,
};
use yujing::model::{Attempt, Mark, Student};
fn xlsx_err(e: XlsxError) -> io::Error {
    io::Error::other(e)
}

/// A workbook whose bytes depend only on its content: a fixed creation time (and
/// rust_xlsxwriter's fixed zip timestamps) keep committed fixtures stable.
fn stable_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 3, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(wb)
}

fn write_header(ws: &mut Worksheet, row: u32, header: &[&str]) -> Result<(), XlsxError> {
    for (col, h) in header.iter().enumerate() {
        ws.write_string(row, col as u16, *h)?;
    }
    Ok(())
}

/// Grades as an XLSX sheet 成绩, long layout, numbers stored as numbers; with `title_row`
/// a title line "某某大学学生成绩表" sits above the header.
pub fn write_grades_xlsx(c: &Cohort, path: &Path, title_row: bool) -> io::Result<()> {
    let students = roster(c);
    let mut wb = stable_workbook().map_err(xlsx_err)?;
    let ws = wb.add_worksheet();
    ws.set_name("成绩").map_err(xlsx_err)?;
    let mut row = 0u32;
    if title_row {
        ws.write_string(row, 0, GRADES_TITLE).map_err(xlsx_err)?;
        row += 1;
    }
    write_header(ws, row, LONG_HEADER).map_err(xlsx_err)?;
    for (id, a) in &c.attempts {
        row += 1;
        let s = students
            .get(id.as_str())
            .ok_or_else(|| unknown_student(id))?;
        write_grade_cells(ws, row, s, a).map_err(xlsx_err)?;
    }
    wb.save(path).map_err(xlsx_err)
}

fn write_grade_cells(
    ws: &mut Worksheet,
    row: u32,
    s: &Student,
    a: &Attempt,
) -> Result<(), XlsxError> {
    ws.write_string(row, 0, &s.student_id)?;
    ws.write_string(row, 1, &s.name)?;
    ws.write_string(row, 2, year_of(a.term))?;
    ws.write_number(row, 3, a.term.n)?;
    ws.write_string(row, 4, a.course_code.as_ref())?;
    ws.write_string(row, 5, a.course_name.as_ref())?;
    ws.write_string(row, 6, nature_spelling(a))?;
    ws.write_string(row, 7, a.assessment.map_or("", |x| x.label_zh()))?;
    ws.write_number(row, 8, a.credits)?;
    match a.mark {
        Mark::Score(v) => ws.write_number(row, 9, v)?,
        _ => ws.write_string(row, 9, a.result.as_ref())?,
    };
    ws.write_string(row, 10, kind_label(a.kind))?;
    Ok(())
}

/// The roster as XLSX: sheet 学生名单, a title row above the header.
pub fn write_students_xlsx(c: &Cohort, path: &Path) -> io::Result<()> {
    let mut wb = stable_workbook().map_err(xlsx_err)?;
    let ws = wb.add_worksheet();
    ws.set_name("学生名单").map_err(xlsx_err)?;
    ws.write_string(0, 0, STUDENTS_TITLE).map_err(xlsx_err)?;
    write_header(ws, 1, STUDENT_XLSX_HEADER).map_err(xlsx_err)?;
    for (i, s) in c.students.iter().enumerate() {
        for (col, v) in student_fields(s, STUDENT_XLSX_HEADER)
            .into_iter()
            .enumerate()
        {
            ws.write_string(i as u32 + 2, col as u16, v)
                .map_err(xlsx_err)?;
        }
    }
    wb.save(path).map_err(xlsx_err)
}
