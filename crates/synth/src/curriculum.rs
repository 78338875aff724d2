//! Each major's teaching plan: which courses a class sits in which term. Credits and kinds are
//! fixed per slot (not random) so that the demo archetypes can aim at exact thresholds
//! (e.g. exactly 6 or 12 outstanding failed credits).

use std::collections::HashMap;

use yujing::model::{Assessment, Nature};

use super::names::{COMMON_COURSEWORK, COMMON_REQUIRED, GENERAL_ELECTIVES, MAJORS, PRACTICALS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    RequiredExam,
    RequiredCoursework,
    GeneralElective,
    Elective,
    Practical,
}

/// The slot pattern of one term; a term with n courses uses the first n slots (cycling past
/// the end). The demo uses 8 slots (24 credits a term), the benchmark 5 (16 credits).
pub(crate) const SLOTS: &[(SlotKind, f64)] = &[
    (SlotKind::RequiredExam, 4.0),
    (SlotKind::RequiredExam, 3.5),
    (SlotKind::RequiredCoursework, 2.0),
    (SlotKind::GeneralElective, 1.5),
    (SlotKind::RequiredExam, 5.0),
    (SlotKind::Elective, 2.5),
    (SlotKind::Practical, 1.0),
    (SlotKind::RequiredExam, 4.5),
    (SlotKind::RequiredCoursework, 3.0),
    (SlotKind::Elective, 2.0),
];

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Course {
    pub code: String,
    pub name: String,
    pub nature: Nature,
    pub assessment: Assessment,
    pub credits: f64,
}

/// `plans[major][term][slot]`.
pub(crate) struct Curricula {
    pub plans: Vec<Vec<Vec<Course>>>,
}

/// Hands out course names of one pool in order; once the pool is used up it starts again
/// with a part number (高等数学（二）), as multi-term courses are named.
struct Pool<'a> {
    names: Vec<&'a str>,
    next: usize,
}

impl<'a> Pool<'a> {
    fn new(names: Vec<&'a str>) -> Pool<'a> {
        Pool { names, next: 0 }
    }

    fn take(&mut self) -> String {
        const PARTS: &[&str] = &["二", "三", "四", "五", "六", "七", "八", "九"];
        let i = self.next;
        self.next += 1;
        let len = self.names.len().max(1);
        let name = self.names.get(i % len).copied().unwrap_or("专业课程");
        match i / len {
            0 => name.to_string(),
            round => format!("{name}（{}）", PARTS[(round - 1) % PARTS.len()]),
        }
    }
}

/// Registrar-style course codes: a prefix telling who teaches it and a running number. The
/// same course (name, credits and prefix alike) gets the same code in every major: a shared
/// 高等数学 is one course.
#[derive(Default)]
struct Codes {
    by_name: HashMap<String, String>,
    counters: HashMap<&'static str, usize>,
}

impl Codes {
    fn code(&mut self, prefix: &'static str, name: &str, credits: f64) -> String {
        let key = format!("{prefix}|{name}|{credits}");
        if let Some(c) = self.by_name.get(&key) {
            return c.clone();
        }
        let n = self.counters.entry(prefix).or_insert(0);
        *n += 1;
        let code = format!("{prefix}{:04}", 1000 + *n);
        self.by_name.insert(key, code.clone());
        code
    }
}

/// Code prefixes, read back by the writers to pick the registrar's spelling of 课程性质.
pub(crate) const PREFIX_COMMON: &str = "GB";
pub(crate) const PREFIX_MAJOR: &str = "ZY";
pub(crate) const PREFIX_GENERAL: &str = "TS";
pub(crate) const PREFIX_ELECTIVE: &str = "XX";
pub(crate) const PREFIX_PRACTICAL: &str = "SJ";

pub(crate) fn build(terms: usize, per_term: usize) -> Curricula {
    let mut codes = Codes::default();
    let plans = MAJORS
        .iter()
        .map(|major| {
            // Alternate common and major-specific required courses, so every term has both.
            let mut required = Vec::new();
            for i in 0..COMMON_REQUIRED.len().max(major.required.len()) {
                if let Some(c) = COMMON_REQUIRED.get(i) {
                    required.push(*c);
                }
                if let Some(m) = major.required.get(i) {
                    required.push(*m);
                }
            }
            let mut pools = [
                Pool::new(required),
                Pool::new(COMMON_COURSEWORK.to_vec()),
                Pool::new(GENERAL_ELECTIVES.to_vec()),
                Pool::new(major.electives.to_vec()),
                Pool::new(PRACTICALS.to_vec()),
            ];
            (0..terms)
                .map(|_| {
                    (0..per_term)
                        .map(|s| {
                            let (kind, credits) = SLOTS[s % SLOTS.len()];
                            let (pool, nature, assessment) = match kind {
                                SlotKind::RequiredExam => (0, Nature::Required, Assessment::Exam),
                                SlotKind::RequiredCoursework => {
                                    (1, Nature::Required, Assessment::Coursework)
                                }
                                SlotKind::GeneralElective => {
                                    (2, Nature::GeneralElective, Assessment::Coursework)
                                }
                                // The 2.5-credit elective is 考查, so that among the first
                                // eight slots only the four required ones are 考试 (the
                                // archetypes count exam failures on that); the 2-credit one is 考试.
                                SlotKind::Elective => {
                                    let a = if credits < 2.5 {
                                        Assessment::Exam
                                    } else {
                                        Assessment::Coursework
                                    };
                                    (3, Nature::Elective, a)
                                }
                                SlotKind::Practical => {
                                    // Practical courses are compulsory (import.md).
                                    (4, Nature::Required, Assessment::Coursework)
                                }
                            };
                            let name = pools[pool].take();
                            let prefix = match kind {
                                SlotKind::RequiredExam
                                    if COMMON_REQUIRED.iter().any(|c| name.starts_with(c)) =>
                                {
                                    PREFIX_COMMON
                                }
                                SlotKind::RequiredExam => PREFIX_MAJOR,
                                SlotKind::RequiredCoursework => PREFIX_COMMON,
                                SlotKind::GeneralElective => PREFIX_GENERAL,
                                SlotKind::Elective => PREFIX_ELECTIVE,
                                SlotKind::Practical => PREFIX_PRACTICAL,
                            };
                            let code = codes.code(prefix, &name, credits);
                            Course {
                                code,
                                name,
                                nature,
                                assessment,
                                credits,
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Curricula { plans }
}
