//! Words that come from the policy and the engine's reasons: tier names, status names, the
//! roster's few-character reason (`挂6门 19学分`) and the student page's full reasons.

use crate::policy::{Evaluation, Policy, Reason, Value};

use super::i18n::{Lang, Msg};
use super::model::ScheduleView;

/// A tier's full name (`红色预警` / `Red warning`).
pub fn tier_name(policy: &Policy, index: usize, lang: Lang) -> String {
    policy
        .tiers
        .get(index)
        .map_or_else(|| "?".to_string(), |t| lang.pick(&t.zh, &t.en).to_string())
}

/// A tier's one or two characters (`红` / `R`), falling back to the full name.
pub fn tier_short(policy: &Policy, index: usize, lang: Lang) -> String {
    let Some(t) = policy.tiers.get(index) else {
        return "?".into();
    };
    let short = lang.pick(&t.short_zh, &t.short_en);
    if short.is_empty() {
        lang.pick(&t.zh, &t.en).to_string()
    } else {
        short.to_string()
    }
}

/// A tier cell (`▲ 红`, symbol and short name) and its style; None without a tier.
pub fn tier_cell(
    policy: Option<&Policy>,
    tier: Option<usize>,
    theme: &super::theme::Theme,
    lang: Lang,
) -> Option<(String, ratatui::style::Style)> {
    let (p, t) = (policy?, tier?);
    let n = p.tiers.len();
    Some((
        format!("{} {}", theme.tier_symbol(t, n), tier_short(p, t, lang)),
        theme.tier(t, n),
    ))
}

/// The widest tier cell of the policy (`▲ 红`, symbol and short name) in display columns.
pub fn tier_cell_width(policy: Option<&Policy>, theme: &super::theme::Theme, lang: Lang) -> usize {
    policy.map_or(4, |p| {
        let n = p.tiers.len();
        (0..n)
            .map(|t| {
                crate::text::width(theme.tier_symbol(t, n))
                    + 1
                    + crate::text::width(&tier_short(p, t, lang))
            })
            .max()
            .unwrap_or(4)
    })
}

/// A status outcome's name: the policy's words, else the built-in ones, else its id.
pub fn status_name(policy: Option<&Policy>, id: &str, lang: Lang) -> String {
    if let Some(name) = policy.and_then(|p| p.status_name(id, lang)) {
        return name.to_string();
    }
    match id {
        "repeat_year" => lang.pick("留级", "repeat year").to_string(),
        "dismissal" => lang.pick("退学", "dismissal").to_string(),
        other => other.to_string(),
    }
}

pub use crate::policy::explain::num as number;

fn value_number(v: Value) -> Option<f64> {
    match v {
        Value::Number(n) => Some(n),
        Value::Bool(_) => None,
    }
}

/// What a short reason is about: two reasons of one kind would read alike (`挂2门 挂3门`),
/// so the roster shows only the first of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    FailedCourses,
    Credits,
    Earned,
    Absence,
    Fitness,
    Flag(&'static str),
    Other,
}

fn token(r: &Reason, lang: Lang) -> (TokenKind, String) {
    let n = value_number(r.value).map(number).unwrap_or_default();
    let m = r.metric.as_str();
    let zh_en = |zh: String, en: String| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    match m {
        "outstanding_failed_courses" | "term_failed_regular" | "term_failed_after_makeup" => (
            TokenKind::FailedCourses,
            zh_en(format!("挂{n}门"), format!("{n} failed")),
        ),
        "term_credits_earned" => (
            TokenKind::Earned,
            zh_en(format!("得{n}学分"), format!("{n} cr earned")),
        ),
        "term_absence_hours" => (
            TokenKind::Absence,
            zh_en(format!("旷课{n}"), format!("absent {n}h")),
        ),
        "flag:discipline" => (TokenKind::Flag("d"), lang.pick("处分", "discipline").into()),
        "flag:wellbeing" => (TokenKind::Flag("w"), lang.pick("情绪", "wellbeing").into()),
        "flag:psychological" => (TokenKind::Flag("p"), lang.pick("心理", "psych").into()),
        _ if m.ends_with("_credits") => (
            TokenKind::Credits,
            zh_en(format!("{n}学分"), format!("{n} cr")),
        ),
        _ if m.starts_with("fitness_") => (TokenKind::Fitness, lang.pick("体测", "fitness").into()),
        other => (TokenKind::Other, other.to_string()),
    }
}

/// A reason in a few characters (`挂6门`, `19学分`, `旷课12`, `体测`, `处分`).
pub fn reason_token(r: &Reason, lang: Lang) -> String {
    token(r, lang).1
}

/// The evaluation's reasons as short tokens, most severe tier first, one per kind; the
/// roster joins as many as fit its column.
pub fn reason_tokens(eval: &Evaluation, policy: Option<&Policy>, lang: Lang) -> Vec<String> {
    let rank = |r: &Reason| {
        policy
            .and_then(|p| p.tiers.iter().position(|t| t.id == r.tier))
            .map_or(0, |i| i + 1)
    };
    let mut reasons: Vec<&Reason> = eval.reasons.iter().collect();
    // Stable: within a tier the engine's order (the policy's condition order) stays.
    reasons.sort_by_key(|r| std::cmp::Reverse(rank(r)));
    let mut seen: Vec<TokenKind> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for r in reasons.into_iter().chain(eval.status_reasons.iter()) {
        let (kind, text) = token(r, lang);
        if kind == TokenKind::Other || !seen.contains(&kind) {
            seen.push(kind);
            out.push(text);
        }
    }
    out
}

/// Joins tokens with a space while they fit in `cols`; the first is always kept (cut later).
pub fn join_fitting(tokens: &[String], cols: usize) -> String {
    let mut out = String::new();
    for t in tokens {
        if out.is_empty() {
            out.push_str(t);
        } else if crate::text::width(&out) + 1 + crate::text::width(t) <= cols {
            out.push(' ');
            out.push_str(t);
        } else {
            break;
        }
    }
    out
}

/// `逾期3天` / `到期 03-21` / `已完成`: a schedule's state in a few words.
pub fn state_text(v: &ScheduleView, lang: Lang) -> String {
    let st = &v.status;
    match st.due {
        Some(due) if st.overdue => super::i18n::followup_text(lang, st.days_overdue, due),
        Some(due) => format!("{} {}", Msg::DueOn.text(lang), due.format("%m-%d")),
        None => Msg::Met.text(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Term;
    use crate::policy::Threshold;

    fn reason(tier: &str, metric: &str, value: f64) -> Reason {
        Reason {
            tier: tier.into(),
            metric: metric.into(),
            value: Value::Number(value),
            op: ">=".into(),
            threshold: Threshold::Number(6.0),
            courses: vec![],
            carried_from: None,
            filters: vec![],
            note: String::new(),
            ..Reason::default()
        }
    }

    fn eval(reasons: Vec<Reason>) -> Evaluation {
        Evaluation {
            student_id: "1".into(),
            term: Term { year: 2024, n: 1 },
            tier_index: Some(2),
            tier: Some("red".into()),
            severity: 3,
            status: vec![],
            carried: false,
            reasons,
            ..Evaluation::none("1", Term { year: 2024, n: 1 })
        }
    }

    #[test]
    fn tokens_follow_the_metric() {
        let t = |m: &str, v: f64, l: Lang| reason_token(&reason("red", m, v), l);
        assert_eq!(t("outstanding_failed_courses", 6.0, Lang::Zh), "挂6门");
        assert_eq!(t("outstanding_failed_credits", 19.0, Lang::Zh), "19学分");
        assert_eq!(t("outstanding_failed_credits", 7.5, Lang::En), "7.5 cr");
        assert_eq!(t("term_credits_earned", 8.0, Lang::Zh), "得8学分");
        assert_eq!(t("term_absence_hours", 12.0, Lang::Zh), "旷课12");
        assert_eq!(t("fitness_failed_count", 2.0, Lang::Zh), "体测");
        assert_eq!(t("flag:psychological", 1.0, Lang::Zh), "心理");
    }

    #[test]
    fn most_severe_reason_first_and_repeats_dropped() {
        let e = eval(vec![
            reason("yellow", "flag:discipline", 1.0),
            reason("orange", "outstanding_failed_courses", 6.0),
            reason("red", "outstanding_failed_courses", 6.0),
            reason("red", "outstanding_failed_credits", 19.0),
            reason("orange", "term_failed_after_makeup", 2.0),
        ]);
        let p: Policy = toml::from_str(
            r#"id = "p"
name_zh = "p"
name_en = "p"
[[tiers]]
id = "yellow"
order = 1
zh = "黄"
en = "Y"
conditions = []
[[tiers]]
id = "orange"
order = 2
zh = "橙"
en = "O"
conditions = []
[[tiers]]
id = "red"
order = 3
zh = "红"
en = "R"
conditions = []
"#,
        )
        .unwrap();
        let tokens = reason_tokens(&e, Some(&p), Lang::Zh);
        assert_eq!(tokens, vec!["挂6门", "19学分", "处分"]);
        assert_eq!(join_fitting(&tokens, 12), "挂6门 19学分");
        assert_eq!(join_fitting(&tokens, 11), "挂6门");
    }
}
