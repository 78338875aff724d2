//! The term-end effectiveness analysis (帮扶效果分析): for the warnings issued for term T,
//! where each student stands at a later term, how their obligations were kept and how many
//! talks were logged — per student, and by class, counsellor and tier.
//!
//! Where the lifecycle recorded the outcome — the change stored on the warning issued for the
//! later term, or T's warning withdrawn — that record is the outcome; before the later term
//! is issued it is worked out from the later term's evaluation by the same rules.
//!
//! Pure: [`crate::analysis::report`] reads what [`analyse`] needs from the database.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use super::{Change, Kept, OUTCOMES, Obligations, classify, judged};
use crate::db::WarningRecord;
use crate::model::ContactKind;
use crate::model::IssuedWarning;
use crate::model::Standing;
use crate::model::{Calendar, Contact, Schedule};
use crate::model::{Student, Term};
use crate::policy::{Evaluation, Policy};

/// One warned student's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub student_id: String,
    pub name: String,
    pub class: String,
    pub counsellor: String,
    /// The tier issued for T (its id).
    pub tier: String,
    /// The tier at the later term, if any.
    pub now: Option<String>,
    pub change: Change,
    pub obligations: Obligations,
    /// Periods missed while an obligation was active (none after it ended).
    pub missed_periods: u32,
    pub talks: u32,
}

/// Figures for a group of warned students.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    pub key: String,
    pub warned: u32,
    /// Every outcome id, zero or not, so a reader never has to guess a missing key.
    pub changes: BTreeMap<&'static str, u32>,
    pub obligations: Obligations,
    pub missed_periods: u32,
    pub talks: u32,
    pub talks_per_student: f64,
}

impl Group {
    fn new(key: &str) -> Group {
        Group {
            key: key.to_string(),
            changes: OUTCOMES.iter().map(|c| (c.id(), 0)).collect(),
            ..Group::default()
        }
    }

    fn add(&mut self, o: &Outcome) {
        self.warned += 1;
        *self.changes.entry(o.change.id()).or_default() += 1;
        self.obligations.merge(&o.obligations);
        self.missed_periods += o.missed_periods;
        self.talks += o.talks;
        self.talks_per_student = f64::from(self.talks) / f64::from(self.warned);
    }

    pub fn count(&self, c: Change) -> u32 {
        self.changes.get(c.id()).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub term: String,
    pub against: String,
    pub policy: String,
    /// Obligations and talks are counted up to this day.
    pub as_of: NaiveDate,
    pub total: Group,
    pub by_class: Vec<Group>,
    pub by_counsellor: Vec<Group>,
    /// Least severe tier first, as the policy lists them.
    pub by_tier: Vec<Group>,
    pub students: Vec<Outcome>,
}

/// Everything the analysis reads, gathered so the counting stays pure.
pub struct Inputs<'a> {
    pub policy: &'a Policy,
    pub term: Term,
    pub against: Term,
    pub today: NaiveDate,
    pub students: &'a [Student],
    /// T's warnings in force, and those withdrawn with none in their place.
    pub issued: &'a [IssuedWarning],
    /// The outcomes the lifecycle recorded, by student id (see [`recorded`]).
    pub recorded: &'a HashMap<String, Recorded>,
    /// Evaluations at `against`, by student id.
    pub now: &'a HashMap<String, Evaluation>,
    pub exempt: &'a std::collections::HashSet<String>,
    pub contacts: &'a [Contact],
    pub schedules: &'a [Schedule],
    pub calendar: &'a Calendar,
}

/// What the lifecycle recorded of how a warning of T turned out.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub change: Change,
    /// The tier issued next (None: none, or the warning was withdrawn).
    pub now: Option<String>,
}

/// The lifecycle's record of term T's warnings, by student: the change stored on the warning
/// issued next when that one is `against`'s (it was worked out against T's as it was
/// issued), or `withdrawn` when T's warning was withdrawn and none stands in its place. Also
/// returns those withdrawn warnings: they belong to T's analysis though no longer in force.
pub fn recorded(
    history: &[(String, WarningRecord)],
    term: Term,
    against: Term,
) -> (HashMap<String, Recorded>, Vec<(String, WarningRecord)>) {
    let mut by_student: BTreeMap<&str, Vec<&WarningRecord>> = BTreeMap::new();
    for (student, w) in history {
        by_student.entry(student.as_str()).or_default().push(w);
    }
    let mut out = HashMap::new();
    let mut withdrawn = Vec::new();
    for (student, ws) in by_student {
        let standing = ws
            .iter()
            .rposition(|w| w.term == term && w.withdrawn.is_none());
        if let Some(k) = standing {
            let next = ws[k + 1..].iter().find(|w| w.withdrawn.is_none());
            if let Some((n, change)) = next
                .filter(|n| n.term == against)
                .and_then(|n| n.change.map(|c| (n, c)))
            {
                let now = (!n.tier.is_empty()).then(|| n.tier.clone());
                out.insert(student.to_string(), Recorded { change, now });
            }
        } else if let Some(w) = ws
            .iter()
            .rev()
            .find(|w| w.term == term && !w.tier.is_empty())
        {
            out.insert(
                student.to_string(),
                Recorded {
                    change: Change::Withdrawn,
                    now: None,
                },
            );
            withdrawn.push((student.to_string(), (*w).clone()));
        }
    }
    (out, withdrawn)
}

fn standing(w: &IssuedWarning) -> Standing {
    Standing {
        tier: w.tier.clone(),
        severity: w.severity,
        status: w.status.clone(),
    }
}

fn grouped(outcomes: &[Outcome], key: impl Fn(&Outcome) -> String) -> Vec<Group> {
    let mut m: BTreeMap<String, Group> = BTreeMap::new();
    for o in outcomes {
        let k = key(o);
        m.entry(k.clone()).or_insert_with(|| Group::new(&k)).add(o);
    }
    m.into_values().collect()
}

pub fn analyse(i: &Inputs) -> Analysis {
    let by_id: HashMap<&str, &Student> = i
        .students
        .iter()
        .map(|s| (s.student_id.as_str(), s))
        .collect();
    let mut contacts: HashMap<&str, Vec<&Contact>> = HashMap::new();
    for c in i.contacts.iter().filter(|c| c.superseded_by.is_none()) {
        contacts.entry(c.student_id.as_str()).or_default().push(c);
    }
    let mut schedules: HashMap<&str, Vec<&Schedule>> = HashMap::new();
    for s in i.schedules {
        schedules.entry(s.student_id.as_str()).or_default().push(s);
    }
    let mut students = Vec::new();
    for w in i.issued.iter().filter(|w| !w.tier.is_empty()) {
        let empty = Student::default();
        let s = by_id.get(w.student_id.as_str()).copied().unwrap_or(&empty);
        let mine: Vec<&Contact> = contacts
            .get(w.student_id.as_str())
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|c| (w.issued_on..=i.today).contains(&c.at.date()))
                    .collect()
            })
            .unwrap_or_default();
        let mut obligations = Obligations::default();
        let mut missed_periods = 0;
        // The obligations this warning brought: those running from its issue on.
        for sc in schedules
            .get(w.student_id.as_str())
            .into_iter()
            .flatten()
            .filter(|sc| sc.from >= w.issued_on && sc.from <= i.today)
        {
            let st = judged(sc, &mine, i.calendar, i.today);
            obligations.add(Kept::of(&st));
            missed_periods += st.missed;
        }
        let talks = mine.iter().filter(|c| c.kind == ContactKind::Talk).count();
        let (change, now) = match i.recorded.get(&w.student_id) {
            Some(r) => (r.change, r.now.clone()),
            None => {
                let e = i.now.get(&w.student_id);
                let exempt = i.exempt.contains(&w.student_id);
                (
                    classify(&standing(w), e, exempt),
                    e.and_then(|e| e.tier.clone()),
                )
            }
        };
        students.push(Outcome {
            student_id: w.student_id.clone(),
            name: s.name.clone(),
            class: s.class.clone(),
            counsellor: s.counsellor.clone(),
            tier: w.tier.clone(),
            now,
            change,
            obligations,
            missed_periods,
            talks: u32::try_from(talks).unwrap_or(u32::MAX),
        });
    }
    let mut total = Group::new("");
    for o in &students {
        total.add(o);
    }
    let tier_groups = grouped(&students, |o| o.tier.clone());
    let by_tier = i
        .policy
        .tiers
        .iter()
        .filter_map(|t| tier_groups.iter().find(|g| g.key == t.id).cloned())
        // A tier the policy no longer has (issued under an older version) still shows.
        .chain(
            tier_groups
                .iter()
                .filter(|g| !i.policy.tiers.iter().any(|t| t.id == g.key))
                .cloned(),
        )
        .collect();
    Analysis {
        term: i.term.to_string(),
        against: i.against.to_string(),
        policy: i.policy.id.clone(),
        as_of: i.today,
        total,
        by_class: grouped(&students, |o| o.class.clone()),
        by_counsellor: grouped(&students, |o| o.counsellor.clone()),
        by_tier,
        students,
    }
}

/// The columns of a group's figures after its name, for every format.
pub fn group_header(lang: crate::locale::Lang) -> Vec<&'static str> {
    let mut h = vec![lang.pick("预警人数", "warned")];
    h.extend(OUTCOMES.iter().map(|c| c.label(lang)));
    h.extend([
        lang.pick("按时完成", "on time"),
        lang.pick("逾期补做", "late"),
        lang.pick("未完成", "missed"),
        lang.pick("谈话次数", "talks"),
        lang.pick("人均谈话", "talks/student"),
        lang.pick("漏谈期数", "missed periods"),
    ]);
    h
}

/// A group's figures in [`group_header`]'s order.
pub fn group_values(g: &Group) -> Vec<f64> {
    let mut v = vec![f64::from(g.warned)];
    v.extend(OUTCOMES.iter().map(|c| f64::from(g.count(*c))));
    v.extend([
        f64::from(g.obligations.on_time),
        f64::from(g.obligations.late),
        f64::from(g.obligations.missed),
        f64::from(g.talks),
        (g.talks_per_student * 100.0).round() / 100.0,
        f64::from(g.missed_periods),
    ]);
    v
}

/// A tier id as people call it under `policy`.
pub fn tier_name<'p>(policy: &'p Policy, id: &'p str, lang: crate::locale::Lang) -> &'p str {
    policy.tier_name(id, lang).unwrap_or(id)
}

/// Which breakdown a [`Section`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Tier,
    Counsellor,
    Class,
}

/// A breakdown as shown: its title, the name of its first column, its groups by label.
pub struct Section<'a> {
    pub breakdown: Breakdown,
    pub title: &'static str,
    pub first: &'static str,
    pub groups: Vec<(String, &'a Group)>,
}

/// The three breakdowns in the order every format shows them: tier, counsellor, class.
pub fn sections<'a>(a: &'a Analysis, p: &Policy, lang: crate::locale::Lang) -> [Section<'a>; 3] {
    let named = |gs: &'a [Group]| gs.iter().map(|g| (g.key.clone(), g)).collect();
    [
        Section {
            breakdown: Breakdown::Tier,
            title: lang.pick("按等级", "By tier"),
            first: lang.pick("预警等级", "Tier"),
            groups: a
                .by_tier
                .iter()
                .map(|g| (tier_name(p, &g.key, lang).to_string(), g))
                .collect(),
        },
        Section {
            breakdown: Breakdown::Counsellor,
            title: lang.pick("按辅导员", "By counsellor"),
            first: lang.pick("辅导员", "Counsellor"),
            groups: named(&a.by_counsellor),
        },
        Section {
            breakdown: Breakdown::Class,
            title: lang.pick("按班级", "By class"),
            first: lang.pick("班级", "Class"),
            groups: named(&a.by_class),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(term: Term, tier: &str, change: Option<Change>, withdrawn: bool) -> WarningRecord {
        let on = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        WarningRecord {
            term,
            tier: tier.into(),
            issued_on: on,
            change,
            withdrawn: withdrawn.then(|| (on, "wrong file".into(), "tester".into())),
        }
    }

    #[test]
    fn recorded_outcomes_come_from_the_next_issue_or_the_withdrawal() {
        let t1 = Term { year: 2024, n: 1 };
        let t2 = Term { year: 2024, n: 2 };
        let t3 = Term { year: 2025, n: 1 };
        let h = vec![
            // Lifted at T2: recorded on T2's warning (empty tier).
            ("a".to_string(), w(t1, "level1", Some(Change::New), false)),
            ("a".to_string(), w(t2, "", Some(Change::Lifted), false)),
            // T1 withdrawn, nothing in its place.
            ("b".to_string(), w(t1, "level2", Some(Change::New), true)),
            // T2's warning withdrawn: nothing recorded, the evaluation decides.
            ("c".to_string(), w(t1, "level1", Some(Change::New), false)),
            ("c".to_string(), w(t2, "level2", Some(Change::Up), true)),
            // Withdrawn and issued again for T1: the one in force counts.
            ("d".to_string(), w(t1, "level2", Some(Change::New), true)),
            ("d".to_string(), w(t1, "level1", Some(Change::New), false)),
            ("d".to_string(), w(t2, "level2", Some(Change::Up), false)),
            // Not issued at T2 but at T3: not T2's record.
            ("e".to_string(), w(t1, "level1", Some(Change::New), false)),
            ("e".to_string(), w(t3, "level1", Some(Change::Same), false)),
        ];
        let (rec, withdrawn) = recorded(&h, t1, t2);
        let got = |s: &str| rec.get(s).map(|r| (r.change, r.now.clone()));
        assert_eq!(got("a"), Some((Change::Lifted, None)));
        assert_eq!(got("b"), Some((Change::Withdrawn, None)));
        assert_eq!(got("c"), None);
        assert_eq!(got("d"), Some((Change::Up, Some("level2".into()))));
        assert_eq!(got("e"), None);
        assert_eq!(withdrawn.len(), 1);
        assert_eq!(
            (withdrawn[0].0.as_str(), withdrawn[0].1.tier.as_str()),
            ("b", "level2")
        );
    }
}
