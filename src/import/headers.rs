//! Column names: which header text means which field, which fields each dataset needs, and
//! which row of the file is the header.

use super::Dataset;

/// A field the importer understands. The discriminant indexes `Columns::idx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    StudentId,
    Name,
    College,
    Major,
    Cohort,
    Class,
    Phone,
    Parent,
    ParentPhone,
    Address,
    ClassTeacher,
    Counsellor,
    /// 学年 (`2024-2025`), paired with `Semester`.
    Year,
    /// 学期 (`1`, `二`, `第一学期` …), paired with `Year`.
    Semester,
    /// One column holding `2024-2025-1`.
    Term,
    CourseCode,
    CourseName,
    Nature,
    Assessment,
    Credits,
    Result,
    AttemptKind,
    MakeupResult,
    RetakeResult,
    ResultRemark,
    AbsenceHours,
    FitnessScore,
    GraduationMet,
    FlagKind,
    Note,
    /// 补重学期 (强智): the term a makeup or retake was sat; 开课学期 is then the course's.
    SittingTerm,
    /// 成绩标志 / 成绩标识 (强智): 缓考, 缺考 … decide a row whose score is empty or 0.
    ResultFlag,
    /// 重修标记 (old 正方): 1 marks a retake.
    RetakeFlag,
    /// 辅修标记 / 辅修课程: a minor-programme course.
    MinorFlag,
}

const FIELD_COUNT: usize = Field::MinorFlag as usize + 1;

/// Accepted header texts per field, Chinese as the registrar systems print them, then an
/// English name (matched case-insensitively). 开课学院 is deliberately absent: it is the
/// teaching department, not the student's college.
const ALIASES: &[(Field, &[&str])] = &[
    (Field::StudentId, &["学号", "学生学号", "student_id"]),
    (Field::Name, &["姓名", "学生姓名", "name"]),
    (Field::College, &["学院", "院系", "college"]),
    (Field::Major, &["专业", "major"]),
    (Field::Cohort, &["年级", "cohort"]),
    (Field::Class, &["班级", "行政班", "class"]),
    (Field::Phone, &["手机", "联系电话", "手机号码", "phone"]),
    (Field::Parent, &["家长姓名", "监护人", "parent"]),
    (
        Field::ParentPhone,
        &["家长电话", "家长联系电话", "parent_phone"],
    ),
    (Field::Address, &["家庭地址", "家庭住址", "address"]),
    (Field::ClassTeacher, &["班主任", "class_teacher"]),
    (Field::Counsellor, &["辅导员", "counsellor"]),
    (Field::Year, &["学年", "academic_year"]),
    (Field::Semester, &["学期", "semester"]),
    (Field::Term, &["学年学期", "开课学期", "开课时间", "term"]),
    (
        Field::CourseCode,
        &["课程代码", "课程编号", "课程号", "course_code"],
    ),
    (Field::CourseName, &["课程名称", "课程名", "course_name"]),
    (
        Field::Nature,
        &["课程性质", "课程属性", "课程类别", "nature"],
    ),
    (Field::Assessment, &["考核方式", "考试方式", "assessment"]),
    (Field::Credits, &["学分", "credits"]),
    (
        Field::Result,
        &["成绩", "总评成绩", "总成绩", "最终成绩", "result"],
    ),
    (
        Field::AttemptKind,
        &["成绩性质", "考试性质", "attempt_kind"],
    ),
    (Field::MakeupResult, &["补考成绩", "makeup_result"]),
    (Field::RetakeResult, &["重修成绩", "retake_result"]),
    (Field::ResultRemark, &["成绩备注", "result_note"]),
    (
        Field::AbsenceHours,
        &["旷课学时", "旷课节数", "absence_hours"],
    ),
    (
        Field::FitnessScore,
        &["体测成绩", "体测总分", "测试成绩", "fitness_score"],
    ),
    (
        Field::GraduationMet,
        &["毕业要求", "graduation_requirement"],
    ),
    (Field::FlagKind, &["类型", "flag_kind"]),
    (Field::Note, &["说明", "备注", "note"]),
    (Field::SittingTerm, &["补重学期", "sitting_term"]),
    (Field::ResultFlag, &["成绩标志", "成绩标识", "result_flag"]),
    (Field::RetakeFlag, &["重修标记", "retake_flag"]),
    (Field::MinorFlag, &["辅修标记", "辅修课程", "minor_flag"]),
];

fn aliases(f: Field) -> &'static [&'static str] {
    ALIASES
        .iter()
        .find(|(g, _)| *g == f)
        .map_or(&[], |(_, names)| names)
}

/// Maps one header cell to its field, after trimming spaces and a BOM.
pub fn field_of(header: &str) -> Option<Field> {
    field_and_rank(header).map(|(f, _)| f)
}

/// The field of a header cell and the rank of its name among the field's accepted names
/// (0 = first in import.md's table), so that the first name in that order wins.
fn field_and_rank(header: &str) -> Option<(Field, usize)> {
    let h = header.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if h.is_empty() {
        return None;
    }
    ALIASES.iter().find_map(|(f, names)| {
        names
            .iter()
            .position(|n| {
                if n.is_ascii() {
                    n.eq_ignore_ascii_case(h)
                } else {
                    *n == h
                }
            })
            .map(|rank| (*f, rank))
    })
}

/// What a dataset cannot do without. `OneOf` is satisfied by any of its fields.
enum Need {
    One(Field),
    OneOf(&'static [Field]),
    Term,
}

fn needs(dataset: Dataset) -> &'static [Need] {
    use Field::*;
    match dataset {
        Dataset::Students => &[Need::One(StudentId)],
        Dataset::Grades => &[
            Need::One(StudentId),
            Need::Term,
            Need::One(CourseCode),
            Need::One(Credits),
            Need::One(Result),
        ],
        Dataset::Absences => &[Need::One(StudentId), Need::Term, Need::One(AbsenceHours)],
        Dataset::Fitness => &[
            Need::One(StudentId),
            Need::Term,
            Need::OneOf(&[FitnessScore, GraduationMet]),
        ],
        Dataset::Flags => &[Need::One(StudentId), Need::Term, Need::One(FlagKind)],
    }
}

/// Where each field sits in the header row, and the header texts as written.
#[derive(Debug, Clone)]
pub struct Columns {
    idx: [Option<usize>; FIELD_COUNT],
    /// Every nature column (课程性质, 课程属性, 课程类别), in that order: each row picks the
    /// one that decides ([`crate::model::Nature::deciding_value`]).
    natures: Vec<usize>,
    /// Fields named by more than one accepted header: (field's used header, ignored headers).
    alternatives: Vec<(usize, Vec<usize>)>,
    names: Vec<String>,
}

impl Columns {
    pub fn from_row<S: AsRef<str>>(cells: &[S]) -> Columns {
        let mut idx = [None; FIELD_COUNT];
        let mut rank = [usize::MAX; FIELD_COUNT];
        let mut seen: Vec<Vec<(usize, usize)>> = vec![Vec::new(); FIELD_COUNT];
        for (i, c) in cells.iter().enumerate() {
            // The first accepted name in import.md's order wins (成绩 before 总评成绩), then the
            // first column: the others are extra columns, and the summary says which was used.
            if let Some((f, r)) = field_and_rank(c.as_ref()) {
                seen[f as usize].push((r, i));
                if r < rank[f as usize] {
                    rank[f as usize] = r;
                    idx[f as usize] = Some(i);
                }
            }
        }
        let mut natures = seen[Field::Nature as usize].clone();
        natures.sort();
        let natures = natures.into_iter().map(|(_, i)| i).collect();
        let alternatives = seen
            .iter()
            .enumerate()
            .filter(|(f, cols)| *f != Field::Nature as usize && cols.len() > 1)
            .filter_map(|(f, cols)| {
                let used = idx[f]?;
                let others = cols
                    .iter()
                    .map(|(_, i)| *i)
                    .filter(|i| *i != used)
                    .collect();
                Some((used, others))
            })
            .collect();
        let names = cells
            .iter()
            .map(|c| {
                c.as_ref()
                    .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect();
        Columns {
            idx,
            natures,
            alternatives,
            names,
        }
    }

    /// A header as written, by column.
    pub fn name_at(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// The nature columns, most decisive name first.
    pub fn nature_columns(&self) -> &[usize] {
        &self.natures
    }

    /// `成绩 (not 总评成绩)`: for each field named by several columns, which one was read.
    pub fn alternatives_used(&self) -> Vec<String> {
        self.alternatives
            .iter()
            .map(|(used, others)| {
                let others: Vec<&str> = others.iter().map(|i| self.names[*i].as_str()).collect();
                format!("{} (not {})", self.names[*used], others.join(", "))
            })
            .collect()
    }

    pub fn index(&self, f: Field) -> Option<usize> {
        self.idx[f as usize]
    }

    pub fn has(&self, f: Field) -> bool {
        self.idx[f as usize].is_some()
    }

    /// The header of `f` as written in the file, or its first Chinese name when absent.
    pub fn header(&self, f: Field) -> &str {
        match self.index(f) {
            Some(i) => &self.names[i],
            None => aliases(f).first().copied().unwrap_or(""),
        }
    }

    /// The header texts found, for error messages.
    pub fn found(&self) -> String {
        let non_empty: Vec<&str> = self
            .names
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        if non_empty.is_empty() {
            "(none)".to_string()
        } else {
            non_empty.join(", ")
        }
    }

    pub fn recognised(&self) -> usize {
        self.idx.iter().filter(|i| i.is_some()).count()
    }

    /// The term comes from 学年学期 / 开课学期, or from 学年 with 学期; a lone 学期 column
    /// is read as holding the full `2024-2025-1` form.
    pub fn term_source(&self) -> Option<TermSource> {
        match (
            self.index(Field::Term),
            self.index(Field::Year),
            self.index(Field::Semester),
        ) {
            (Some(i), _, _) => Some(TermSource::Combined(i, Field::Term)),
            (None, Some(y), Some(s)) => Some(TermSource::Split(y, s)),
            (None, None, Some(s)) => Some(TermSource::Combined(s, Field::Semester)),
            (None, Some(_), None) => None,
            (None, None, None) => None,
        }
    }

    /// Required fields the header lacks, each with the names it would accept.
    pub fn missing(&self, dataset: Dataset) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for need in needs(dataset) {
            match need {
                Need::One(f) if !self.has(*f) => out.push(describe(&[*f])),
                Need::OneOf(fs) if !fs.iter().any(|f| self.has(*f)) => out.push(describe(fs)),
                Need::Term if self.term_source().is_none() => {
                    let (name, accepted) = if self.has(Field::Year) {
                        describe(&[Field::Semester])
                    } else {
                        let (n, a) = describe(&[Field::Term]);
                        (n, format!("{a}, or 学年 with 学期"))
                    };
                    out.push((name, accepted));
                }
                _ => {}
            }
        }
        out
    }
}

/// Where a row's term is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermSource {
    Combined(usize, Field),
    Split(usize, usize),
}

fn describe(fields: &[Field]) -> (String, String) {
    let name = fields
        .iter()
        .map(|f| aliases(*f)[0])
        .collect::<Vec<_>>()
        .join(" or ");
    let accepted = fields
        .iter()
        .flat_map(|f| aliases(*f).iter().copied())
        .collect::<Vec<_>>()
        .join(", ");
    (name, accepted)
}

/// Why no header row was found: from the best candidate row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoHeader {
    pub missing: String,
    pub accepted: String,
    pub found: String,
}

/// How many leading rows may hold a title above the header.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Tells whether one candidate row is the header, and keeps the best failing candidate
/// so that the error can show what was found.
pub struct HeaderSearch {
    dataset: Dataset,
    best: Option<Columns>,
}

impl HeaderSearch {
    pub fn new(dataset: Dataset) -> HeaderSearch {
        HeaderSearch {
            dataset,
            best: None,
        }
    }

    /// `Some(columns)` when this row names every required column.
    pub fn offer<S: AsRef<str>>(&mut self, cells: &[S]) -> Option<Columns> {
        let cols = Columns::from_row(cells);
        if cols.missing(self.dataset).is_empty() {
            return Some(cols);
        }
        if self
            .best
            .as_ref()
            .is_none_or(|b| cols.recognised() > b.recognised())
        {
            self.best = Some(cols);
        }
        None
    }

    pub fn failure(self) -> NoHeader {
        let best = self.best.unwrap_or_else(|| Columns::from_row::<&str>(&[]));
        let missing = best.missing(self.dataset);
        NoHeader {
            missing: missing
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            accepted: missing
                .iter()
                .map(|(n, a)| format!("{n}: {a}"))
                .collect::<Vec<_>>()
                .join("; "),
            found: best.found(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_registrar_and_english_names() {
        assert_eq!(field_of("学号"), Some(Field::StudentId));
        assert_eq!(field_of(" 学生学号 "), Some(Field::StudentId));
        assert_eq!(field_of("\u{feff}学号"), Some(Field::StudentId));
        assert_eq!(field_of("Student_ID"), Some(Field::StudentId));
        assert_eq!(field_of("课程号"), Some(Field::CourseCode));
        assert_eq!(field_of("总评成绩"), Some(Field::Result));
        assert_eq!(field_of("考试性质"), Some(Field::AttemptKind));
        assert_eq!(field_of("考试方式"), Some(Field::Assessment));
        assert_eq!(field_of("开课学期"), Some(Field::Term));
        assert_eq!(field_of("行政班"), Some(Field::Class));
        assert_eq!(field_of("旷课节数"), Some(Field::AbsenceHours));
        assert_eq!(field_of("开课学院"), None);
        assert_eq!(field_of("绩点"), None);
        assert_eq!(field_of(""), None);
    }

    #[test]
    fn first_name_in_table_order_wins_and_headers_keep_their_text() {
        let c = Columns::from_row(&["学号", " 成绩 ", "总评成绩"]);
        assert_eq!(c.index(Field::Result), Some(1));
        assert_eq!(c.header(Field::Result), "成绩");
        assert_eq!(c.header(Field::Credits), "学分");
        let c = Columns::from_row(&["总评成绩", "学号", "成绩"]);
        assert_eq!(c.index(Field::Result), Some(2));
        assert_eq!(c.alternatives_used(), ["成绩 (not 总评成绩)"]);
        // Nature columns are all kept, 课程性质 first, whatever the file's order.
        let c = Columns::from_row(&["课程类别", "学号", "课程属性", "课程性质"]);
        assert_eq!(c.nature_columns(), [3, 2, 0]);
        assert!(c.alternatives_used().is_empty());
        assert_eq!(field_of("补重学期"), Some(Field::SittingTerm));
        assert_eq!(field_of("成绩标识"), Some(Field::ResultFlag));
        assert_eq!(field_of("辅修课程"), Some(Field::MinorFlag));
    }

    #[test]
    fn term_sources() {
        let split = Columns::from_row(&["学年", "学期"]);
        assert_eq!(split.term_source(), Some(TermSource::Split(0, 1)));
        let combined = Columns::from_row(&["学期", "开课学期"]);
        assert_eq!(
            combined.term_source(),
            Some(TermSource::Combined(1, Field::Term))
        );
        assert_eq!(Columns::from_row(&["学年"]).term_source(), None);
    }

    #[test]
    fn header_search_skips_title_rows_and_reports_best_candidate() {
        let mut s = HeaderSearch::new(Dataset::Grades);
        assert!(s.offer(&["某某大学学生成绩表"]).is_none());
        assert!(
            s.offer(&["学号", "学年", "学期", "课程代码", "成绩"])
                .is_none()
        );
        assert!(s.offer(&["打印日期：2025-01-01"]).is_none());
        let f = s.failure();
        assert_eq!(f.missing, "学分");
        assert_eq!(f.accepted, "学分: 学分, credits");
        assert_eq!(f.found, "学号, 学年, 学期, 课程代码, 成绩");

        let mut s = HeaderSearch::new(Dataset::Grades);
        let ok = s.offer(&["学号", "开课学期", "课程编号", "学分", "总成绩"]);
        assert!(ok.is_some());
    }

    #[test]
    fn fitness_needs_score_or_requirement() {
        let score_only = Columns::from_row(&["学号", "学年", "学期", "体测总分"]);
        assert!(score_only.missing(Dataset::Fitness).is_empty());
        let req_only = Columns::from_row(&["学号", "学年学期", "毕业要求"]);
        assert!(req_only.missing(Dataset::Fitness).is_empty());
        let neither = Columns::from_row(&["学号", "学年学期"]);
        assert_eq!(
            neither.missing(Dataset::Fitness)[0].0,
            "体测成绩 or 毕业要求"
        );
        let no_term = Columns::from_row(&["学号", "学年", "类型"]);
        assert_eq!(no_term.missing(Dataset::Flags)[0].0, "学期");
    }
}
