//! The four built-in policies, embedded from `policies/*.toml`, and the checks every policy
//! file passes before it is used.

use std::path::Path;

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

/// A preset by id, or a policy file by path: `(policy, its TOML text)`.
pub fn resolve(id_or_file: &str) -> Result<(Policy, String), PolicyError> {
    if let Some(text) = preset_text(id_or_file) {
        return Ok((parse(text, id_or_file)?, text.to_string()));
    }
    let path = Path::new(id_or_file);
    if !path.exists() {
        return Err(PolicyError::NotFound(id_or_file.to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Io(id_or_file.into(), e))?;
    Ok((parse(&text, id_or_file)?, text))
}

/// Parses and checks a policy. `file` names the source in messages.
pub fn parse(text: &str, file: &str) -> Result<Policy, PolicyError> {
    let policy: Policy = toml::from_str(text).map_err(|e| PolicyError::Parse {
        file: file.to_string(),
        message: e.to_string().trim_end().to_string(),
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

/// Checks what TOML cannot: known metrics, ops that fit them, tier order, cadences.
/// Errors carry a snippet to locate the line by.
fn validate(p: &Policy, _text: &str) -> Result<(), Problem> {
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
        if let Err(e) = f.cadence.parse::<crate::schedule::Cadence>() {
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
