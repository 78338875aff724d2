//! Domain vocabulary shared by import, storage, the policy engine and the views.
//!
//! Nothing here knows about files, SQL or terminals: these are the facts as the
//! regulations speak of them (学期, 课程性质, 成绩性质, 成绩 …), already normalised.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

mod cadence;
mod followup;
mod lifecycle;
mod term;

pub use cadence::{Cadence, CadenceParseError};
pub use followup::*;
pub use lifecycle::{
    Change, Held, IssuedWarning, Snapshot, Standing, StudentPlan, Withdrawal, Withdrawn, Written,
};
pub use term::{Term, TermParseError};

/// 成绩性质 / 考试性质: which sitting an attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptKind {
    /// 正考 / 正常考试 / 初修
    Regular,
    /// 补考, 补考一, 补考二
    Makeup,
    /// 重修, 重修重考
    Retake,
    /// 缓考: the deferred sitting that stands in for a regular sitting whose result was 缓考.
    Deferred,
    /// 重修补考: a makeup of a retake; it belongs to the retake sitting.
    RetakeMakeup,
}

impl AttemptKind {
    pub fn code(self) -> i64 {
        match self {
            AttemptKind::Regular => 0,
            AttemptKind::Makeup => 1,
            AttemptKind::Retake => 2,
            AttemptKind::Deferred => 3,
            AttemptKind::RetakeMakeup => 4,
        }
    }
    pub fn from_code(c: i64) -> Option<AttemptKind> {
        Some(match c {
            0 => AttemptKind::Regular,
            1 => AttemptKind::Makeup,
            2 => AttemptKind::Retake,
            3 => AttemptKind::Deferred,
            4 => AttemptKind::RetakeMakeup,
            _ => return None,
        })
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            AttemptKind::Regular => "正考",
            AttemptKind::Makeup => "补考",
            AttemptKind::Retake => "重修",
            AttemptKind::Deferred => "缓考",
            AttemptKind::RetakeMakeup => "重修补考",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            AttemptKind::Regular => "regular",
            AttemptKind::Makeup => "makeup",
            AttemptKind::Retake => "retake",
            AttemptKind::Deferred => "deferred",
            AttemptKind::RetakeMakeup => "retake makeup",
        }
    }

    /// The stable id in reasons: a makeup of a retake is a makeup there.
    pub fn id(self) -> &'static str {
        match self {
            AttemptKind::Regular => "regular",
            AttemptKind::Makeup | AttemptKind::RetakeMakeup => "makeup",
            AttemptKind::Retake => "retake",
            AttemptKind::Deferred => "deferred",
        }
    }

    pub fn is_makeup(self) -> bool {
        matches!(self, AttemptKind::Makeup | AttemptKind::RetakeMakeup)
    }
}

/// The sitting number of a late makeup (毕业前补考, 清考): after 补考一 and 补考二.
pub const LATE_MAKEUP_SITTING: u8 = 3;

/// 课程性质, normalised as import.md says: practical courses (实践, 实习, 实验, 课程设计) are
/// compulsory parts of the programme, so they are `Required`. `Other` keeps what the registrar
/// wrote and counts as none of the named natures until a school maps it (`yujing nature map`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    Required,
    Elective,
    GeneralElective,
    Other(String),
}

/// Words that make a value containing 选 a general elective (通识教育选修课, 公共任选 …).
const GENERAL_WORDS: [&str; 8] = [
    "通识", "公选", "公共", "任意", "全校", "通选", "校选", "素质",
];
const PRACTICAL_WORDS: [&str; 4] = ["实践", "实习", "实验", "设计"];

impl Nature {
    /// Normalises one registrar nature value (专业必修课 → Required, 通识选修 → GeneralElective,
    /// 集中实践 → Required …). English ids are accepted too.
    pub fn normalise(raw: &str) -> Option<Nature> {
        let s = raw.trim();
        if s.is_empty() {
            return None;
        }
        Some(match Nature::decisive(s) {
            Some(n) => n,
            None if PRACTICAL_WORDS.iter().any(|k| s.contains(k)) => Nature::Required,
            None => match s.to_ascii_lowercase().as_str() {
                "required" | "practical" => Nature::Required,
                "elective" => Nature::Elective,
                "general_elective" | "general" => Nature::GeneralElective,
                _ => Nature::Other(s.to_string()),
            },
        })
    }

    /// The class a value gets from saying 必修 or 选; None when it says neither.
    fn decisive(s: &str) -> Option<Nature> {
        if s.contains('选') {
            Some(if GENERAL_WORDS.iter().any(|k| s.contains(k)) {
                Nature::GeneralElective
            } else {
                Nature::Elective
            })
        } else if s.contains("必修") {
            Some(Nature::Required)
        } else {
            None
        }
    }

    /// Picks, from a row's nature columns (课程性质, 课程属性, 课程类别 in that order), the value
    /// that decides: the first saying 必修 or 选, else the first naming a practical course,
    /// else the first non-empty one. Returns that value as written.
    pub fn deciding_value<'a>(values: &[&'a str]) -> Option<&'a str> {
        let vals = || values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
        vals()
            .find(|v| Nature::decisive(v).is_some())
            .or_else(|| vals().find(|v| PRACTICAL_WORDS.iter().any(|k| v.contains(k))))
            .or_else(|| vals().next())
    }

    /// A class given by `yujing nature map` (required, elective, general, none).
    pub fn from_class(class: &str, raw: &str) -> Option<Nature> {
        Some(match class {
            "required" => Nature::Required,
            "elective" => Nature::Elective,
            "general" | "general_elective" => Nature::GeneralElective,
            "none" => Nature::Other(raw.to_string()),
            _ => return None,
        })
    }

    pub fn id(&self) -> &str {
        match self {
            Nature::Required => "required",
            Nature::Elective => "elective",
            Nature::GeneralElective => "general_elective",
            Nature::Other(s) => s,
        }
    }

    /// The class id for `nature list`: required, elective, general, none.
    pub fn class_id(&self) -> &'static str {
        match self {
            Nature::Required => "required",
            Nature::Elective => "elective",
            Nature::GeneralElective => "general",
            Nature::Other(_) => "none",
        }
    }

    pub fn label_zh(&self) -> &str {
        match self {
            Nature::Required => "必修",
            Nature::Elective => "选修",
            Nature::GeneralElective => "通识选修",
            Nature::Other(s) => s,
        }
    }
}

/// 考核方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// 考试
    Exam,
    /// 考查
    Coursework,
}

impl Assessment {
    pub fn parse(raw: &str) -> Option<Assessment> {
        let s = raw.trim();
        if s.contains("考试") || s.eq_ignore_ascii_case("exam") {
            Some(Assessment::Exam)
        } else if s.contains("考查") || s.eq_ignore_ascii_case("coursework") {
            Some(Assessment::Coursework)
        } else {
            None
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Assessment::Exam => "考试",
            Assessment::Coursework => "考查",
        }
    }
}

/// A raw result (成绩) read as the regulations read it. Whether a `Score` passes depends on the
/// policy's pass mark, so it is not decided here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Mark {
    Score(f64),
    /// 优秀 良好 中等 及格 合格 通过 A B C D pass
    PassWord,
    /// 不及格 不合格 不通过 F 缺考 旷考 作弊 违纪 取消资格
    FailWord,
    /// 免修: counts as passed.
    Exempt,
    /// 缓考: the course is pending until the deferred sitting's result arrives.
    Deferred,
    /// Empty: not yet recorded. Ignored like a pending attempt.
    Empty,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a result: '{0}'")]
pub struct MarkParseError(pub String);

/// Full-width digits and punctuation (０-９ ． －) to ASCII; surrounding spaces trimmed.
pub fn normalise_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

impl Mark {
    pub fn parse(raw: &str) -> Result<Mark, MarkParseError> {
        let s = normalise_digits(raw);
        if s.is_empty() {
            return Ok(Mark::Empty);
        }
        if let Ok(v) = s.parse::<f64>() {
            // A result is a percentage (import.md): 150 or 1e308 is a slip, not a score.
            if v.is_finite() && (0.0..=100.0).contains(&v) {
                return Ok(Mark::Score(v));
            }
            return Err(MarkParseError(raw.to_string()));
        }
        let letter = s
            .strip_suffix(['+', '-'])
            .filter(|l| l.len() == 1)
            .unwrap_or(&s);
        let m = match letter {
            "优秀" | "良好" | "中等" | "及格" | "合格" | "通过" | "优" | "良" | "中" | "A"
            | "B" | "C" | "D" | "a" | "b" | "c" | "d" | "pass" | "Pass" | "PASS" => Mark::PassWord,
            "不及格" | "不合格" | "不通过" | "未通过" | "差" | "F" | "f" | "缺考" | "旷考"
            | "作弊" | "舞弊" | "违纪" | "取消资格" | "取消考试资格" | "fail" | "Fail" | "FAIL" => {
                Mark::FailWord
            }
            "免修" => Mark::Exempt,
            "缓考" => Mark::Deferred,
            _ => return Err(MarkParseError(raw.to_string())),
        };
        Ok(m)
    }

    /// `Some(true)` passed, `Some(false)` failed, `None` pending (缓考 or not yet recorded).
    pub fn passed(self, pass_mark: f64) -> Option<bool> {
        match self {
            Mark::Score(v) => Some(v >= pass_mark),
            Mark::PassWord | Mark::Exempt => Some(true),
            Mark::FailWord => Some(false),
            Mark::Deferred | Mark::Empty => None,
        }
    }
}

/// One sitting of one course by one student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    // Shared text: a 2,000,000-row load repeats a few thousand codes, names and results, and
    // one allocation each instead of one a row is most of evaluation's speed. Rc, not Arc:
    // a load shares them within its own thread, and atomic counts on every row were 7% of a
    // cold evaluation's CPU.
    pub course_code: Rc<str>,
    pub course_name: Rc<str>,
    pub term: Term,
    pub kind: AttemptKind,
    /// Which sitting of its kind: 补考一 1, 补考二 2, a late makeup (毕业前补考, 清考) 3; 1 for
    /// every other kind. Part of the row's key, so both makeups are kept.
    pub sitting: u8,
    /// The course's term (开课学期) when the file dates the sitting itself (补重学期, 强智):
    /// a makeup then belongs to the course's sitting of that term.
    pub course_term: Option<Term>,
    /// A minor-programme course (辅修): kept, counted by no metric.
    pub minor: bool,
    /// The course's nature: the registrar's value as normalised, or as a school mapped it.
    pub nature: Option<Nature>,
    /// The nature value as the registrar wrote it (the column that decided), kept so that a
    /// school's mapping (`yujing nature map`) applies to what is already stored.
    pub nature_raw: Option<Rc<str>>,
    pub assessment: Option<Assessment>,
    pub credits: f64,
    /// The result as the registrar wrote it (digits normalised), for display.
    pub result: Rc<str>,
    pub mark: Mark,
}

impl Attempt {
    /// The order the engine reads a student's attempts in: by course, then term, then kind,
    /// then sitting.
    pub fn canonical_order(&self, other: &Attempt) -> std::cmp::Ordering {
        self.course_code
            .cmp(&other.course_code)
            .then(self.term.cmp(&other.term))
            .then(self.kind.cmp(&other.kind))
            .then(self.sitting.cmp(&other.sitting))
    }
}

/// One physical fitness test record (体测).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitnessRecord {
    pub term: Term,
    /// Numeric score, when the record has one.
    pub score: Option<f64>,
    /// Result word (优秀 良好 及格 不及格), when the record has one instead of a score.
    pub word: Option<String>,
    /// 毕业要求: `Some(true)` 达到, `Some(false)` 未达到, `None` not stated.
    pub graduation_met: Option<bool>,
}

/// Counsellor-recorded flags (metric `flag:KIND`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Discipline,
    Wellbeing,
    Psychological,
}

impl FlagKind {
    pub fn parse(raw: &str) -> Option<FlagKind> {
        let s = raw.trim().to_lowercase();
        if s.contains("discipline") || s.contains("处分") || s.contains("违纪") {
            Some(FlagKind::Discipline)
        } else if s.contains("wellbeing")
            || s.contains("情绪")
            || s.contains("沉迷网络")
            || s.contains("网络")
        {
            Some(FlagKind::Wellbeing)
        } else if s.contains("psychological") || s.contains("心理") {
            Some(FlagKind::Psychological)
        } else {
            None
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            FlagKind::Discipline => "discipline",
            FlagKind::Wellbeing => "wellbeing",
            FlagKind::Psychological => "psychological",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub term: Term,
    pub kind: FlagKind,
    pub note: String,
}

/// Everything the engine needs to know about one student, for any term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StudentFacts {
    pub student_id: String,
    pub attempts: Vec<Attempt>,
    /// Unexcused absence hours (旷课学时) per row; several rows in one term are summed.
    pub absences: Vec<(Term, f64)>,
    pub fitness: Vec<FitnessRecord>,
    pub flags: Vec<Flag>,
    /// Courses a counsellor cleared by hand (`yujing course clear`), by course code.
    pub cleared: Vec<Clearance>,
}

/// An outstanding course cleared by hand: replaced after a programme revision, a failed
/// elective made up by another. Counted as passed by every failure metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clearance {
    pub course_code: String,
    pub reason: String,
    pub by: String,
    pub on: String,
}

impl StudentFacts {
    /// Puts the attempts in [`Attempt::canonical_order`] (a no-op when they are).
    pub fn sort_attempts(&mut self) {
        if !self.is_sorted() {
            self.attempts.sort_by(Attempt::canonical_order);
        }
    }

    pub fn is_sorted(&self) -> bool {
        self.attempts
            .is_sorted_by(|a, b| a.canonical_order(b).is_le())
    }
}

/// A student's roster record (学生名单).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    pub student_id: String,
    pub name: String,
    pub college: String,
    pub major: String,
    pub cohort: String,
    pub class: String,
    pub phone: String,
    pub parent: String,
    pub parent_phone: String,
    pub address: String,
    pub class_teacher: String,
    pub counsellor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_parses_both_forms_and_orders() {
        let a: Term = "2024-2025-1".parse().unwrap();
        let b = Term::from_year_and_term("2024-2025", "第二学期").unwrap();
        assert_eq!(a.to_string(), "2024-2025-1");
        assert_eq!(b.to_string(), "2024-2025-2");
        assert!(a < b);
        assert_eq!(Term::from_key(a.key()), Some(a));
        assert!("2024-2026-1".parse::<Term>().is_err());
        assert!("2024-2025-9".parse::<Term>().is_err());
        assert_eq!(Term::from_year_and_term("2023-2024", "一").unwrap().n, 1);
        assert_eq!(b.previous(), a);
        assert_eq!(a.previous().to_string(), "2023-2024-2");
    }

    #[test]
    fn marks_follow_the_spec_words() {
        assert_eq!(Mark::parse(" ９０ ").unwrap(), Mark::Score(90.0));
        assert_eq!(Mark::parse("59.5").unwrap().passed(60.0), Some(false));
        assert_eq!(Mark::parse("60").unwrap().passed(60.0), Some(true));
        assert_eq!(Mark::parse("免修").unwrap().passed(60.0), Some(true));
        assert_eq!(Mark::parse("缓考").unwrap().passed(60.0), None);
        assert_eq!(Mark::parse("").unwrap().passed(60.0), None);
        assert_eq!(Mark::parse("旷考").unwrap().passed(60.0), Some(false));
        assert_eq!(Mark::parse("中等").unwrap().passed(60.0), Some(true));
        assert!(Mark::parse("abc").is_err());
        assert!(Mark::parse("-5").is_err());
    }

    #[test]
    fn nature_normalisation_follows_import_md() {
        use Nature::*;
        for (raw, want) in [
            ("公共选修课", GeneralElective),
            ("通识教育选修课", GeneralElective),
            ("公共任选", GeneralElective),
            ("任意选修课", GeneralElective),
            ("校选课", GeneralElective),
            ("素质教育选修课", GeneralElective),
            ("全校通选", GeneralElective),
            ("通识必修", Required),
            ("思政通识必修课", Required),
            ("公共必修", Required),
            ("专业必修课", Required),
            ("必修", Required),
            ("专业限选", Elective),
            ("任选", Elective),
            ("必选", Elective),
            ("专业选修", Elective),
            ("实践", Required),
            ("集中实践教学环节", Required),
            ("毕业实习", Required),
            ("课程设计", Required),
            ("实践选修", Elective),
        ] {
            assert_eq!(Nature::normalise(raw), Some(want), "{raw}");
        }
        assert_eq!(
            Nature::normalise("专业核心课"),
            Some(Other("专业核心课".into()))
        );
        assert_eq!(Nature::normalise(" "), None);
    }

    #[test]
    fn the_first_nature_column_saying_compulsory_or_elective_decides() {
        // 强智: 课程性质 专业基础课 says neither; 课程属性 限选 decides.
        assert_eq!(
            Nature::deciding_value(&["专业基础课", "限选"]),
            Some("限选")
        );
        // 正方: 课程性质 专业必修课 beside 课程类别 专业核心课.
        assert_eq!(
            Nature::deciding_value(&["专业必修课", "", "专业核心课"]),
            Some("专业必修课")
        );
        // Practical words decide only when no column says 必修 or 选.
        assert_eq!(Nature::deciding_value(&["集中实践", "任选"]), Some("任选"));
        assert_eq!(
            Nature::deciding_value(&["专业核心课", "集中实践"]),
            Some("集中实践")
        );
        assert_eq!(
            Nature::deciding_value(&["", "专业核心课"]),
            Some("专业核心课")
        );
        assert_eq!(Nature::deciding_value(&["", " "]), None);
    }

    #[test]
    fn summer_terms_and_zhengfang_codes() {
        let t = |y: &str, s: &str| Term::from_year_and_term(y, s).unwrap().to_string();
        assert_eq!(t("2024-2025", "夏季学期"), "2024-2025-3");
        assert_eq!(t("2024-2025", "小学期"), "2024-2025-3");
        assert_eq!(t("2024-2025", "第三学期"), "2024-2025-3");
        assert_eq!(t("2024-2025", "12"), "2024-2025-2");
        assert_eq!(t("2024-2025", "16"), "2024-2025-3");
        let summer: Term = "2024-2025-3".parse().unwrap();
        assert!(summer.is_summer());
        assert_eq!(summer.folded().to_string(), "2024-2025-2");
        let spring: Term = "2024-2025-1".parse().unwrap();
        assert_eq!(spring.folded(), spring);
    }

    #[test]
    fn result_words_and_ranges() {
        for w in ["优", "良", "中", "A+", "B-", "合格"] {
            assert_eq!(Mark::parse(w).unwrap(), Mark::PassWord, "{w}");
        }
        for w in ["未通过", "差", "舞弊", "取消考试资格", "F"] {
            assert_eq!(Mark::parse(w).unwrap(), Mark::FailWord, "{w}");
        }
        for bad in ["150", "100.5", "-5", "1e308", "NaN", "inf", "A++"] {
            assert!(Mark::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Mark::parse("100").unwrap(), Mark::Score(100.0));
        assert_eq!(Mark::parse("0").unwrap(), Mark::Score(0.0));
    }
}
