//! Properties of the engine over random students: row order never matters, a tier always
//! comes with a reason of that tier, and clearing a course never makes things worse.

use proptest::prelude::*;
use yujing::model::{
    Assessment, Attempt, AttemptKind, FitnessRecord, Mark, Nature, StudentFacts, Term,
};
use yujing::policy::{PRESETS, Policy, evaluate};
use yujing::policy_file::resolve;

const TERMS: [Term; 4] = [
    Term { year: 2023, n: 1 },
    Term { year: 2023, n: 2 },
    Term { year: 2024, n: 1 },
    Term { year: 2024, n: 2 },
];
const RESULTS: [&str; 12] = [
    "95",
    "72",
    "60",
    "59.5",
    "40",
    "不及格",
    "及格",
    "缓考",
    "免修",
    "",
    "缺考",
    "良好",
];
const NATURES: [&str; 5] = ["必修", "选修", "通识选修", "实践", "专业必修课"];

fn attempt() -> impl Strategy<Value = Attempt> {
    (
        0..8usize,
        0..4usize,
        0..5i64,
        0..5usize,
        any::<bool>(),
        1..10u32,
        0..RESULTS.len(),
        1..3u8,
    )
        .prop_map(
            |(code, t, kind, nature, exam, credits, res, sitting)| Attempt {
                course_code: format!("C{code}").into(),
                course_name: format!("课程{code}").into(),
                term: TERMS[t],
                kind: AttemptKind::from_code(kind).unwrap(),
                sitting: if kind == 1 { sitting } else { 1 },
                course_term: None,
                minor: false,
                nature: Nature::normalise(NATURES[nature]),
                nature_raw: Some(NATURES[nature].into()),
                assessment: Some(if exam {
                    Assessment::Exam
                } else {
                    Assessment::Coursework
                }),
                credits: f64::from(credits) / 2.0,
                result: RESULTS[res].into(),
                mark: Mark::parse(RESULTS[res]).unwrap(),
            },
        )
}

fn facts() -> impl Strategy<Value = StudentFacts> {
    (
        prop::collection::vec(attempt(), 0..30),
        prop::collection::vec((0..4usize, 0..8u32), 0..4),
        prop::collection::vec(
            (0..4usize, 30..90u32, prop::option::of(any::<bool>())),
            0..3,
        ),
    )
        .prop_map(|(mut attempts, abs, fit)| {
            // The database keys attempts by course, term, kind and sitting: keep one of each.
            attempts.sort_by_key(|a| (a.course_code.clone(), a.term, a.kind, a.sitting));
            attempts.dedup_by_key(|a| (a.course_code.clone(), a.term, a.kind, a.sitting));
            StudentFacts {
                student_id: "S".into(),
                attempts,
                absences: abs
                    .into_iter()
                    .map(|(t, h)| (TERMS[t], f64::from(h)))
                    .collect(),
                fitness: fit
                    .into_iter()
                    .map(|(t, s, g)| FitnessRecord {
                        term: TERMS[t],
                        score: Some(f64::from(s)),
                        word: None,
                        graduation_met: g,
                    })
                    .collect(),
                flags: vec![],
                cleared: vec![],
            }
        })
}

fn policies() -> Vec<Policy> {
    PRESETS
        .iter()
        .map(|(id, _)| resolve(id).unwrap().0)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn evaluation_is_unchanged_by_row_order(f in facts(), seed in any::<u64>()) {
        let mut shuffled = f.clone();
        // A deterministic permutation from the seed.
        let n = shuffled.attempts.len();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.attempts.swap(i, (s % (i as u64 + 1)) as usize);
        }
        shuffled.absences.reverse();
        shuffled.fitness.reverse();
        for p in policies() {
            for t in TERMS {
                prop_assert_eq!(evaluate(&p, &f, t), evaluate(&p, &shuffled, t));
            }
        }
    }

    #[test]
    fn a_tier_always_has_a_reason_of_that_tier(f in facts()) {
        for p in policies() {
            let e = evaluate(&p, &f, TERMS[3]);
            match &e.tier {
                None => prop_assert_eq!(e.severity, 0),
                Some(t) => {
                    prop_assert!(e.reasons.iter().any(|r| &r.tier == t), "{:?}", e);
                    prop_assert_eq!(&p.tiers[e.severity as usize - 1].id, t);
                }
            }
        }
    }

    #[test]
    fn a_passed_retake_never_raises_the_tier_without_carry(f in facts(), code in 0..8usize) {
        let mut better = f.clone();
        better.attempts.retain(|a| !(*a.course_code == *format!("C{code}") && a.kind == AttemptKind::Retake && a.term == TERMS[3]));
        if let Some(d) = f.attempts.iter().find(|a| *a.course_code == *format!("C{code}") && a.term < TERMS[3]) {
            let mut r = d.clone();
            r.kind = AttemptKind::Retake;
            r.term = TERMS[3];
            r.result = "99".into();
            r.mark = Mark::Score(99.0);
            better.attempts.push(r);
            for p in policies().into_iter().filter(|p| p.id == "hntou" || p.id == "qzu") {
                prop_assert!(evaluate(&p, &better, TERMS[3]).severity <= evaluate(&p, &f, TERMS[3]).severity);
            }
        }
    }

    /// What lets the engine skip the failed-course counts of a student who never failed a
    /// course: every course those counts name (or find cleared by hand) has a failed result.
    #[test]
    fn failed_course_counts_name_only_courses_with_a_failed_result(f in facts()) {
        for p in policies() {
            let failed = |code: &str| {
                f.attempts
                    .iter()
                    .any(|a| &*a.course_code == code && a.mark.passed(p.pass_mark) == Some(false))
            };
            for t in TERMS {
                let e = evaluate(&p, &f, t);
                let counts = e
                    .reasons
                    .iter()
                    .chain(&e.status_reasons)
                    .filter(|r| r.metric.contains("failed") && !r.metric.starts_with("fitness"));
                for r in counts {
                    for c in r.courses.iter().chain(&r.cleared) {
                        prop_assert!(failed(&c.code), "{} names {} in {:?}", r.metric, c.code, f);
                    }
                }
            }
        }
    }
}
