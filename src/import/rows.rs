//! Turning one data row (cells under a known header) into typed records. Grades, the one
//! dataset with layouts and sittings, are read in `grade_rows.rs`.

use std::borrow::Cow;
use std::collections::HashMap;

use csv::StringRecord;

use super::cells::{MAX_ABSENCE_HOURS, graduation_met, norm, trim_cell};
use super::headers::{Columns, Field, TermSource};
use super::reasons::Why;
use super::{Dataset, Location, Record, Row};
use crate::locale::Lang;
use crate::model::{Attempt, FitnessRecord, Flag, FlagKind, Nature, Student, Term};

pub use super::cells::{Bad, MAX_CREDITS};

/// Reads data rows of one file. Holds what spans rows: the absence sequence numbers, and
/// the wide layout's retakes, which wait for the file's newest term.
pub struct RowParser {
    dataset: Dataset,
    pub(super) cols: Columns,
    term_source: Option<TermSource>,
    pub(super) wide: bool,
    /// Wide layout: the column whose `缓考` marks the row's result as the deferred sitting's.
    pub(super) remark: Option<Field>,
    /// Rows of one term come together: skip re-parsing the same term cells.
    term_cache: Option<(String, String, Term)>,
    absence_seen: HashMap<(String, Term), u32>,
    pub(super) retakes: Vec<(Location, String, Attempt)>,
    newest: Option<Term>,
    pub empty_results: usize,
    /// Whether the 学期 column holds 正方's internal codes (3, 12, 16), decided once per file.
    zf_semesters: Option<bool>,
    /// Scans the whole file for 正方 codes, asked the first time a bare `3` needs reading.
    semester_probe: Option<Box<dyn FnMut() -> bool>>,
    /// Every nature value seen, with the class it got, for the summary.
    pub natures: std::collections::BTreeMap<String, Option<Nature>>,
    /// The language of the reasons a bad row is given.
    lang: Lang,
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
            lang: Lang::En,
        }
    }

    /// Gives bad rows their reasons in `lang`.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
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

    pub(super) fn get<'r>(&self, rec: &'r StringRecord, f: Field) -> Option<&'r str> {
        self.cols
            .index(f)
            .map(|i| trim_cell(rec.get(i).unwrap_or("")))
    }

    /// The cell, or "" when the column is absent.
    pub(super) fn text<'r>(&self, rec: &'r StringRecord, f: Field) -> &'r str {
        self.get(rec, f).unwrap_or("")
    }

    pub(super) fn bad(&self, f: Field, value: &str, why: Why) -> Bad {
        Bad {
            column: self.cols.header(f).to_string(),
            value: value.to_string(),
            reason: why.text(self.lang),
        }
    }

    pub(super) fn required_text(
        &self,
        rec: &StringRecord,
        f: Field,
        missing: Why,
    ) -> Result<String, Bad> {
        let v = norm(self.text(rec, f));
        if v.is_empty() {
            return Err(self.bad(f, "", missing));
        }
        Ok(v.into_owned())
    }

    pub(super) fn student_id(&self, rec: &StringRecord) -> Result<String, Bad> {
        self.required_text(rec, Field::StudentId, Why::MissingStudentId)
    }

    pub(super) fn term(&mut self, rec: &StringRecord) -> Result<Term, Bad> {
        let (a, b) = match self.term_source {
            Some(TermSource::Combined(i, _)) => (trim_cell(rec.get(i).unwrap_or("")), ""),
            Some(TermSource::Split(y, s)) => (
                trim_cell(rec.get(y).unwrap_or("")),
                trim_cell(rec.get(s).unwrap_or("")),
            ),
            // Students carry no term; other datasets always have a source (header check).
            None => return Err(self.bad(Field::Term, "", Why::NoTermColumn)),
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
                .map_err(|_| self.bad(f, a, Why::NotTerm)),
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
                    return Err(self.bad(Field::Year, a, Why::NotTermYear));
                }
                Term::from_year_and_term(&y, &s)
                    .map_err(|_| self.bad(Field::Semester, b, Why::NotTermNumber))
            }
        }
    }

    /// A number from 0 to `max` (import.md's ranges: credits 0–30, absence hours 0–1,000).
    pub(super) fn in_range(
        &self,
        rec: &StringRecord,
        f: Field,
        why: Why,
        max: f64,
    ) -> Result<f64, Bad> {
        let raw = self.text(rec, f);
        match norm(raw).parse::<f64>() {
            Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(v),
            _ => Err(self.bad(f, raw, why)),
        }
    }

    fn absence(&mut self, rec: &StringRecord) -> Result<Record, Bad> {
        let student_id = self.student_id(rec)?;
        let term = self.term(rec)?;
        let hours = self.in_range(rec, Field::AbsenceHours, Why::NotHours, MAX_ABSENCE_HOURS)?;
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
                    return Err(self.bad(Field::FitnessScore, raw_score, Why::NotFitnessScore));
                }
            },
        };
        let raw_req = self.text(rec, Field::GraduationMet);
        let graduation_met = graduation_met(raw_req)
            .ok_or_else(|| self.bad(Field::GraduationMet, raw_req, Why::NotRequirement))?;
        if score.is_none() && word.is_none() && graduation_met.is_none() {
            let f = if self.cols.has(Field::FitnessScore) {
                Field::FitnessScore
            } else {
                Field::GraduationMet
            };
            return Err(self.bad(f, "", Why::NoFitness));
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
        let kind =
            FlagKind::parse(raw).ok_or_else(|| self.bad(Field::FlagKind, raw, Why::NotFlagKind))?;
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
    use crate::model::{Assessment, AttemptKind, Mark};

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
            ("成绩", "良好好", Why::NotResult.text(Lang::En).as_str())
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
