//! The four built-in policies, embedded from `policies/*.toml`, and the checks every policy
//! file passes before it is used.

use super::Policy;
use super::format::{Condition, Op, Threshold};
use super::metrics::{is_known, takes_course_filters};

/// (id, TOML text) of every built-in preset.
pub const PRESETS: &[(&str, &str)] = &[
    ("hljjz", include_str!("../../policies/hljjz.toml")),
    ("qzu", include_str!("../../policies/qzu.toml")),
    ("lut-life", include_str!("../../policies/lut-life.toml")),
    ("hntou", include_str!("../../policies/hntou.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("no preset '{0}' and no such file (presets: hljjz, qzu, lut-life, hntou)")]
    NotFound(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

pub fn preset_text(id: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(p, _)| *p == id).map(|(_, t)| *t)
}

/// A policy file larger than this is refused: the four presets are under 10 KB, and a policy
/// is stored in the database and parsed by every command.
pub const MAX_POLICY_BYTES: usize = 1 << 20;
/// A text field (a name, a note …) longer than this, in characters, is refused.
pub const MAX_TEXT_CHARS: usize = 4_000;

pub fn too_big(file: &str) -> PolicyError {
    PolicyError::Invalid {
        file: file.to_string(),
        line: 1,
        message: format!(
            "the policy file is over {} MB; a policy is a few KB of text",
            MAX_POLICY_BYTES >> 20
        ),
    }
}

/// Parses and checks a policy. `file` names the source in messages.
pub fn parse(text: &str, file: &str) -> Result<Policy, PolicyError> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(too_big(file));
    }
    let policy: Policy = toml::from_str(text).map_err(|e| PolicyError::Parse {
        file: file.to_string(),
        // TOML's message quotes the offending line: no escape sequence may reach the terminal.
        message: e
            .to_string()
            .trim_end()
            .lines()
            .map(|l| crate::text::sanitize(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    })?;
    validate(&policy, text).map_err(|(needle, message)| PolicyError::Invalid {
        file: file.to_string(),
        line: line_of(text, &needle),
        message,
    })?;
    Ok(policy)
}

/// The 1-based line where `needle` first appears (1 when it does not).
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(1, |at| text[..at].matches('\n').count() + 1)
}

type Problem = (String, String);

fn check_condition(c: &Condition) -> Result<(), Problem> {
    let at = || format!("\"{}\"", c.metric);
    let Some(is_bool) = is_known(&c.metric) else {
        return Err((
            at(),
            format!("unknown metric '{}' (known: {})", c.metric, known_list()),
        ));
    };
    let has_filters = !c.nature.is_empty()
        || !c.exclude_nature.is_empty()
        || c.assessment.is_some()
        || c.sitting.is_some();
    if has_filters && !takes_course_filters(&c.metric) {
        return Err((
            at(),
            format!(
                "metric '{}' does not look at courses: course filters do not apply",
                c.metric
            ),
        ));
    }
    match (is_bool, c.op, c.threshold) {
        (true, Op::Is | Op::Eq, Threshold::Bool(_)) => Ok(()),
        (true, op, _) => Err((
            at(),
            format!(
                "metric '{}' is yes/no: use op \"is\" (or omit op), not \"{}\"",
                c.metric,
                op.as_str()
            ),
        )),
        (false, Op::Between, Threshold::Range([lo, hi])) if lo < hi => Ok(()),
        (false, Op::Between, _) => Err((
            at(),
            "op \"between\" needs threshold = [low, high] with low < high (low < value <= high)"
                .into(),
        )),
        (false, Op::Is, _) => Err((
            at(),
            format!("metric '{}' is a number: use >=, >, <=, < or ==", c.metric),
        )),
        (false, _, Threshold::Number(_)) => Ok(()),
        (false, op, _) => Err((
            at(),
            format!("op \"{}\" needs a number threshold", op.as_str()),
        )),
    }
}

fn known_list() -> String {
    super::metrics::METRICS
        .iter()
        .map(|(m, _)| *m)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line of the first `threshold` that TOML reads as nan or ±inf.
fn non_finite_line(text: &str) -> Option<&str> {
    text.lines().find(|l| {
        let l = l.trim_start();
        let code = l.split_once('#').map_or(l, |(code, _)| code);
        code.starts_with("threshold") && (code.contains("nan") || code.contains("inf"))
    })
}

/// A snippet of `value` that appears in the file as written: its longest run without control
/// characters (those are written as escapes in TOML).
fn needle(value: &str) -> String {
    value
        .split(char::is_control)
        .max_by_key(|s| s.chars().count())
        .unwrap_or("")
        .chars()
        .take(40)
        .collect()
}

/// Limits on what a policy may say: finite numbers, short text, no control characters (a
/// tier name is printed by every `evaluate`; an escape sequence there would reach the
/// terminal).
fn check_limits(p: &Policy, text: &str) -> Result<(), Problem> {
    if let Some((metric, _)) = p.thresholds().into_iter().find(|(_, v)| !v.is_finite()) {
        let at = non_finite_line(text).unwrap_or(metric).to_string();
        return Err((
            at,
            format!("threshold for '{metric}' must be a finite number (not nan or inf)"),
        ));
    }
    for (key, value, multiline) in p.texts() {
        let n = value.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err((
                needle(value),
                format!("{key} is {n} characters long; text fields hold at most {MAX_TEXT_CHARS}"),
            ));
        }
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t')))
        {
            return Err((
                needle(value),
                format!(
                    "{key} holds the control character U+{:04X}; control characters are not allowed in policy text",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

/// Checks what TOML cannot: known metrics, ops that fit them, tier order, cadences, limits.
/// Errors carry a snippet to locate the line by.
fn validate(p: &Policy, text: &str) -> Result<(), Problem> {
    check_limits(p, text)?;
    if p.tiers.is_empty() {
        return Err((
            "[[tiers]]".into(),
            "a policy needs at least one tier".into(),
        ));
    }
    if !(p.pass_mark.is_finite() && p.fitness_pass_mark.is_finite()) {
        return Err(("pass_mark".into(), "pass marks must be numbers".into()));
    }
    for (i, t) in p.tiers.iter().enumerate() {
        let at = format!("id = \"{}\"", t.id);
        if p.tiers[..i].iter().any(|o| o.id == t.id) {
            return Err((at, format!("tier id '{}' is used twice", t.id)));
        }
        if t.order as usize != i + 1 {
            return Err((
                at,
                format!(
                    "tier '{}' has order {} but is listed {}th (list tiers least severe first, order 1, 2, …)",
                    t.id,
                    t.order,
                    i + 1
                ),
            ));
        }
        if t.conditions.is_empty() {
            return Err((at, format!("tier '{}' has no conditions", t.id)));
        }
        t.conditions.iter().try_for_each(check_condition)?;
    }
    for s in &p.status {
        s.conditions.iter().try_for_each(check_condition)?;
    }
    if let Some(c) = &p.carry {
        check_condition(&c.while_)?;
    }
    for f in &p.followups {
        if let Some(bad) = f
            .tiers
            .iter()
            .find(|t| !p.tiers.iter().any(|x| &x.id == *t))
        {
            return Err((
                format!("\"{bad}\""),
                format!("follow-up names unknown tier '{bad}'"),
            ));
        }
        if let Err(e) = f.cadence.parse::<crate::model::Cadence>() {
            return Err((format!("\"{}\"", f.cadence), e.to_string()));
        }
        if let Some(m) = &f.when_metric
            && is_known(m) != Some(true)
        {
            return Err((
                format!("\"{m}\""),
                format!("when_metric '{m}' must be a yes/no metric (flag:…)"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_checks() {
        for (id, text) in PRESETS {
            let p = parse(text, id).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&p.id, id);
            assert_eq!(p.tiers.len(), 3);
        }
    }

    #[test]
    fn errors_point_at_the_line() {
        let text = preset_text("qzu")
            .unwrap()
            .replace("\"term_absence_hours\"", "\"term_absense_hours\"");
        let err = parse(&text, "mine.toml").unwrap_err().to_string();
        let line = text
            .lines()
            .position(|l| l.contains("term_absense_hours"))
            .unwrap()
            + 1;
        assert!(
            err.starts_with(&format!(
                "mine.toml:{line}: unknown metric 'term_absense_hours'"
            )),
            "{err}"
        );

        let text = preset_text("hntou")
            .unwrap()
            .replace("order = 2", "order = 5");
        let err = parse(&text, "x.toml").unwrap_err().to_string();
        assert!(err.contains("has order 5"), "{err}");

        let err = parse("id = 3", "y.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("y.toml: TOML parse error at line 1"),
            "{err}"
        );
    }

    /// The 1-based line of the first line of `text` containing `needle`.
    fn line_with(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn thresholds_must_be_finite() {
        let qzu = preset_text("qzu").unwrap();
        for bad in ["nan", "inf", "-inf", "+nan"] {
            let text = qzu.replacen("threshold = 6.0", &format!("threshold = {bad}"), 1);
            let line = line_with(&text, &format!("threshold = {bad}"));
            let err = parse(&text, "q.toml").unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("q.toml:{line}: threshold for '")),
                "{err}"
            );
            assert!(err.contains("finite"), "{err}");
        }
        let text = qzu.replacen("threshold = [6.0, 12.0]", "threshold = [6.0, inf]", 1);
        let line = line_with(&text, "[6.0, inf]");
        assert!(
            parse(&text, "q")
                .unwrap_err()
                .to_string()
                .starts_with(&format!("q:{line}: "))
        );
    }

    #[test]
    fn text_is_short_and_has_no_control_characters() {
        let hljjz = preset_text("hljjz").unwrap();
        let long = "很长".repeat(MAX_TEXT_CHARS / 2 + 1);
        let text = hljjz.replacen(
            "note = \"累计不及格课程门数达到 2-3 门必修课\"",
            &format!("note = \"{long}\""),
            1,
        );
        let err = parse(&text, "h").unwrap_err().to_string();
        let line = line_with(&text, &long);
        assert!(
            err.starts_with(&format!("h:{line}: note is 4002 characters")),
            "{err}"
        );

        let text = hljjz.replacen("zh = \"黄色预警\"", "zh = \"黄色\\u001b[2J预警\"", 1);
        let err = parse(&text, "h").unwrap_err().to_string();
        let line = line_with(&text, "黄色\\u001b");
        assert!(
            err.starts_with(&format!("h:{line}: zh holds the control character U+001B")),
            "{err}"
        );
        assert!(!err.contains('\u{1b}'));

        // A note may run over lines.
        let text = hljjz.replacen(
            "note = \"累计不及格课程门数达到 2-3 门必修课\"",
            "note = \"\"\"累计不及格课程\n门数达到 2-3 门必修课\"\"\"",
            1,
        );
        assert!(parse(&text, "h").is_ok());
    }

    #[test]
    fn a_huge_policy_is_refused_before_parsing() {
        let text = format!(
            "{}\n# {}\n",
            preset_text("qzu").unwrap(),
            "x".repeat(MAX_POLICY_BYTES)
        );
        let err = parse(&text, "big.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("big.toml:1: the policy file is over 1 MB"),
            "{err}"
        );
    }

    #[test]
    fn ops_must_fit_the_metric() {
        let bad = preset_text("hljjz").unwrap().replacen(
            "metric = \"flag:discipline\"",
            "metric = \"flag:discipline\"\nop = \">=\"\nthreshold = 1.0",
            1,
        );
        assert!(
            parse(&bad, "b")
                .unwrap_err()
                .to_string()
                .contains("is yes/no")
        );
        let bad = preset_text("hljjz").unwrap().replacen(
            "metric = \"flag:wellbeing\"",
            "metric = \"flag:wellbeing\"\nassessment = \"exam\"",
            1,
        );
        assert!(
            parse(&bad, "b")
                .unwrap_err()
                .to_string()
                .contains("does not look at courses")
        );
    }
}
