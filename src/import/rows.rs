//! Turning one data row (cells under a known header) into typed records.

use std::borrow::Cow;
use std::collections::HashMap;

use csv::StringRecord;

use super::headers::{Columns, Field, TermSource};
use super::{Dataset, Location, Record, Row, RowError};
use crate::model::{
    Assessment, Attempt, AttemptKind, FitnessRecord, Flag, FlagKind, LATE_MAKEUP_SITTING, Mark,
    Nature, Student, Term, normalise_digits,
};

/// Why a row is bad, before its location is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl Bad {
    pub fn at(self, location: Location) -> RowError {
        RowError {
            location,
            column: self.column,
            value: self.value,
            reason: self.reason,
        }
    }
}

/// Full-width digits to ASCII, without allocating for the usual all-ASCII cell.
fn norm(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalise_digits(s))
    }
}

/// `str::trim`, with a fast path for the usual cell that starts and ends in ASCII.
fn trim_cell(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => t.trim(),
        _ => t,
    }
}

pub(crate) const RESULT_REASON: &str =
    "not a result (expected a number from 0 to 100, a grade word, 缓考 or 免修)";

/// No course is worth more credits than this; more is a slip of the registrar's keyboard.
pub const MAX_CREDITS: f64 = 30.0;
/// No term has more class hours than this to miss.
pub const MAX_ABSENCE_HOURS: f64 = 1000.0;

pub(crate) const KIND_REASON: &str = "not an attempt kind (expected 正常考试, 补考, 补考一, 补考二, 毕业前补考, 清考, 重修, 重修补考 or 缓考)";

/// 成绩性质 / 考试性质 as import.md lists them: the kind and its sitting number.
fn attempt_kind(raw: &str) -> Option<(AttemptKind, u8)> {
    use AttemptKind::*;
    Some(match raw {
        // An empty cell states no kind: the usual sitting.
        "" | "正常考试" | "正考" | "初修" | "正常" => (Regular, 1),
        "补考" | "补考一" | "补考1" | "第一次补考" | "一次补考" => (Makeup, 1),
        "补考二" | "补考2" | "二次补考" | "第二次补考" => (Makeup, 2),
        "毕业前补考" | "清考" | "毕业清考" => (Makeup, LATE_MAKEUP_SITTING),
        "重修" | "重修重考" => (Retake, 1),
        "重修补考" => (RetakeMakeup, 1),
        "缓考" => (Deferred, 1),
        _ => match raw.to_ascii_lowercase().as_str() {
            "regular" => (Regular, 1),
            "makeup" | "makeup1" => (Makeup, 1),
            "makeup2" => (Makeup, 2),
            "retake" => (Retake, 1),
            "deferred" => (Deferred, 1),
            _ => return None,
        },
    })
}

/// 重修标记 / 辅修标记 cells: 1, 是, Y … set; 0, 否, empty not.
fn flag_set(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "否" | "n" | "no" | "false" => Some(false),
        "1" | "是" | "y" | "yes" | "true" | "√" => Some(true),
        _ => None,
    }
}

fn graduation_met(raw: &str) -> Option<Option<bool>> {
    Some(match raw {
        "" => None,
        "达到" | "已达到" | "达标" => Some(true),
        "未达到" | "未达标" | "不达标" => Some(false),
        _ => return None,
    })
}

/// The attempt fields shared by every sitting a row describes.
struct CourseCells {
    code: String,
    name: String,
    term: Term,
    course_term: Option<Term>,
    nature_raw: Option<String>,
    assessment: Option<Assessment>,
    credits: f64,
    minor: bool,
}

impl CourseCells {
    fn attempt(&self, kind: AttemptKind, sitting: u8, result: String, mark: Mark) -> Attempt {
        Attempt {
            course_code: self.code.as_str().into(),
            course_name: self.name.as_str().into(),
            term: self.term,
            kind,
            sitting,
            course_term: self.course_term,
            minor: self.minor,
            nature: self.nature_raw.as_deref().and_then(Nature::normalise),
            nature_raw: self.nature_raw.as_deref().map(Into::into),
            assessment: self.assessment,
            credits: self.credits,
            result: result.into(),
            mark,
        }
    }
}

/// Reads data rows of one file. Holds what spans rows: the absence sequence numbers, and
/// the wide layout's retakes, which wait for the file's newest term.
pub struct RowParser {
    dataset: Dataset,
    cols: Columns,
    term_source: Option<TermSource>,
    wide: bool,
    /// Wide layout: the column whose `缓考` marks the row's result as the deferred sitting's.
    remark: Option<Field>,
    /// Rows of one term come together: skip re-parsing the same term cells.
    term_cache: Option<(String, String, Term)>,
    absence_seen: HashMap<(String, Term), u32>,
    retakes: Vec<(Location, String, Attempt)>,
    newest: Option<Term>,
    pub empty_results: usize,
    /// Whether the 学期 column holds 正方's internal codes (3, 12, 16), decided once per file.
    zf_semesters: Option<bool>,
    /// Scans the whole file for 正方 codes, asked the first time a bare `3` needs reading.
    semester_probe: Option<Box<dyn FnMut() -> bool>>,
    /// Every nature value seen, with the class it got, for the summary.
    pub natures: std::collections::BTreeMap<String, Option<Nature>>,
}

impl RowParser {
    pub fn new(dataset: Dataset, cols: Columns) -> RowParser {
        let wide = dataset == Dataset::Grades
            && [
                Field::MakeupResult,
                Field::RetakeResult,
                Field::ResultRemark,
            ]
            .iter()
            .any(|f| cols.has(*f));
        let remark = [Field::ResultRemark, Field::Note]
            .into_iter()
            .find(|f| wide && cols.has(*f));
        RowParser {
            dataset,
            term_source: cols.term_source(),
            cols,
            wide,
            remark,
            term_cache: None,
            absence_seen: HashMap::new(),
            retakes: Vec::new(),
            newest: None,
            empty_results: 0,
            zf_semesters: None,
            semester_probe: None,
            natures: std::collections::BTreeMap::new(),
        }
    }

    /// Installs the scan that tells a 正方-coded 学期 column (3, 12, 16) from a summer term 3.
    pub fn set_semester_probe(&mut self, probe: Box<dyn FnMut() -> bool>) {
        self.semester_probe = Some(probe);
    }

    pub fn term_source(&self) -> Option<TermSource> {
        self.term_source
    }

    pub fn columns(&self) -> &Columns {
        &self.cols
    }

    /// `long` or `wide` for grades.
    pub fn layout(&self) -> Option<&'static str> {
        (self.dataset == Dataset::Grades).then_some(if self.wide { "wide" } else { "long" })
    }

    pub fn parse(&mut self, rec: &StringRecord, location: &Location) -> Result<Vec<Record>, Bad> {
        match self.dataset {
            Dataset::Students => self.student(rec).map(|s| vec![Record::Student(s)]),
            Dataset::Grades => self.grades(rec, location),
            Dataset::Absences => self.absence(rec).map(|r| vec![r]),
            Dataset::Fitness => self.fitness(rec).map(|r| vec![r]),
            Dataset::Flags => self.flag(rec).map(|r| vec![r]),
        }
    }

    /// Wide-layout retakes, dated to the newest term the file held, with that term.
    pub fn finish(&mut self) -> (Vec<Row>, Option<Term>) {
        let Some(newest) = self.newest else {
            return (Vec::new(), None);
        };
        if self.retakes.is_empty() {
            return (Vec::new(), None);
        }
        let rows = self
            .retakes
            .drain(..)
            .map(|(location, student_id, mut attempt)| {
                attempt.term = newest;
                Row {
                    location,
                    result: Ok(vec![Record::Grade {
                        student_id,
                        attempt,
                    }]),
                }
            })
            .collect();
        (rows, Some(newest))
    }

    fn get<'r>(&self, rec: &'r StringRecord, f: Field) -> Option<&'r str> {
        self.cols
            .index(f)
            .map(|i| trim_cell(rec.get(i).unwrap_or("")))
    }

    /// The cell, or "" when the column is absent.
    fn text<'r>(&self, rec: &'r StringRecord, f: Field) -> &'r str {
        self.get(rec, f).unwrap_or("")
    }

    fn bad(&self, f: Field, value: &str, reason: impl Into<String>) -> Bad {
        Bad {
            column: self.cols.header(f).to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    fn required_text(&self, rec: &StringRecord, f: Field, what: &str) -> Result<String, Bad> {
        let v = norm(self.text(rec, f));
        if v.is_empty() {
            return Err(self.bad(f, "", format!("missing {what}")));
        }
        Ok(v.into_owned())
    }

    fn student_id(&self, rec: &StringRecord) -> Result<String, Bad> {
        self.required_text(rec, Field::StudentId, "student id")
    }

    fn term(&mut self, rec: &StringRecord) -> Result<Term, Bad> {
        let (a, b) = match self.term_source {
            Some(TermSource::Combined(i, _)) => (trim_cell(rec.get(i).unwrap_or("")), ""),
            Some(TermSource::Split(y, s)) => (
                trim_cell(rec.get(y).unwrap_or("")),
                trim_cell(rec.get(s).unwrap_or("")),
            ),
            // Students carry no term; other datasets always have a source (header check).
            None => return Err(self.bad(Field::Term, "", "no term column")),
        };
        if let Some((ca, cb, t)) = &self.term_cache
            && ca == a
            && cb == b
        {
            return Ok(*t);
        }
        let term = self.parse_term(a, b)?;
        self.term_cache = Some((a.to_string(), b.to_string(), term));
        self.newest = self.newest.max(Some(term));
        Ok(term)
    }

    fn parse_term(&mut self, a: &str, b: &str) -> Result<Term, Bad> {
        match self.term_source {
            Some(TermSource::Combined(_, f)) => norm(a)
                .parse::<Term>()
                .map_err(|_| self.bad(f, a, "not a term (expected YYYY-YYYY-N, e.g. 2024-2025-1)")),
            _ => {
                let (y, mut s) = (norm(a), norm(b));
                match s.as_ref() {
                    "12" | "16" => self.zf_semesters = Some(true),
                    "3" => {
                        if self.zf_semesters.is_none() {
                            let zf = self.semester_probe.as_mut().is_some_and(|p| p());
                            self.zf_semesters = Some(zf);
                        }
                        if self.zf_semesters == Some(true) {
                            s = Cow::Borrowed("1");
                        }
                    }
                    _ => {}
                }
                if Term::from_year_and_term(&y, "1").is_err() {
                    return Err(self.bad(
                        Field::Year,
                        a,
                        "not a term year (expected YYYY-YYYY, e.g. 2024-2025)",
                    ));
                }
                Term::from_year_and_term(&y, &s).map_err(|_| {
                    self.bad(
                        Field::Semester,
                        b,
                        "not a term number (expected 1, 2, 3, 一, 二, 第一学期, 夏季学期, or 正方's 3/12/16)",
                    )
                })
            }
        }
    }

    /// A number from 0 to `max` (import.md's ranges: credits 0–30, absence hours 0–1,000).
    fn in_range(&self, rec: &StringRecord, f: Field, what: &str, max: f64) -> Result<f64, Bad> {
        let raw = self.text(rec, f);
        match norm(raw).parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(v),
            _ => Err(self.bad(
                f,
                raw,
                format!("not {what} (expected a number from 0 to {max})"),
            )),
        }
    }

    fn mark(&self, raw: &str, f: Field) -> Result<(String, Mark), Bad> {
        let value = norm(raw);
        let mark = Mark::parse(&value).map_err(|_| self.bad(f, raw, RESULT_REASON))?;
        Ok((value.into_owned(), mark))
    }

    /// 补重学期 when the file has it and the row fills it: the sitting's own term.
    fn sitting_term(&self, rec: &StringRecord) -> Result<Option<Term>, Bad> {
        let raw = self.text(rec, Field::SittingTerm);
        if raw.is_empty() {
            return Ok(None);
        }
        norm(raw).parse::<Term>().map(Some).map_err(|_| {
            self.bad(
                Field::SittingTerm,
                raw,
                "not a term (expected YYYY-YYYY-N, e.g. 2024-2025-1)",
            )
        })
    }

    fn flag_cell(&self, rec: &StringRecord, f: Field) -> Result<bool, Bad> {
        let raw = self.text(rec, f);
        flag_set(raw)
            .ok_or_else(|| self.bad(f, raw, "not a yes/no mark (expected 1 or 0, 是 or 否)"))
    }

    fn course(&mut self, rec: &StringRecord) -> Result<CourseCells, Bad> {
        let course_term = self.term(rec)?;
        let sitting_term = self.sitting_term(rec)?;
        let values: Vec<&str> = self
            .cols
            .nature_columns()
            .iter()
            .map(|i| trim_cell(rec.get(*i).unwrap_or("")))
            .collect();
        let nature_raw = Nature::deciding_value(&values).map(str::to_string);
        if let Some(v) = &nature_raw
            && !self.natures.contains_key(v)
        {
            self.natures.insert(v.clone(), Nature::normalise(v));
        }
        Ok(CourseCells {
            code: self.required_text(rec, Field::CourseCode, "course code")?,
            name: self.text(rec, Field::CourseName).to_string(),
            term: sitting_term.unwrap_or(course_term),
            // Kept only where it tells something: a sitting dated away from its course.
            course_term: sitting_term
                .filter(|t| *t != course_term)
                .map(|_| course_term),
            nature_raw,
            assessment: Assessment::parse(self.text(rec, Field::Assessment)),
            credits: self.in_range(rec, Field::Credits, "a number of credits", MAX_CREDITS)?,
            minor: self.flag_cell(rec, Field::MinorFlag)?,
        })
    }

    /// The result cell, or the 成绩标志 word (缓考, 缺考 …) when the score is empty or 0.
    fn result_cell<'r>(&self, rec: &'r StringRecord) -> (&'r str, Field) {
        let result = self.text(rec, Field::Result);
        let flag = self.text(rec, Field::ResultFlag);
        let zero = norm(result).parse::<f64>().is_ok_and(|v| v == 0.0);
        if !flag.is_empty() && flag != "正常" && (result.is_empty() || zero) {
            (flag, Field::ResultFlag)
        } else {
            (result, Field::Result)
        }
    }

    fn grades(&mut self, rec: &StringRecord, location: &Location) -> Result<Vec<Record>, Bad> {
        let student_id = self.student_id(rec)?;
        let course = self.course(rec)?;
        let (raw_result, result_field) = self.result_cell(rec);
        let (result, mark) = self.mark(raw_result, result_field)?;
        let kind_raw = self.text(rec, Field::AttemptKind);
        let (mut kind, sitting) = attempt_kind(kind_raw)
            .ok_or_else(|| self.bad(Field::AttemptKind, kind_raw, KIND_REASON))?;
        if kind == AttemptKind::Regular && self.flag_cell(rec, Field::RetakeFlag)? {
            kind = AttemptKind::Retake;
        }
        // A retake is a sitting of its own term: the course's term says nothing more.
        let course = CourseCells {
            course_term: course.course_term.filter(|_| {
                matches!(
                    kind,
                    AttemptKind::Makeup | AttemptKind::Deferred | AttemptKind::RetakeMakeup
                )
            }),
            ..course
        };
        if mark == Mark::Empty {
            self.empty_results += 1;
        }
        if !self.wide {
            let attempt = course.attempt(kind, sitting, result, mark);
            return Ok(vec![Record::Grade {
                student_id,
                attempt,
            }]);
        }

        let mut attempts = Vec::with_capacity(2);
        let deferred_here = kind == AttemptKind::Regular
            && mark != Mark::Deferred
            && self
                .remark
                .is_some_and(|f| self.text(rec, f).contains("缓考"));
        if deferred_here {
            attempts.push(course.attempt(
                AttemptKind::Regular,
                1,
                "缓考".to_string(),
                Mark::Deferred,
            ));
            if mark != Mark::Empty {
                attempts.push(course.attempt(AttemptKind::Deferred, 1, result, mark));
            }
        } else {
            attempts.push(course.attempt(kind, sitting, result, mark));
        }
        let makeup = self.text(rec, Field::MakeupResult);
        if !makeup.is_empty() {
            let (r, m) = self.mark(makeup, Field::MakeupResult)?;
            attempts.push(course.attempt(AttemptKind::Makeup, 1, r, m));
        }
        let retake = self.text(rec, Field::RetakeResult);
        if !retake.is_empty() {
            let (r, m) = self.mark(retake, Field::RetakeResult)?;
            // Dated in `finish`, once the newest term of the whole file is known.
            self.retakes.push((
                location.clone(),
                student_id.clone(),
                course.attempt(AttemptKind::Retake, 1, r, m),
            ));
        }
        Ok(attempts
            .into_iter()
            .map(|attempt| Record::Grade {
                student_id: student_id.clone(),
                attempt,
            })
            .collect())
    }

    fn absence(&mut self, rec: &StringRecord) -> Result<Record, Bad> {
        let student_id = self.student_id(rec)?;
        let term = self.term(rec)?;
        let hours = self.in_range(
            rec,
            Field::AbsenceHours,
            "a number of hours",
            MAX_ABSENCE_HOURS,
        )?;
        // The n-th row of this student and term in the file: stable across re-imports.
        let n = self
            .absence_seen
            .entry((student_id.clone(), term))
            .or_insert(0);
        *n += 1;
        Ok(Record::Absence {
            student_id,
            term,
            hours,
            seq: n.to_string(),
        })
    }

    fn fitness(&mut self, rec: &StringRecord) -> Result<Record, Bad> {
        let student_id = self.student_id(rec)?;
        let term = self.term(rec)?;
        let raw_score = self.text(rec, Field::FitnessScore);
        let score_text = norm(raw_score);
        let (score, word) = match score_text.as_ref() {
            "" => (None, None),
            w @ ("优秀" | "良好" | "及格" | "不及格") => (None, Some(w.to_string())),
            s => match s.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => (Some(v), None),
                _ => {
                    return Err(self.bad(
                        Field::FitnessScore,
                        raw_score,
                        "not a fitness score (expected a number, 优秀, 良好, 及格 or 不及格)",
                    ));
                }
            },
        };
        let raw_req = self.text(rec, Field::GraduationMet);
        let graduation_met = graduation_met(raw_req).ok_or_else(|| {
            self.bad(
                Field::GraduationMet,
                raw_req,
                "not a graduation requirement (expected 达到 or 未达到)",
            )
        })?;
        if score.is_none() && word.is_none() && graduation_met.is_none() {
            let f = if self.cols.has(Field::FitnessScore) {
                Field::FitnessScore
            } else {
                Field::GraduationMet
            };
            return Err(self.bad(f, "", "no fitness score and no graduation requirement"));
        }
        Ok(Record::Fitness {
            student_id,
            record: FitnessRecord {
                term,
                score,
                word,
                graduation_met,
            },
        })
    }

    fn flag(&mut self, rec: &StringRecord) -> Result<Record, Bad> {
        let student_id = self.student_id(rec)?;
        let term = self.term(rec)?;
        let raw = self.text(rec, Field::FlagKind);
        let kind = FlagKind::parse(raw).ok_or_else(|| {
            self.bad(Field::FlagKind, raw, "not a flag kind (expected discipline/处分, wellbeing/情绪/沉迷网络 or psychological/心理)")
        })?;
        let note = self.text(rec, Field::Note).to_string();
        Ok(Record::Flag {
            student_id,
            flag: Flag { term, kind, note },
        })
    }

    fn student(&self, rec: &StringRecord) -> Result<Student, Bad> {
        let t = |f| self.text(rec, f).to_string();
        Ok(Student {
            student_id: self.student_id(rec)?,
            name: t(Field::Name),
            college: t(Field::College),
            major: t(Field::Major),
            cohort: norm(self.text(rec, Field::Cohort)).into_owned(),
            class: t(Field::Class),
            phone: norm(self.text(rec, Field::Phone)).into_owned(),
            parent: t(Field::Parent),
            parent_phone: norm(self.text(rec, Field::ParentPhone)).into_owned(),
            address: t(Field::Address),
            class_teacher: t(Field::ClassTeacher),
            counsellor: t(Field::Counsellor),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser(dataset: Dataset, header: &[&str]) -> RowParser {
        RowParser::new(dataset, Columns::from_row(header))
    }

    fn loc(line: usize) -> Location {
        Location {
            file: "f.csv".into(),
            sheet: None,
            line,
        }
    }

    fn grade(r: &Record) -> &Attempt {
        match r {
            Record::Grade { attempt, .. } => attempt,
            other => panic!("not a grade: {other:?}"),
        }
    }

    const LONG: &[&str] = &[
        "学号",
        "学年",
        "学期",
        "课程代码",
        "课程性质",
        "考核方式",
        "学分",
        "成绩",
        "成绩性质",
    ];

    #[test]
    fn long_row_with_full_width_digits_and_kind() {
        let mut p = parser(Dataset::Grades, LONG);
        assert_eq!(p.layout(), Some("long"));
        let rec = StringRecord::from(vec![
            "２０２２０１",
            "2024-2025",
            "第二学期",
            "C1",
            "专业必修课",
            "考试",
            "２.５",
            " ５９．５ ",
            "补考一",
        ]);
        let recs = p.parse(&rec, &loc(2)).unwrap();
        let a = grade(&recs[0]);
        assert_eq!(a.term.to_string(), "2024-2025-2");
        assert_eq!(a.kind, AttemptKind::Makeup);
        assert_eq!(a.nature, Some(Nature::Required));
        assert_eq!(a.assessment, Some(Assessment::Exam));
        assert_eq!(a.credits, 2.5);
        assert_eq!(&*a.result, "59.5");
        assert_eq!(a.mark, Mark::Score(59.5));
        assert!(matches!(&recs[0], Record::Grade { student_id, .. } if student_id == "202201"));
    }

    #[test]
    fn bad_cells_name_their_column() {
        let mut p = parser(Dataset::Grades, LONG);
        let row = |cells: [&str; 9]| StringRecord::from(cells.to_vec());
        let e = p
            .parse(
                &row(["1", "2024-2025", "1", "C1", "", "", "2", "良好好", ""]),
                &loc(3),
            )
            .unwrap_err();
        assert_eq!(
            (e.column.as_str(), e.value.as_str(), e.reason.as_str()),
            ("成绩", "良好好", RESULT_REASON)
        );
        // Each row breaks one rule; the error names the column (or says the id is missing).
        for (cells, column, value) in [
            (
                ["1", "2024-2025", "5", "C1", "", "", "2", "60", ""],
                "学期",
                "5",
            ),
            (
                ["1", "2024", "1", "C1", "", "", "2", "60", ""],
                "学年",
                "2024",
            ),
            (
                ["1", "2024-2025", "1", "C1", "", "", "-1", "60", ""],
                "学分",
                "-1",
            ),
            (
                ["1", "2024-2025", "1", "C1", "", "", "1", "60", "补考三"],
                "成绩性质",
                "补考三",
            ),
        ] {
            let e = p.parse(&row(cells), &loc(3)).unwrap_err();
            assert_eq!((e.column.as_str(), e.value.as_str()), (column, value));
        }
        let e = p
            .parse(
                &row(["", "2024-2025", "1", "C1", "", "", "1", "60", ""]),
                &loc(3),
            )
            .unwrap_err();
        assert_eq!(e.reason, "missing student id");
        let ok = p
            .parse(
                &row(["1", "2024-2025", "1", "C1", "", "", "1", "", ""]),
                &loc(3),
            )
            .unwrap();
        assert_eq!(grade(&ok[0]).mark, Mark::Empty);
        assert_eq!(p.empty_results, 1);
    }

    #[test]
    fn wide_row_splits_into_sittings_and_retakes_wait_for_newest_term() {
        let header = [
            "学号",
            "学年学期",
            "课程代码",
            "学分",
            "成绩",
            "补考成绩",
            "重修成绩",
            "成绩备注",
        ];
        let mut p = parser(Dataset::Grades, &header);
        assert_eq!(p.layout(), Some("wide"));
        let first = StringRecord::from(vec!["1", "2023-2024-1", "C1", "2", "40", "50", "70", ""]);
        let recs = p.parse(&first, &loc(2)).unwrap();
        let kinds: Vec<_> = recs
            .iter()
            .map(|r| (grade(r).kind, grade(r).mark))
            .collect();
        assert_eq!(
            kinds,
            [
                (AttemptKind::Regular, Mark::Score(40.0)),
                (AttemptKind::Makeup, Mark::Score(50.0))
            ]
        );
        let deferred =
            StringRecord::from(vec!["1", "2024-2025-2", "C2", "2", "75", "", "", "缓考"]);
        let recs = p.parse(&deferred, &loc(3)).unwrap();
        let kinds: Vec<_> = recs
            .iter()
            .map(|r| (grade(r).kind, grade(r).mark))
            .collect();
        assert_eq!(
            kinds,
            [
                (AttemptKind::Regular, Mark::Deferred),
                (AttemptKind::Deferred, Mark::Score(75.0))
            ]
        );
        let (rows, assumed) = p.finish();
        let newest: Term = "2024-2025-2".parse().unwrap();
        assert_eq!(assumed, Some(newest));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].location.line, 2);
        let recs = rows[0].result.as_ref().unwrap();
        assert_eq!(
            (grade(&recs[0]).kind, grade(&recs[0]).term),
            (AttemptKind::Retake, newest)
        );
    }

    #[test]
    fn absences_are_numbered_per_student_and_term() {
        let mut p = parser(Dataset::Absences, &["学号", "学年学期", "旷课学时"]);
        let seqs: Vec<String> = [
            ["1", "2024-2025-1", "2"],
            ["1", "2024-2025-1", "４"],
            ["1", "2024-2025-2", "1"],
            ["2", "2024-2025-1", "1"],
        ]
        .iter()
        .map(|r| {
            match p
                .parse(&StringRecord::from(r.to_vec()), &loc(1))
                .unwrap()
                .remove(0)
            {
                Record::Absence { seq, .. } => seq,
                other => panic!("{other:?}"),
            }
        })
        .collect();
        assert_eq!(seqs, ["1", "2", "1", "1"]);
    }

    #[test]
    fn fitness_scores_words_and_requirement() {
        let mut p = parser(
            Dataset::Fitness,
            &["学号", "学年学期", "体测成绩", "毕业要求"],
        );
        let read = |p: &mut RowParser, cells: [&str; 4]| {
            p.parse(&StringRecord::from(cells.to_vec()), &loc(1))
        };
        let Record::Fitness { record, .. } = read(&mut p, ["1", "2024-2025-1", "良好", "未达到"])
            .unwrap()
            .remove(0)
        else {
            panic!()
        };
        assert_eq!(
            (record.score, record.word.as_deref(), record.graduation_met),
            (None, Some("良好"), Some(false))
        );
        assert!(read(&mut p, ["1", "2024-2025-1", "", ""]).is_err());
        assert!(read(&mut p, ["1", "2024-2025-1", "很好", ""]).is_err());
        assert!(read(&mut p, ["1", "2024-2025-1", "", "达到"]).is_ok());
    }

    #[test]
    fn flags_need_a_known_kind() {
        let mut p = parser(Dataset::Flags, &["学号", "学年", "学期", "类型", "说明"]);
        let r = p
            .parse(
                &StringRecord::from(vec!["1", "2024-2025", "1", "处分", "考试作弊"]),
                &loc(1),
            )
            .unwrap();
        assert!(
            matches!(&r[0], Record::Flag { flag, .. } if flag.kind == FlagKind::Discipline && flag.note == "考试作弊")
        );
        assert!(
            p.parse(
                &StringRecord::from(vec!["1", "2024-2025", "1", "表扬", ""]),
                &loc(1)
            )
            .is_err()
        );
    }
}
