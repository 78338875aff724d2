//! Paper: the notices, parent copies with receipt stubs, talk records and study plans the
//! regulations ask for, in each seed's own forms. Facts in, laid-out documents out; the database
//! keeps the notices' states and the school's templates (`db/paper.rs`), and [`crate::app::notices`] joins them.

pub mod docx;

pub mod template;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::locale::Lang;
use crate::model::Contact;
use crate::model::ContactKind;
use crate::model::{Student, StudentFacts, Term};
use crate::policy::{CourseOutcome, Policy, Reason, explain};
use template::{Block, Fields, Value};

/// The template names of a set; `NAME.TIER` (e.g. `notice.red`) overrides `NAME` for one tier.
pub const NAMES: [&str; 4] = ["notice", "parent", "record", "plan"];

/// Metrics whose reasons never reach paper: a psychological flag is confidential.
const CONFIDENTIAL: &[&str] = &["flag:psychological"];

macro_rules! set {
    ($dir:literal: $($name:literal),*) => {
        &[$(($name, include_str!(concat!("templates/", $dir, "/", $name, ".txt")))),*]
    };
}

type Builtin = &'static [(&'static str, &'static str)];

const HLJJZ: Builtin =
    set!("hljjz": "notice", "notice.red", "parent", "parent.red", "record", "plan");
const QZU: Builtin = set!("qzu": "notice", "parent", "parent.level3", "record", "plan");
const LUT_LIFE: Builtin = set!("lut-life": "notice", "parent", "record", "plan");
const HNTOU: Builtin = set!("hntou": "notice", "parent", "record", "plan");

/// Obligations that wait for an approved notice: `issue` leaves them to approval, so nothing is
/// overdue before there is a notice to send.
pub fn starts_at_approval(kind: ContactKind) -> bool {
    matches!(
        kind,
        ContactKind::NoticeDelivered | ContactKind::ReceiptReturned
    )
}

/// The built-in templates of a preset.
pub fn builtin(policy_id: &str) -> Option<Builtin> {
    match policy_id {
        "hljjz" => Some(HLJJZ),
        "qzu" => Some(QZU),
        "lut-life" => Some(LUT_LIFE),
        "hntou" => Some(HNTOU),
        _ => None,
    }
}

/// Presets whose parent copies go by post (hntou 第7条(三)): their notices also print an
/// address list, and the parent copy carries a copy of the latest talk record.
pub fn posted(policy_id: &str) -> bool {
    policy_id == "hntou"
}

/// The templates in force: the school's stored ones over the preset's built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Set {
    pub texts: BTreeMap<String, String>,
}

impl Set {
    pub fn new(policy_id: &str, school: Vec<(String, String)>) -> Set {
        let mut texts: BTreeMap<String, String> = builtin(policy_id)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        texts.extend(school);
        Set { texts }
    }

    /// The template for `name` at `tier` (`NAME.TIER` first), None when the set has none or it
    /// is empty (an empty file means "this tier has no such paper", e.g. qzu's level3 parent copy).
    pub fn get(&self, name: &str, tier: &str) -> Option<&str> {
        self.texts
            .get(&format!("{name}.{tier}"))
            .or_else(|| self.texts.get(name))
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// Checks a template's key (`NAME` or `NAME.TIER`) against the names and the policy's tiers.
pub fn check_key(key: &str, policy: &Policy) -> Result<(), String> {
    let (name, tier) = key
        .split_once('.')
        .map_or((key, None), |(n, t)| (n, Some(t)));
    if !NAMES.contains(&name) {
        return Err(format!(
            "'{key}': not a template name (names: {}, optionally .TIER)",
            NAMES.join(", ")
        ));
    }
    if let Some(t) = tier
        && !policy.tiers.iter().any(|x| x.id == t)
    {
        return Err(format!(
            "'{key}': '{t}' is not a tier of policy {} (tiers: {})",
            policy.id,
            policy.tier_list()
        ));
    }
    Ok(())
}

/// A notice's state, as `notices list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    Approved,
    Superseded,
    Withdrawn,
}

impl State {
    pub fn id(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Approved => "approved",
            State::Superseded => "superseded",
            State::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [
            State::Draft,
            State::Approved,
            State::Superseded,
            State::Withdrawn,
        ]
        .into_iter()
        .find(|x| x.id() == s)
    }
}

/// What ends a notice other than approval: the lifecycle (issue 10) calls
/// [`crate::db::Db::supersede_or_withdraw`] with one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A re-issue changed the tier: the notice keeps its number, a new draft follows.
    Superseded,
    /// The warning was withdrawn: its notice can no longer be printed.
    Withdrawn,
}

/// `2025-1-生科-0007`: the year the term starts, the term, the college's short name, a sequence.
pub fn number(term: Term, short: &str, seq: i64) -> String {
    format!("{}-{}-{short}-{seq:04}", term.year, term.n)
}

/// The college's short name when none is set: its first two characters.
pub fn default_short(college: &str) -> String {
    let s: String = college.trim().chars().take(2).collect();
    if s.is_empty() { "院".to_string() } else { s }
}

pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn num(v: f64) -> String {
    explain::num(v)
}

/// The warning as paper sees it: the issued snapshot.
#[derive(Debug, Clone)]
pub struct Warning {
    pub term: Term,
    pub tier: String,
    pub status: Vec<String>,
    pub reasons: Vec<Reason>,
    pub issued_on: NaiveDate,
}

/// The reasons that may be printed, each as one line with its numbers.
fn reason_lines(w: &Warning, policy: &Policy) -> Vec<String> {
    let mut lines: Vec<String> = w
        .reasons
        .iter()
        .filter(|r| !CONFIDENTIAL.contains(&r.metric.as_str()))
        .map(|r| {
            let summary = explain::reason_summary(r, Lang::Zh);
            if r.note.is_empty() {
                summary
            } else {
                format!("{}（{summary}）", r.note)
            }
        })
        .collect();
    // Several tiers' conditions can be the same sentence with other thresholds; print each once.
    lines.dedup();
    let status = status_label(w, policy);
    if !status.is_empty() {
        lines.push(format!("学籍处理：{status}"));
    }
    if lines.is_empty() {
        lines.push("经学院综合审核".to_string());
    }
    lines
}

fn status_label(w: &Warning, policy: &Policy) -> String {
    w.status
        .iter()
        .map(|s| policy.status_name(s, Lang::Zh).unwrap_or(s))
        .collect::<Vec<_>>()
        .join("、")
}

fn reason_courses(w: &Warning) -> Vec<String> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for r in w
        .reasons
        .iter()
        .filter(|r| !CONFIDENTIAL.contains(&r.metric.as_str()))
    {
        for c in &r.courses {
            let key = (c.code.clone(), c.term);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push(format!(
                "{} {}（{}，{}学分，成绩 {}）",
                c.code,
                c.name,
                c.term,
                num(c.credits),
                c.result
            ));
        }
    }
    out
}

fn outcome_line(o: &CourseOutcome) -> String {
    let sittings: Vec<String> = [
        ("正考", &o.regular),
        ("补考", &o.makeup),
        ("重修", &o.retake),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
    .collect();
    format!(
        "{} {}（{}，{}学分，{}）",
        o.code,
        o.name,
        o.term,
        num(o.credits),
        sittings.join(" / ")
    )
}

/// What a document is about: the student, the warning, and for a talk record the contact.
pub struct Subject<'a> {
    pub student: &'a Student,
    pub policy: &'a Policy,
    pub warning: &'a Warning,
    /// Every course up to the term, for the courses to clear and the credits earned.
    pub outcomes: &'a [CourseOutcome],
    pub facts: Option<&'a StudentFacts>,
    /// The notice number, once approved.
    pub number: Option<&'a str>,
    /// The notice's date: its approval, else today.
    pub date: NaiveDate,
    pub contact: Option<&'a Contact>,
}

/// Every field of [`template::FIELDS`] for a subject.
pub fn fields(s: &Subject<'_>) -> Fields {
    let st = s.student;
    let w = s.warning;
    let mut f = Fields::new();
    let mut text = |k: &'static str, v: String| {
        f.insert(k, Value::Text(v));
    };
    text("name", st.name.clone());
    text("student_id", st.student_id.clone());
    text("class", st.class.clone());
    text("college", st.college.clone());
    text("major", st.major.clone());
    text("cohort", st.cohort.clone());
    text("phone", st.phone.clone());
    text("parent", st.parent.clone());
    text("parent_phone", st.parent_phone.clone());
    text("address", st.address.clone());
    text("counsellor", st.counsellor.clone());
    text("class_teacher", st.class_teacher.clone());
    text("term", w.term.to_string());
    text("term_start", w.term.year.to_string());
    text("term_end", (w.term.year + 1).to_string());
    text("term_no", w.term.n.to_string());
    text(
        "number",
        s.number.map_or("（待批准）".to_string(), str::to_string),
    );
    let tier_label = s.policy.tier_name(&w.tier, Lang::Zh).unwrap_or(&w.tier);
    text("tier_label", tier_label.to_string());
    text(
        "tier_choices",
        s.policy
            .tiers
            .iter()
            .map(|t| format!("{}{}", if t.id == w.tier { "●" } else { "○" }, t.zh))
            .collect::<Vec<_>>()
            .join("　"),
    );
    text("status_label", status_label(w, s.policy));
    let clear: Vec<&CourseOutcome> = s
        .outcomes
        .iter()
        .filter(|o| o.passed_so_far == Some(false))
        .collect();
    text("failed_courses", clear.len().to_string());
    text(
        "failed_credits",
        num(clear.iter().map(|o| o.credits).sum::<f64>()),
    );
    text(
        "credits_earned",
        num(s
            .outcomes
            .iter()
            .filter(|o| o.term == w.term && o.passed_so_far != Some(false))
            .map(|o| o.credits)
            .sum::<f64>()),
    );
    // Read as the policy's condition reads it (a summer term's hours count for term 2), so the
    // notice prints the number its reason names.
    let absence = s.facts.and_then(|f| {
        crate::policy::metric_value(f, w.term, s.policy.pass_mark, "term_absence_hours")
    });
    text("absence_hours", num(absence.unwrap_or(0.0)));
    text("issued_on", zh_date(w.issued_on));
    text("date", zh_date(s.date));
    let c = s.contact;
    let cf = |g: &dyn Fn(&Contact) -> String| c.map_or(String::new(), g);
    text(
        "talk_date",
        cf(&|c| format!("{} {}", zh_date(c.at.date()), c.at.format("%H:%M"))),
    );
    text("talk_end", String::new());
    text("talk_place", cf(&|c| c.place.clone()));
    text(
        "talk_with",
        cf(&|c| c.with_whom.label(Lang::Zh).to_string()),
    );
    text(
        "talk_channel",
        cf(&|c| c.channel.label(Lang::Zh).to_string()),
    );
    text("talk_by", cf(&|c| c.author.clone()));
    text("talk_summary", cf(&|c| c.summary.clone()));
    text("talk_situation", cf(&|c| c.situation.clone()));
    text("talk_actions", cf(&|c| c.actions.clone()));
    f.insert("reasons", Value::List(reason_lines(w, s.policy)));
    f.insert("courses", Value::List(reason_courses(w)));
    f.insert(
        "courses_to_clear",
        Value::List(clear.iter().map(|o| outcome_line(o)).collect()),
    );
    f
}

/// The student's notice document: the student notice, then the parent copy with its stub, and
/// for posted parent copies a copy of the talk record.
pub fn notice_blocks(set: &Set, s: &Subject<'_>) -> Vec<Block> {
    let f = fields(s);
    let tier = &s.warning.tier;
    let mut out = Vec::new();
    let mut parts = vec!["notice", "parent"];
    if posted(&s.policy.id) {
        parts.push("record");
    }
    // The parts follow one another as the templates say (`===` for a new page, `---` for a
    // stub cut off below); only the copy of the talk record always starts a page of its own.
    for name in parts {
        if let Some(t) = set.get(name, tier) {
            if name == "record" {
                out.push(Block::PageBreak);
            }
            out.extend(template::render(t, &f));
        }
    }
    out
}

/// Whether a tier's notice includes a parent copy (and so a receipt to wait for).
pub fn has_receipt(set: &Set, tier: &str) -> bool {
    set.get("parent", tier).is_some()
}

/// One document of a set (`record`, `plan`) for a subject; None when the set has none.
pub fn document(set: &Set, name: &str, s: &Subject<'_>) -> Option<Vec<Block>> {
    set.get(name, &s.warning.tier)
        .map(|t| template::render(t, &fields(s)))
}

/// Blocks of several documents, one after another on new pages (a class's notices).
pub fn merge(docs: Vec<Vec<Block>>) -> Vec<Block> {
    let mut out = Vec::new();
    for d in docs {
        if !out.is_empty() {
            out.push(Block::PageBreak);
        }
        out.extend(d);
    }
    out
}

/// A file name part without path separators or characters Windows refuses.
pub fn file_part(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string()
}
