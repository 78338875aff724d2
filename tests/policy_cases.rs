//! Hand-worked students, one rule edge each, written from the seeds' own words and
//! spec/policies.md. T = 2024-2025-2 is the assessed term, P = 2024-2025-1 the one before.

use yujing::model::{
    Assessment, Attempt, AttemptKind, FitnessRecord, Flag, FlagKind, Mark, Nature, StudentFacts,
    Term,
};
use yujing::policy::{Evaluation, Policy, Value, evaluate};
use yujing::policy_file::resolve;

const T: &str = "2024-2025-2";
const P: &str = "2024-2025-1";
const PP: &str = "2023-2024-2";

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

/// A course attempt: code, term, kind (正/补/重/缓), nature, assessment, credits, result.
fn a(
    code: &str,
    t: &str,
    kind: &str,
    nature: &str,
    assess: &str,
    credits: f64,
    result: &str,
) -> Attempt {
    let (kind, sitting) = match kind {
        "正" => (AttemptKind::Regular, 1),
        "补" => (AttemptKind::Makeup, 1),
        "补二" => (AttemptKind::Makeup, 2),
        "清" => (AttemptKind::Makeup, 3),
        "重" => (AttemptKind::Retake, 1),
        "重补" => (AttemptKind::RetakeMakeup, 1),
        "缓" => (AttemptKind::Deferred, 1),
        _ => panic!("kind {kind}"),
    };
    Attempt {
        course_code: code.into(),
        course_name: format!("课程{code}").into(),
        term: term(t),
        kind,
        sitting,
        course_term: None,
        minor: false,
        nature: Nature::normalise(nature),
        nature_raw: (!nature.is_empty()).then(|| nature.into()),
        assessment: Assessment::parse(assess),
        credits,
        result: result.into(),
        mark: Mark::parse(result).unwrap(),
    }
}

/// A required exam course sat once in term `t` with `result`.
fn req(code: &str, t: &str, credits: f64, result: &str) -> Attempt {
    a(code, t, "正", "必修", "考试", credits, result)
}

/// A required exam course failed at the regular sitting and at the makeup.
fn failed(code: &str, t: &str, credits: f64) -> Vec<Attempt> {
    vec![
        req(code, t, credits, "40"),
        a(code, t, "补", "必修", "考试", credits, "45"),
    ]
}

/// Passing courses of T worth `credits` in total (so term_credits_earned is not the issue).
fn filler(credits: f64) -> Vec<Attempt> {
    vec![
        req("F1", T, credits / 2.0, "80"),
        req("F2", T, credits / 2.0, "75"),
    ]
}

fn student(attempts: Vec<Vec<Attempt>>) -> StudentFacts {
    StudentFacts {
        student_id: "S1".into(),
        attempts: attempts.into_iter().flatten().collect(),
        ..Default::default()
    }
}

fn policy(id: &str) -> Policy {
    resolve(id).unwrap().0
}

fn eval(id: &str, f: &StudentFacts) -> Evaluation {
    evaluate(&policy(id), f, term(T))
}

fn tier(id: &str, f: &StudentFacts) -> Option<String> {
    eval(id, f).tier
}

fn value(e: &Evaluation, metric: &str) -> Option<Value> {
    e.reasons
        .iter()
        .find(|r| r.metric == metric)
        .map(|r| r.value)
}

// ---------------------------------------------------------------- hljjz (seed 001)

#[test]
fn hljjz_01_clean_student_has_no_tier() {
    let f = student(vec![filler(12.0)]);
    let e = eval("hljjz", &f);
    assert_eq!((e.tier, e.severity, e.reasons.len()), (None, 0, 0));
}

#[test]
fn hljjz_02_two_required_outstanding_is_yellow_with_courses() {
    // 累计不及格课程门数达到 2-3 门必修课 → yellow.
    let f = student(vec![
        failed("C1", P, 3.0),
        failed("C2", P, 2.0),
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("yellow"));
    assert_eq!(e.severity, 1);
    let r = &e.reasons[0];
    assert_eq!(
        (r.metric.as_str(), r.value, r.op.as_str()),
        ("outstanding_failed_courses", Value::Number(2.0), ">=")
    );
    let codes: Vec<_> = r
        .courses
        .iter()
        .map(|c| (c.code.as_str(), c.credits, c.result.as_str()))
        .collect();
    assert_eq!(codes, vec![("C1", 3.0, "45"), ("C2", 2.0, "45")]);
}

#[test]
fn hljjz_03_two_elective_failures_are_not_yellow() {
    let f = student(vec![
        vec![
            a("E1", P, "正", "选修", "考试", 2.0, "30"),
            a("E2", P, "正", "任选", "考查", 2.0, "不及格"),
        ],
        filler(12.0),
    ]);
    assert_eq!(tier("hljjz", &f), None);
}

#[test]
fn hljjz_04_retake_that_passes_clears_the_course() {
    let f = student(vec![
        failed("C1", P, 3.0),
        failed("C2", P, 2.0),
        vec![a("C2", T, "重", "必修", "考试", 2.0, "71")],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(
        e.tier, None,
        "C2 cleared by its retake leaves one outstanding course"
    );
}

#[test]
fn hljjz_05_flags_count_only_in_their_term() {
    let mut f = student(vec![filler(12.0)]);
    f.flags.push(Flag {
        term: term(P),
        kind: FlagKind::Discipline,
        note: String::new(),
    });
    assert_eq!(tier("hljjz", &f), None);
    f.flags.push(Flag {
        term: term(T),
        kind: FlagKind::Psychological,
        note: String::new(),
    });
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("yellow"));
    assert_eq!(value(&e, "flag:psychological"), Some(Value::Bool(true)));
}

#[test]
fn hljjz_06_two_exam_courses_failed_after_makeup_is_orange() {
    let f = student(vec![
        failed("C1", T, 3.0),
        failed("C2", T, 3.0),
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("orange"));
    // Both the orange condition and the yellow one held, and both are listed.
    let tiers: Vec<_> = e
        .reasons
        .iter()
        .map(|r| (r.tier.as_str(), r.metric.as_str()))
        .collect();
    assert!(tiers.contains(&("yellow", "outstanding_failed_courses")));
    assert!(tiers.contains(&("orange", "term_failed_after_makeup")));
}

#[test]
fn hljjz_07_deferred_first_sitting_is_left_out_of_orange() {
    // 经补考后仍有 2 门考试课（除缓考）: C2's first sitting was a deferred one.
    let f = student(vec![
        failed("C1", T, 3.0),
        vec![
            req("C2", T, 3.0, "缓考"),
            a("C2", T, "缓", "必修", "考试", 3.0, "30"),
        ],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("yellow"), "{e:?}");
    assert_eq!(
        value(&e, "outstanding_failed_courses"),
        Some(Value::Number(2.0))
    );
}

#[test]
fn hljjz_08_coursework_failures_are_not_exam_failures() {
    let f = student(vec![
        vec![
            a("C1", T, "正", "必修", "考查", 3.0, "不及格"),
            a("C1", T, "补", "必修", "考查", 3.0, "不合格"),
        ],
        vec![a("C2", T, "正", "必修", "考查", 3.0, "F")],
        filler(12.0),
    ]);
    assert_eq!(tier("hljjz", &f).as_deref(), Some("yellow"));
}

#[test]
fn hljjz_09_four_outstanding_of_any_nature_is_orange() {
    let f = student(vec![
        failed("C1", PP, 2.0),
        failed("C2", P, 2.0),
        vec![a("E1", P, "正", "选修", "考查", 1.0, "缺考")],
        vec![a("G1", PP, "正", "通识选修", "考查", 1.0, "旷考")],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("orange"));
    assert_eq!(
        value(&e, "outstanding_failed_courses"),
        Some(Value::Number(2.0)),
        "the yellow reason counts required only"
    );
    assert!(
        e.reasons
            .iter()
            .any(|r| r.tier == "orange" && r.value == Value::Number(4.0))
    );
}

#[test]
fn hljjz_10_under_ten_credits_earned_is_red() {
    let f = student(vec![vec![
        req("C1", T, 3.0, "70"),
        req("C2", T, 3.0, "80"),
        req("C3", T, 3.0, "90"),
    ]]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("red"));
    assert_eq!(value(&e, "term_credits_earned"), Some(Value::Number(9.0)));
}

#[test]
fn hljjz_11_pending_course_counts_as_earned() {
    // A deferral alone never warns: 6 passed + 4 pending = 10 earned.
    let f = student(vec![vec![
        req("C1", T, 3.0, "70"),
        req("C2", T, 3.0, "80"),
        req("C3", T, 4.0, "缓考"),
    ]]);
    assert_eq!(tier("hljjz", &f), None);
}

#[test]
fn hljjz_12_no_courses_in_term_means_credits_not_assessed() {
    let f = student(vec![vec![req("C1", P, 3.0, "70")]]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier, None);
}

#[test]
fn hljjz_13_six_outstanding_is_red() {
    let f = student(vec![
        failed("C1", PP, 1.0),
        failed("C2", PP, 1.0),
        failed("C3", P, 1.0),
        failed("C4", P, 1.0),
        vec![a("E1", P, "正", "选修", "考试", 1.0, "20")],
        vec![a("E2", P, "正", "实践", "考试", 1.0, "20")],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!((e.tier.as_deref(), e.severity), (Some("red"), 3));
}

#[test]
fn hljjz_14_five_failed_after_makeup_in_term_is_red() {
    let f = student(vec![
        failed("C1", T, 1.0),
        failed("C2", T, 1.0),
        failed("C3", T, 1.0),
        vec![a("E1", T, "正", "选修", "考查", 1.0, "20")],
        vec![a("E2", T, "正", "实践", "考查", 1.0, "20")],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(e.tier.as_deref(), Some("red"));
    assert!(e.reasons.iter().any(|r| r.tier == "red"
        && r.metric == "term_failed_after_makeup"
        && r.value == Value::Number(5.0)));
}

#[test]
fn hljjz_15_fifty_nine_and_a_half_fails_and_a_passed_makeup_clears() {
    let f = student(vec![
        vec![req("C1", P, 2.0, "59.5")],
        vec![
            req("C2", P, 2.0, "59.5"),
            a("C2", P, "补", "必修", "考试", 2.0, "60"),
        ],
        vec![req("C3", P, 2.0, "58")],
        filler(12.0),
    ]);
    let e = eval("hljjz", &f);
    assert_eq!(
        value(&e, "outstanding_failed_courses"),
        Some(Value::Number(2.0))
    );
    let codes: Vec<_> = e.reasons[0]
        .courses
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(codes, vec!["C1", "C3"]);
}

#[test]
fn hljjz_16_exempt_counts_as_passed_and_earned() {
    let f = student(vec![vec![
        req("C1", T, 6.0, "免修"),
        req("C2", T, 4.0, "良好"),
    ]]);
    assert_eq!(tier("hljjz", &f), None);
}

#[test]
fn hljjz_17_empty_result_is_pending_not_failed() {
    let f = student(vec![
        vec![req("C1", T, 6.0, ""), req("C2", T, 4.0, "")],
        vec![req("C3", P, 3.0, "")],
        vec![req("C4", P, 3.0, "")],
    ]);
    assert_eq!(tier("hljjz", &f), None);
}

// ---------------------------------------------------------------- qzu (seed 002)

fn credits_failed(total: f64) -> StudentFacts {
    // One outstanding course per credit chunk of at most 4.
    let mut v = vec![filler(12.0)];
    let mut left = total;
    let mut i = 0;
    while left > 0.0 {
        let c = left.min(4.0);
        v.push(failed(&format!("Q{i}"), P, c));
        left -= c;
        i += 1;
    }
    student(v)
}

#[test]
fn qzu_18_outstanding_credit_bands() {
    // 三级 0 < x ≤ 6, 二级 6 < x ≤ 12, 一级 x > 12 (一级 is the worst).
    for (credits, want) in [
        (0.0, None),
        (3.0, Some("level3")),
        (6.0, Some("level3")),
        (6.5, Some("level2")),
        (12.0, Some("level2")),
        (12.5, Some("level1")),
    ] {
        let e = eval("qzu", &credits_failed(credits));
        assert_eq!(e.tier.as_deref(), want, "{credits} credits");
    }
    let e = eval("qzu", &credits_failed(12.5));
    assert_eq!(e.severity, 3);
}

#[test]
fn qzu_19_absence_hours_sum_within_the_term_only() {
    let mut f = student(vec![filler(12.0)]);
    f.absences = vec![(term(T), 4.0), (term(T), 2.0), (term(P), 12.0)];
    let e = eval("qzu", &f);
    assert_eq!(e.tier.as_deref(), Some("level3"));
    assert_eq!(value(&e, "term_absence_hours"), Some(Value::Number(6.0)));
    f.absences.push((term(T), 4.0));
    assert_eq!(tier("qzu", &f).as_deref(), Some("level2"));
    f.absences.push((term(T), 2.0));
    assert_eq!(tier("qzu", &f).as_deref(), Some("level1"));
}

fn fit(t: &str, score: Option<f64>, word: Option<&str>, grad: Option<bool>) -> FitnessRecord {
    FitnessRecord {
        term: term(t),
        score,
        word: word.map(str::to_string),
        graduation_met: grad,
    }
}

#[test]
fn qzu_20_fitness_failures_count_in_a_row_one_test_a_year() {
    let mut f = student(vec![filler(12.0)]);
    f.fitness = vec![
        fit(PP, Some(70.0), None, None),
        fit(P, Some(55.0), None, None),
        fit("2025-2026-1", Some(40.0), None, None),
    ];
    let e = eval("qzu", &f);
    assert_eq!(
        e.tier.as_deref(),
        Some("level3"),
        "a later term's test does not count"
    );
    let r = e
        .reasons
        .iter()
        .find(|r| r.metric == "fitness_failed_count")
        .unwrap();
    assert_eq!(r.records.len(), 1);
    assert_eq!(
        (r.records[0].term, r.records[0].result.as_str()),
        (term(P), "55")
    );
    // A retest (补测) later in the same academic year replaces that year's test.
    f.fitness.push(fit(T, None, Some("不及格"), None));
    assert_eq!(
        value(&eval("qzu", &f), "fitness_failed_count"),
        Some(Value::Number(1.0))
    );
    // Failed in two years in a row: level2.
    f.fitness[0].score = Some(50.0);
    let e = eval("qzu", &f);
    assert_eq!(e.tier.as_deref(), Some("level2"));
    assert_eq!(value(&e, "fitness_failed_count"), Some(Value::Number(2.0)));
    // A passed retest this year resets the count: no fitness warning.
    f.fitness.push(fit(T, None, Some("及格"), None));
    f.fitness
        .retain(|r| !(r.term == term(T) && r.word.as_deref() == Some("不及格")));
    assert_eq!(tier("qzu", &f), None);
    // A failed test followed by a passed one (the next year) no longer warns.
    f.fitness = vec![
        fit(PP, Some(50.0), None, None),
        fit(P, Some(60.0), None, None),
    ];
    assert_eq!(tier("qzu", &f), None, "60 passes, and resets the count");
}

#[test]
fn qzu_21_latest_graduation_requirement_decides() {
    let mut f = student(vec![filler(12.0)]);
    f.fitness = vec![
        fit(PP, Some(70.0), None, Some(false)),
        fit(P, Some(75.0), None, None),
    ];
    assert_eq!(
        tier("qzu", &f).as_deref(),
        Some("level1"),
        "latest record stating it says 未达到"
    );
    f.fitness.push(fit(T, Some(80.0), None, Some(true)));
    assert_eq!(tier("qzu", &f), None);
}

#[test]
fn qzu_22_most_severe_wins_and_every_reason_is_listed() {
    let mut f = credits_failed(13.0);
    f.absences = vec![(term(T), 6.0)];
    let e = eval("qzu", &f);
    assert_eq!(e.tier.as_deref(), Some("level1"));
    let tiers: Vec<_> = e.reasons.iter().map(|r| r.tier.as_str()).collect();
    assert_eq!(tiers, vec!["level3", "level1"]);
}

// ---------------------------------------------------------------- lut-life (seed 003)

#[test]
fn lut_23_three_regular_failures_cleared_by_makeup_is_a_notice() {
    let passed_makeup = |c: &str| {
        vec![
            req(c, T, 2.0, "50"),
            a(c, T, "补", "必修", "考试", 2.0, "65"),
        ]
    };
    let f = student(vec![
        passed_makeup("C1"),
        passed_makeup("C2"),
        passed_makeup("C3"),
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!(e.tier.as_deref(), Some("notice"));
    assert_eq!(value(&e, "term_failed_regular"), Some(Value::Number(3.0)));
}

#[test]
fn lut_24_one_or_two_failures_after_makeup() {
    let f = student(vec![failed("C1", T, 2.0), filler(12.0)]);
    assert_eq!(tier("lut-life", &f).as_deref(), Some("oral"));
    let f = student(vec![
        failed("C1", T, 2.0),
        failed("C2", T, 2.0),
        filler(12.0),
    ]);
    assert_eq!(tier("lut-life", &f).as_deref(), Some("written"));
}

#[test]
fn lut_25_warning_carries_while_six_credits_are_outstanding() {
    // Written in P (7 credits failed); nothing new in T; still 7 outstanding → kept.
    let f = student(vec![
        failed("C1", P, 4.0),
        failed("C2", P, 3.0),
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!(e.tier.as_deref(), Some("written"));
    assert!(e.carried);
    let r = e.reasons.iter().find(|r| r.carried_from.is_some()).unwrap();
    assert_eq!(
        (r.metric.as_str(), r.value, r.carried_from),
        (
            "outstanding_failed_credits",
            Value::Number(7.0),
            Some(term(P))
        )
    );
}

#[test]
fn lut_26_warning_lifts_below_six_credits() {
    let f = student(vec![
        failed("C1", P, 4.0),
        failed("C2", P, 3.0),
        vec![a("C1", T, "重", "必修", "考试", 4.0, "66")],
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!((e.tier, e.carried), (None, false));
}

#[test]
fn lut_27_less_severe_new_trigger_keeps_the_carried_tier() {
    let passed_makeup = |c: &str| {
        vec![
            req(c, T, 1.0, "50"),
            a(c, T, "补", "必修", "考试", 1.0, "65"),
        ]
    };
    let f = student(vec![
        failed("C1", P, 4.0),
        failed("C2", P, 3.0),
        passed_makeup("N1"),
        passed_makeup("N2"),
        passed_makeup("N3"),
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!((e.tier.as_deref(), e.carried), (Some("written"), true));
    assert!(e.reasons.iter().any(|r| r.tier == "notice"));
}

#[test]
fn lut_28_more_severe_new_trigger_replaces_the_carried_tier() {
    let f = student(vec![
        failed("C1", P, 6.0),
        failed("C2", T, 1.0),
        failed("C3", T, 1.0),
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!((e.tier.as_deref(), e.carried), (Some("written"), false));
}

#[test]
fn lut_29_retake_of_an_earlier_course_is_not_a_course_of_the_term() {
    // Failed in P (4 credits → oral in P, under 6 so no carry); its retake in T fails too.
    let f = student(vec![
        failed("C1", P, 4.0),
        vec![a("C1", T, "重", "必修", "考试", 4.0, "30")],
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!(e.tier, None, "{e:?}");
}

#[test]
fn lut_30_carry_chains_through_terms_with_no_courses() {
    // Oral in PP with 6 credits outstanding, no courses in P or T: still oral in T.
    let f = student(vec![failed("C1", PP, 6.0), filler(12.0)]);
    let e = eval("lut-life", &f);
    assert_eq!((e.tier.as_deref(), e.carried), (Some("oral"), true));
    assert_eq!(e.reasons[0].carried_from, Some(term(PP)));
}

// ---------------------------------------------------------------- hntou (seed 004)

fn outstanding(n: usize, nature: &str) -> Vec<Attempt> {
    (0..n)
        .map(|i| a(&format!("{nature}{i}"), P, "正", nature, "考试", 2.0, "30"))
        .collect()
}

#[test]
fn hntou_31_tiers_by_outstanding_courses_where_three_is_worst() {
    for (n, want) in [
        (1, None),
        (2, Some("level1")),
        (4, Some("level2")),
        (6, Some("level3")),
    ] {
        let f = student(vec![outstanding(n, "必修"), filler(12.0)]);
        assert_eq!(tier("hntou", &f).as_deref(), want, "{n} outstanding");
    }
}

#[test]
fn hntou_32_repeat_year_excludes_general_electives() {
    let f = student(vec![
        outstanding(3, "必修"),
        outstanding(1, "公共选修课"),
        filler(12.0),
    ]);
    let e = eval("hntou", &f);
    assert_eq!(
        (e.tier.as_deref(), e.status.clone()),
        (Some("level2"), vec![])
    );
    let f = student(vec![
        outstanding(3, "必修"),
        outstanding(1, "实践"),
        filler(12.0),
    ]);
    let e = eval("hntou", &f);
    assert_eq!(e.status, vec!["repeat_year".to_string()]);
    assert_eq!(e.status_reasons[0].value, Value::Number(4.0));
}

#[test]
fn hntou_33_dismissal_is_the_only_status_shown_at_eight() {
    let f = student(vec![outstanding(8, "专业必修课"), filler(12.0)]);
    let e = eval("hntou", &f);
    assert_eq!(
        (e.tier.as_deref(), e.status.clone()),
        (Some("level3"), vec!["dismissal".to_string()])
    );
    assert_eq!(
        e.status_reasons.len(),
        2,
        "both status conditions held and are explained"
    );
}

#[test]
fn hntou_34_makeup_and_retake_sitting_in_later_terms_clear_history() {
    // 历年课程补考后仍不及格: a course failed in PP, makeup failed, retake passed in P.
    let f = student(vec![
        failed("C1", PP, 2.0),
        vec![a("C1", P, "重", "必修", "考试", 2.0, "61")],
        failed("C2", PP, 2.0),
        filler(12.0),
    ]);
    assert_eq!(tier("hntou", &f), None);
}

#[test]
fn deferred_sitting_stands_in_for_the_regular_one() {
    // 缓考 then a deferred sitting that fails, no makeup: a course of T failed at first sitting.
    let f = student(vec![
        vec![
            req("C1", T, 2.0, "缓考"),
            a("C1", T, "缓", "必修", "考试", 2.0, "50"),
        ],
        vec![
            req("C2", T, 2.0, "缓考"),
            a("C2", T, "缓", "必修", "考试", 2.0, "52"),
        ],
        vec![req("C3", T, 2.0, "40")],
        filler(12.0),
    ]);
    let e = eval("lut-life", &f);
    assert_eq!(e.tier.as_deref(), Some("written"));
    assert_eq!(value(&e, "term_failed_regular"), Some(Value::Number(3.0)));
    // A deferred sitting that passes clears it.
    let f = student(vec![
        vec![
            req("C1", T, 2.0, "缓考"),
            a("C1", T, "缓", "必修", "考试", 2.0, "90"),
        ],
        filler(12.0),
    ]);
    assert_eq!(tier("lut-life", &f), None);
}

#[test]
fn future_terms_are_invisible() {
    let f = student(vec![
        failed("C1", "2025-2026-1", 8.0),
        failed("C2", "2025-2026-1", 8.0),
        filler(12.0),
    ]);
    for p in ["hljjz", "qzu", "lut-life", "hntou"] {
        assert_eq!(tier(p, &f), None, "{p}");
    }
}

// ------------------------------------------- issue 8: readings as real exports need them

/// `a`, with the course's term (强智's 开课学期) set: the row's own term is the sitting's.
fn qz(attempt: Attempt, course_term: &str) -> Attempt {
    Attempt {
        course_term: Some(term(course_term)),
        ..attempt
    }
}

/// Passing courses of `t` worth 12 credits.
fn filler_in(t: &str) -> Vec<Attempt> {
    vec![req("F1", t, 6.0, "80"), req("F2", t, 6.0, "75")]
}

/// Evaluates for an assessed term other than T.
fn eval_at(id: &str, f: &StudentFacts, t: &str) -> Evaluation {
    evaluate(&policy(id), f, term(t))
}

#[test]
fn r8_01_second_makeup_counts_whatever_the_row_order() {
    // 补考一 45, then 补考二 70: passed after makeup.
    let rows = vec![
        a("C1", P, "补二", "必修", "考试", 3.0, "70"),
        a("C1", P, "正", "必修", "考试", 3.0, "40"),
        a("C1", P, "补", "必修", "考试", 3.0, "45"),
        a("C2", P, "正", "必修", "考试", 3.0, "40"),
        a("C2", P, "补", "必修", "考试", 3.0, "45"),
    ];
    for rotate in 0..rows.len() {
        let mut r = rows.clone();
        r.rotate_left(rotate);
        let f = student(vec![r, filler_in(P)]);
        let e = eval_at("hljjz", &f, P);
        assert_eq!(
            value(&e, "outstanding_failed_courses"),
            None,
            "only C2 is still failed: not yellow"
        );
        assert_eq!(e.tier, None, "rotation {rotate}");
    }
}

#[test]
fn r8_02_a_makeup_dated_in_the_next_term_counts_for_its_course_term() {
    // Two exam courses failed in P, both makeups sat (and passed) at the start of T.
    let f = student(vec![
        vec![
            req("C1", P, 3.0, "40"),
            a("C1", T, "补", "必修", "考试", 3.0, "70"),
            req("C2", P, 3.0, "40"),
            a("C2", T, "补", "必修", "考试", 3.0, "65"),
        ],
        filler_in(P),
    ]);
    let e = eval_at("hljjz", &f, P);
    assert_eq!(
        e.tier, None,
        "both passed after makeup: no orange, no yellow"
    );
    // Failed makeups dated in T make P orange (and yellow: 2 required outstanding).
    let mut g = f.clone();
    for x in &mut g.attempts {
        if x.kind == AttemptKind::Makeup {
            x.result = "50".into();
            x.mark = Mark::Score(50.0);
        }
    }
    let e = eval_at("hljjz", &g, P);
    assert_eq!(e.tier.as_deref(), Some("orange"));
    let r = e
        .reasons
        .iter()
        .find(|r| r.metric == "term_failed_after_makeup")
        .unwrap();
    assert_eq!(r.value, Value::Number(2.0));
    // The reason shows each sitting with its own term.
    let s: Vec<(String, String, String)> = r.courses[0]
        .sittings
        .iter()
        .map(|s| (s.kind.clone(), s.term.to_string(), s.result.clone()))
        .collect();
    assert_eq!(
        s,
        [
            ("regular".into(), P.into(), "40".into()),
            ("makeup".into(), T.into(), "50".into())
        ]
    );
    // In T itself those makeups are no course of T.
    let e = eval("lut-life", &g);
    assert_eq!(value(&e, "term_failed_after_makeup"), None);
}

#[test]
fn r8_03_a_makeup_with_its_course_term_joins_that_sitting_not_a_later_retake() {
    // 强智: course of PP failed, retaken in T (failed), and a makeup row dated T whose
    // 开课学期 is PP: it is PP's makeup.
    let f = student(vec![
        vec![
            req("C1", PP, 4.0, "40"),
            a("C1", T, "重", "必修", "考试", 4.0, "45"),
            qz(a("C1", T, "补", "必修", "考试", 4.0, "75"), PP),
        ],
        filler(12.0),
    ]);
    let e = eval_at("lut-life", &f, PP);
    assert_eq!(
        value(&e, "term_failed_after_makeup"),
        None,
        "passed after makeup in PP"
    );
    // Without the course term, the makeup belongs to the most recent sitting: the retake.
    let mut g = f.clone();
    g.attempts[2].course_term = None;
    let e = eval_at("lut-life", &g, PP);
    assert_eq!(
        value(&e, "term_failed_after_makeup"),
        Some(Value::Number(1.0))
    );
}

#[test]
fn r8_04_a_retake_makeup_belongs_to_the_retake() {
    let f = student(vec![
        failed("C1", PP, 4.0),
        failed("C2", PP, 4.0),
        vec![
            a("C1", T, "重", "必修", "考试", 4.0, "40"),
            a("C1", T, "重补", "必修", "考试", 4.0, "80"),
        ],
        filler(12.0),
    ]);
    // hntou: C1 cleared by the retake's makeup, C2 still failed: 1 outstanding, no tier.
    let e = eval("hntou", &f);
    assert_eq!(e.tier, None);
    let mut g = f.clone();
    g.attempts.retain(|x| x.kind != AttemptKind::RetakeMakeup);
    assert_eq!(tier("hntou", &g).as_deref(), Some("level1"));
}

#[test]
fn r8_05_general_compulsory_and_practical_courses_are_required() {
    // 思政 courses are 通识必修; practical courses (集中实践, 课程设计) are compulsory.
    for natures in [
        ["思政类通识必修课", "通识必修"],
        ["集中实践教学环节", "课程设计"],
    ] {
        let f = student(vec![
            vec![
                a("C1", P, "正", natures[0], "考试", 2.0, "40"),
                a("C2", P, "正", natures[1], "考查", 2.0, "不及格"),
            ],
            filler(12.0),
        ]);
        let e = eval("hljjz", &f);
        assert_eq!(e.tier.as_deref(), Some("yellow"), "{natures:?}");
    }
}

#[test]
fn r8_06_hntou_repeat_year_counts_unclassified_natures_and_leaves_out_general_electives() {
    let f = student(vec![
        failed("R1", P, 3.0),
        failed("R2", P, 3.0),
        failed("R3", P, 3.0),
        vec![
            a("X1", P, "正", "专业核心课", "考试", 2.0, "30"),
            a("G1", P, "正", "任意选修课", "考查", 1.0, "30"),
            a("G2", P, "正", "通识教育选修课", "考查", 1.0, "30"),
        ],
        filler(12.0),
    ]);
    let e = eval("hntou", &f);
    assert_eq!(e.tier.as_deref(), Some("level3"), "6 outstanding");
    assert_eq!(e.status, ["repeat_year"]);
    let r = &e.status_reasons[0];
    assert_eq!(
        r.value,
        Value::Number(4.0),
        "R1-R3 and the unmapped 专业核心课"
    );
    assert_eq!(r.status.as_deref(), Some("repeat_year"));
    assert_eq!(
        e.unseen.nature, 1,
        "the evaluation says one course had no readable nature"
    );
    // A school that maps 专业核心课 to general electives takes it out of the count.
    let mut g = f.clone();
    for x in &mut g.attempts {
        if &*x.course_code == "X1" {
            x.nature = Some(Nature::GeneralElective);
        }
    }
    assert!(eval("hntou", &g).status.is_empty());
}

#[test]
fn r8_07_credits_earned_counts_retakes_sat_in_the_term_and_names_pending_courses() {
    let f = student(vec![
        failed("OLD", PP, 3.0),
        vec![
            a("OLD", T, "重", "必修", "考试", 3.0, "70"),
            req("N1", T, 4.0, "80"),
            req("N2", T, 2.0, "缓考"),
            req("N3", T, 2.0, "30"),
        ],
    ]);
    let e = eval("hljjz", &f);
    let r = e
        .reasons
        .iter()
        .find(|r| r.metric == "term_credits_earned")
        .unwrap();
    assert_eq!(
        r.value,
        Value::Number(9.0),
        "N1 4 + OLD retake 3 + N2 pending 2"
    );
    let earned: Vec<&str> = r.courses.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(earned, ["N1", "OLD"]);
    let pending: Vec<&str> = r.pending.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(pending, ["N2"]);
    assert!(e.provisional, "a deferred result is still to come");
    assert_eq!(e.pending.len(), 1);
    // With the deferred sitting in, the evaluation is final.
    let mut g = f.clone();
    g.attempts.push(a("N2", T, "缓", "必修", "考试", 2.0, "75"));
    assert!(!eval("hljjz", &g).provisional);
}

#[test]
fn r8_08_a_summer_term_is_read_as_term_two() {
    let mut f = student(vec![filler(12.0)]);
    f.absences = vec![(term(T), 4.0), (term("2024-2025-3"), 2.0)];
    let e = eval("qzu", &f);
    assert_eq!(value(&e, "term_absence_hours"), Some(Value::Number(6.0)));
    assert_eq!(e.tier.as_deref(), Some("level3"));
    // A course of the summer term is a course of T.
    let g = student(vec![
        filler(12.0),
        vec![
            a("S1", "2024-2025-3", "正", "必修", "考试", 2.0, "40"),
            a("S2", "2024-2025-3", "正", "必修", "考试", 2.0, "40"),
        ],
    ]);
    assert_eq!(
        value(&eval("lut-life", &g), "term_failed_after_makeup"),
        Some(Value::Number(2.0))
    );
}

#[test]
fn r8_09_minor_programme_courses_count_for_nothing() {
    let mut f = student(vec![
        failed("M1", P, 3.0),
        failed("M2", P, 3.0),
        filler(12.0),
    ]);
    for x in &mut f.attempts {
        if x.course_code.starts_with('M') {
            x.minor = true;
        }
    }
    assert_eq!(tier("hljjz", &f), None);
    assert_eq!(tier("hntou", &f), None);
}

#[test]
fn r8_10_historical_counting_is_a_policy_choice_and_both_numbers_show() {
    let f = student(vec![
        failed("C1", PP, 3.0),
        vec![a("C1", P, "重", "必修", "考试", 3.0, "75")],
        failed("C2", P, 3.0),
        filler(12.0),
    ]);
    // Presets count still-failing courses: C2 only.
    assert_eq!(tier("hntou", &f), None);
    let mut p = policy("hntou");
    p.tiers[0].conditions[0].count = Some(yujing::policy::format::Count::Historical);
    let e = evaluate(&p, &f, term(T));
    assert_eq!(e.tier.as_deref(), Some("level1"));
    let r = &e.reasons[0];
    assert_eq!(r.value, Value::Number(2.0));
    let also = r.also.as_ref().unwrap();
    assert_eq!(
        (also.metric.as_str(), also.value),
        ("outstanding_failed_courses", 1.0)
    );
}

#[test]
fn r8_11_a_course_cleared_by_hand_is_not_counted_and_is_shown() {
    let mut f = student(vec![
        failed("C1", P, 3.0),
        failed("C2", P, 3.0),
        failed("C3", P, 3.0),
        filler(12.0),
    ]);
    assert_eq!(
        value(&eval("hntou", &f), "outstanding_failed_courses"),
        Some(Value::Number(3.0))
    );
    f.cleared.push(yujing::model::Clearance {
        course_code: "C3".into(),
        reason: "培养方案调整".into(),
        by: "lin".into(),
        on: "2025-03-01".into(),
    });
    let e = eval("hntou", &f);
    let r = &e.reasons[0];
    assert_eq!(r.value, Value::Number(2.0));
    assert_eq!(r.cleared.len(), 1);
    assert_eq!(r.cleared[0].code, "C3");
    assert!(
        r.cleared[0]
            .cleared
            .as_deref()
            .unwrap()
            .contains("培养方案调整")
    );
}

#[test]
fn r8_12_a_makeup_with_no_sitting_counts_only_so_far() {
    // A makeup row of a course never sat regularly: kept as a sitting of its own term.
    let f = student(vec![
        vec![a("C1", P, "补", "必修", "考试", 3.0, "40")],
        failed("C2", P, 3.0),
        filler(12.0),
    ]);
    let e = eval("hntou", &f);
    assert_eq!(
        value(&e, "outstanding_failed_courses"),
        Some(Value::Number(2.0))
    );
    assert_eq!(
        value(&eval_at("lut-life", &f, P), "term_failed_after_makeup"),
        Some(Value::Number(1.0))
    );
}
