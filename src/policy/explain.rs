//! Words for reasons: a tier is never shown without which condition, which value, which
//! threshold and which courses. Shared by the CLI's table/CSV and the TUI.

use crate::locale::Lang;

use super::format::Threshold;
use super::{CourseRef, Reason, SittingRef, Value};

/// A metric's name for people.
pub fn metric_label(metric: &str, lang: Lang) -> &'static str {
    let (zh, en) = match metric {
        "term_failed_regular" => (
            "本学期正考不及格门数",
            "courses failed at first sitting in term",
        ),
        "term_failed_after_makeup" => (
            "本学期补考后不及格门数",
            "courses still failed after makeup in term",
        ),
        "outstanding_failed_courses" => ("累计仍不及格门数", "Outstanding failed courses"),
        "outstanding_failed_credits" => ("累计仍不及格学分", "Outstanding failed credits"),
        "historical_failed_courses" => ("历年补考后不及格门数", "Courses ever failed after makeup"),
        "term_credits_earned" => ("本学期所得学分", "Credits earned in term"),
        "term_absence_hours" => ("本学期旷课学时", "Unexcused absence hours in term"),
        "fitness_failed_count" => ("体测不及格次数", "Fitness tests failed"),
        "fitness_graduation_unmet" => {
            ("体测未达到毕业要求", "Fitness graduation requirement unmet")
        }
        "flag:discipline" => ("违纪处分", "Disciplinary sanction"),
        "flag:wellbeing" => (
            "情绪波动或沉迷网络",
            "emotional distress or internet addiction",
        ),
        "flag:psychological" => ("心理问题", "Psychological problem"),
        // A psychological flag shown to a reader who may not know of it (app::access).
        "confidential" => ("保密情况", "A confidential condition"),
        _ => ("未知指标", "Unknown metric"),
    };
    lang.pick(zh, en)
}

/// `6`, `19`, `7.5`: integers without a decimal point.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

pub fn value_text(v: Value, lang: Lang) -> String {
    match v {
        Value::Number(n) => num(n),
        Value::Bool(b) => lang
            .pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
            .to_string(),
    }
}

/// `>= 2`, `in (6, 12]`, or empty for yes/no conditions.
pub fn threshold_text(op: &str, t: Threshold) -> String {
    match t {
        Threshold::Number(n) => format!("{} {}", op.replace(">=", "≥").replace("<=", "≤"), num(n)),
        Threshold::Range([lo, hi]) => format!("∈ ({}, {}]", num(lo), num(hi)),
        Threshold::Bool(_) => String::new(),
    }
}

/// The filters of a reason in a few words: `必修`, `考试课, 除缓考`, `不含通识选修`.
pub fn filters_text(filters: &[String], lang: Lang) -> String {
    let word = |id: &str| -> String {
        let (zh, en) = match id {
            "required" => ("必修", "required"),
            "elective" => ("选修", "elective"),
            "general_elective" => ("通识选修", "general elective"),
            "exam" => ("考试课", "exam courses"),
            "coursework" => ("考查课", "coursework courses"),
            "regular_sitting" => ("除缓考", "regular sitting"),
            other => (other, other),
        };
        lang.pick(zh, en).to_string()
    };
    filters
        .iter()
        .map(|f| match f.strip_prefix("exclude:") {
            Some(n) => format!("{}{}", lang.pick("不含", "excluding "), word(n)),
            None => word(f),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The condition without its courses: `累计仍不及格门数（必修） 2 ≥ 2`.
pub fn reason_summary(r: &Reason, lang: Lang) -> String {
    let mut s = metric_label(&r.metric, lang).to_string();
    if !r.filters.is_empty() {
        let f = filters_text(&r.filters, lang);
        s.push_str(&match lang {
            Lang::Zh => format!("（{f}）"),
            Lang::En => format!(" ({f})"),
        });
    }
    s.push(' ');
    s.push_str(&value_text(r.value, lang));
    let th = threshold_text(&r.op, r.threshold);
    if !th.is_empty() {
        s.push(' ');
        s.push_str(&th);
    }
    if let Some(from) = r.carried_from {
        s.push_str(&format!(
            " ({} {from})",
            lang.pick("延续自", "carried from")
        ));
    }
    s
}

/// One line for a reason: `累计仍不及格门数 6 ≥ 6: C1 高等数学 (2024-2025-1, 3学分, 45); …`.
pub fn reason_line(r: &Reason, lang: Lang) -> String {
    let mut s = reason_summary(r, lang);
    if !r.courses.is_empty() {
        let courses: Vec<String> = r
            .courses
            .iter()
            .map(|c| {
                format!(
                    "{} {} ({}, {}{}, {})",
                    c.code,
                    c.name,
                    c.term,
                    num(c.credits),
                    lang.pick("学分", " cr"),
                    c.result
                )
            })
            .collect();
        s.push_str(": ");
        s.push_str(&courses.join("; "));
    }
    s
}

/// A sitting's name: 正考, 补考, 补考二, 清考, 重修, 缓考.
pub fn sitting_label(s: &SittingRef, lang: Lang) -> &'static str {
    let (zh, en) = match (s.kind.as_str(), s.sitting) {
        ("regular", _) => ("正考", "regular"),
        ("makeup", 2) => ("补考二", "makeup 2"),
        ("makeup", 3) => ("清考", "late makeup"),
        ("makeup", _) => ("补考", "makeup"),
        ("retake", _) => ("重修", "retake"),
        ("deferred", _) => ("缓考", "deferred"),
        _ => ("其他", "other"),
    };
    lang.pick(zh, en)
}

/// `高等数学 4学分: 2023-2024-1 正考 40, 补考 缺考; 2024-2025-1 重修 50`, so a counsellor can
/// check the arithmetic by hand.
pub fn course_sittings(c: &CourseRef, lang: Lang) -> String {
    let mut s = format!("{} {}{}", c.name, num(c.credits), lang.pick("学分", " cr"));
    let mut sep = ": ";
    let mut last_term = None;
    for st in &c.sittings {
        if last_term == Some(st.term) {
            s.push_str(", ");
        } else {
            s.push_str(sep);
            s.push_str(&format!("{} ", st.term));
            sep = "; ";
            last_term = Some(st.term);
        }
        let result = if st.result.is_empty() {
            lang.pick("未录入", "not recorded")
        } else {
            &st.result
        };
        s.push_str(&format!("{} {result}", sitting_label(st, lang)));
    }
    if let Some(why) = &c.cleared {
        s.push_str(&format!(
            " ({} {why})",
            lang.pick("已手动清除：", "cleared by hand:")
        ));
    }
    s
}

/// Every line a `--verbose` listing prints under a reason: the seed's words, then each
/// course with its sittings, the pending ones, and fitness records.
pub fn reason_details(r: &Reason, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if !r.note.is_empty() {
        out.push(format!("{}{}", lang.pick("条款：", "seed: "), r.note));
    }
    out.extend(r.courses.iter().map(|c| course_sittings(c, lang)));
    out.extend(r.pending.iter().map(|c| {
        format!(
            "{}{}",
            lang.pick("待定（计为已得）：", "pending (counted as earned): "),
            course_sittings(c, lang)
        )
    }));
    out.extend(
        r.records
            .iter()
            .map(|f| format!("{}{} {}", lang.pick("体测 ", "fitness "), f.term, f.result)),
    );
    out.extend(r.cleared.iter().map(|c| {
        format!(
            "{}{}",
            lang.pick("已手动清除，不计：", "cleared by hand, not counted: "),
            course_sittings(c, lang)
        )
    }));
    if let Some(also) = &r.also {
        out.push(format!(
            "{} {}",
            metric_label(&also.metric, lang),
            num(also.value)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::CourseRef;

    #[test]
    fn reason_lines_name_value_threshold_and_courses() {
        let r = Reason {
            tier: "red".into(),
            metric: "outstanding_failed_courses".into(),
            value: Value::Number(6.0),
            op: ">=".into(),
            threshold: Threshold::Number(6.0),
            courses: vec![CourseRef {
                code: "C1".into(),
                name: "高等数学".into(),
                term: "2024-2025-1".parse().unwrap(),
                credits: 3.5,
                result: "45".into(),
                sittings: vec![],
                cleared: None,
            }],
            carried_from: None,
            filters: vec![],
            note: String::new(),
            ..Reason::default()
        };
        assert_eq!(
            reason_line(&r, Lang::Zh),
            "累计仍不及格门数 6 ≥ 6: C1 高等数学 (2024-2025-1, 3.5学分, 45)"
        );
        assert_eq!(
            reason_line(&r, Lang::En),
            "Outstanding failed courses 6 ≥ 6: C1 高等数学 (2024-2025-1, 3.5 cr, 45)"
        );
        let c = CourseRef {
            sittings: vec![
                SittingRef {
                    kind: "regular".into(),
                    sitting: 1,
                    term: "2023-2024-1".parse().unwrap(),
                    result: "40".into(),
                },
                SittingRef {
                    kind: "makeup".into(),
                    sitting: 1,
                    term: "2023-2024-1".parse().unwrap(),
                    result: "缺考".into(),
                },
                SittingRef {
                    kind: "retake".into(),
                    sitting: 1,
                    term: "2024-2025-1".parse().unwrap(),
                    result: "50".into(),
                },
            ],
            credits: 4.0,
            name: "高等数学".into(),
            ..r.courses[0].clone()
        };
        assert_eq!(
            course_sittings(&c, Lang::Zh),
            "高等数学 4学分: 2023-2024-1 正考 40, 补考 缺考; 2024-2025-1 重修 50"
        );
        assert_eq!(
            course_sittings(&c, Lang::En),
            "高等数学 4 cr: 2023-2024-1 regular 40, makeup 缺考; 2024-2025-1 retake 50"
        );
        assert_eq!(
            threshold_text("between", Threshold::Range([6.0, 12.0])),
            "∈ (6, 12]"
        );
    }
}
