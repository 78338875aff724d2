//! The policy file format (TOML). A policy names its tiers (least to most severe), the
//! conditions that put a student on each, status outcomes (留级/退学), the carry/lift rule and
//! the follow-up obligations. See `policies/*.toml` for the four presets and the README for a
//! walk-through.

use serde::{Deserialize, Serialize};

use crate::locale::Lang;
use crate::model::{Assessment, ContactKind, Nature, Role};

fn default_pass_mark() -> f64 {
    60.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// A numeric result at or above this passes (成绩 >= 60).
    #[serde(default = "default_pass_mark")]
    pub pass_mark: f64,
    /// A fitness score below this is a failed fitness test.
    #[serde(default = "default_pass_mark")]
    pub fitness_pass_mark: f64,
    /// Days from term start by which warnings must be issued (两周内 = 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_within_days: Option<u32>,
    /// Least severe first.
    pub tiers: Vec<Tier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<StatusRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carry: Option<Carry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<FollowUp>,
    /// Seed 001 第六条(五): a change of tier is told to the student and the parents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_tier_change: Option<NotifyTierChange>,
}

/// The parent contact every tier change (other than `same`) owes, once, within `within_days`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyTierChange {
    pub role: Role,
    pub within_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    /// 1 = least severe. Must match the tier's position in the list.
    pub order: u32,
    pub zh: String,
    pub en: String,
    /// One or two characters for narrow columns (黄, 橙, 红 / Y, O, R).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub short_en: String,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRule {
    /// `repeat_year`, `dismissal`, … Later entries are more severe.
    pub id: String,
    pub zh: String,
    pub en: String,
    pub conditions: Vec<Condition>,
}

/// lut-life's 第三节第4条: a warned student stays warned while the condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carry {
    #[serde(rename = "while")]
    pub while_: Condition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "==")]
    Eq,
    /// `lo < value <= hi` (qzu's "6-12 学分 (>6, ≤12)"); threshold is `[lo, hi]`.
    #[serde(rename = "between")]
    Between,
    /// For yes/no metrics (flags, 毕业要求): holds when the metric is true.
    #[serde(rename = "is")]
    Is,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "==",
            Op::Between => "between",
            Op::Is => "is",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    Number(f64),
    Range([f64; 2]),
    Bool(bool),
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold::Bool(true)
    }
}

/// How failed courses are counted: still failing now (the presets), or every course ever
/// failed after makeup (a school that reads 累计不及格 historically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    Outstanding,
    Historical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sitting {
    /// Leave out courses whose first sitting was deferred (除缓考).
    Regular,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub metric: String,
    #[serde(default = "default_op")]
    pub op: Op,
    #[serde(default = "default_threshold")]
    pub threshold: Threshold,
    /// Only courses of these natures (`required`, `elective`, `general_elective`; practical
    /// courses are required).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nature: Vec<NatureName>,
    /// Leave out courses of these natures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_nature: Vec<NatureName>,
    /// Only courses with this assessment (`exam` 考试, `coursework` 考查).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sitting: Option<Sitting>,
    /// Failed-course metrics: `historical` counts every course ever failed after makeup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Count>,
    /// Words the seed uses for this condition, shown with the reason.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Condition {
    /// Whether `other` measures the same thing (metric, course filters, way of counting),
    /// whatever it compares the value with: a policy asks one measurement at several
    /// thresholds, and the engine takes it once.
    pub fn same_measure(&self, other: &Condition) -> bool {
        // Spelled out field by field so that a new field has to be placed here or there.
        let Condition {
            metric,
            op: _,
            threshold: _,
            nature,
            exclude_nature,
            assessment,
            sitting,
            count,
            note: _,
        } = self;
        *metric == other.metric
            && *nature == other.nature
            && *exclude_nature == other.exclude_nature
            && *assessment == other.assessment
            && *sitting == other.sitting
            && *count == other.count
    }
}

impl Policy {
    /// A tier's name in `lang`, by its id; None for an id the policy has not.
    pub fn tier_name(&self, id: &str, lang: Lang) -> Option<&str> {
        self.tiers
            .iter()
            .find(|t| t.id == id)
            .map(|t| lang.pick(&t.zh, &t.en))
    }

    /// A status outcome's name in `lang`, by its id; None for an id the policy has not.
    pub fn status_name(&self, id: &str, lang: Lang) -> Option<&str> {
        self.status
            .iter()
            .find(|s| s.id == id)
            .map(|s| lang.pick(&s.zh, &s.en))
    }
}

impl Policy {
    /// The tier ids, least severe first, for messages that list what may be chosen.
    pub fn tier_list(&self) -> String {
        self.tiers
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every text field with its key, and whether it may hold line breaks (notes and
    /// descriptions may; names and ids are shown on one line).
    pub fn texts(&self) -> Vec<(&'static str, &str, bool)> {
        let mut out = vec![
            ("id", self.id.as_str(), false),
            ("name_zh", &self.name_zh, false),
            ("name_en", &self.name_en, false),
            ("source", &self.source, true),
        ];
        let conditions = self
            .tiers
            .iter()
            .flat_map(|t| &t.conditions)
            .chain(self.status.iter().flat_map(|s| &s.conditions))
            .chain(self.carry.iter().map(|c| &c.while_));
        for t in &self.tiers {
            out.extend([
                ("id", t.id.as_str(), false),
                ("zh", &t.zh, false),
                ("en", &t.en, false),
                ("short_zh", &t.short_zh, false),
                ("short_en", &t.short_en, false),
            ]);
        }
        for s in &self.status {
            out.extend([
                ("id", s.id.as_str(), false),
                ("zh", &s.zh, false),
                ("en", &s.en, false),
            ]);
        }
        for c in conditions {
            out.extend([
                ("metric", c.metric.as_str(), false),
                ("note", &c.note, true),
            ]);
        }
        for f in &self.followups {
            out.extend(f.tiers.iter().map(|t| ("tiers", t.as_str(), false)));
            out.extend(
                f.when_metric
                    .iter()
                    .map(|m| ("when_metric", m.as_str(), false)),
            );
            out.extend([
                ("cadence", f.cadence.as_str(), false),
                ("zh", &f.zh, true),
                ("en", &f.en, true),
            ]);
        }
        out
    }

    /// Every number threshold, as written in conditions, with its metric.
    pub fn thresholds(&self) -> Vec<(&str, f64)> {
        self.tiers
            .iter()
            .flat_map(|t| &t.conditions)
            .chain(self.status.iter().flat_map(|s| &s.conditions))
            .chain(self.carry.iter().map(|c| &c.while_))
            .flat_map(|c| {
                let values = match c.threshold {
                    Threshold::Number(v) => vec![v],
                    Threshold::Range([lo, hi]) => vec![lo, hi],
                    Threshold::Bool(_) => Vec::new(),
                };
                values.into_iter().map(move |v| (c.metric.as_str(), v))
            })
            .collect()
    }

    /// Whether any rule filters on nature (only X, or excluding X) and on assessment: courses
    /// without them are then unseen by those rules, which `evaluate` says.
    pub fn course_filters_used(&self) -> (bool, bool) {
        let conds = || {
            self.tiers
                .iter()
                .flat_map(|t| t.conditions.iter())
                .chain(self.status.iter().flat_map(|s| s.conditions.iter()))
        };
        (
            conds().any(|c| !c.nature.is_empty() || !c.exclude_nature.is_empty()),
            conds().any(|c| c.assessment.is_some()),
        )
    }
}

impl Condition {
    /// The course filters as short ids, for reasons.
    pub fn filter_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = self.nature.iter().map(|n| n.id().to_string()).collect();
        out.extend(
            self.exclude_nature
                .iter()
                .map(|n| format!("exclude:{}", n.id())),
        );
        if let Some(a) = self.assessment {
            out.push(match a {
                Assessment::Exam => "exam".into(),
                Assessment::Coursework => "coursework".into(),
            });
        }
        if self.sitting.is_some() {
            out.push("regular_sitting".into());
        }
        out
    }
}

fn default_op() -> Op {
    Op::Is
}
fn default_threshold() -> Threshold {
    Threshold::Bool(true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NatureName {
    Required,
    Elective,
    GeneralElective,
}

impl NatureName {
    pub fn id(self) -> &'static str {
        match self {
            NatureName::Required => "required",
            NatureName::Elective => "elective",
            NatureName::GeneralElective => "general_elective",
        }
    }

    pub fn matches(self, n: &Nature) -> bool {
        matches!(
            (self, n),
            (NatureName::Required, Nature::Required)
                | (NatureName::Elective, Nature::Elective)
                | (NatureName::GeneralElective, Nature::GeneralElective)
        )
    }
}

/// A follow-up obligation created for each warned student when warnings are issued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Tier ids this applies to; empty means every tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    /// Applies only when this flag metric holds (hljjz's psychological intervention plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_metric: Option<String>,
    pub role: Role,
    pub kind: ContactKind,
    /// `weekly`, `monthly`, `days:N`, `term:K`, `once:N`.
    pub cadence: String,
    pub zh: String,
    pub en: String,
}
