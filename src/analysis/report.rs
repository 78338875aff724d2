//! The term-end report (帮扶效果分析) as a use case: what it reads from the database, the
//! terms it compares, and the labels a script gets beside the ids. The classification itself
//! is pure, in [`crate::analysis::effect`] (no SQL there); `cli/report.rs` reads the
//! arguments and prints. (It sits in `analysis`, above `app`, whose assessment it uses.)

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::analysis::effect::{Analysis, Inputs, analyse, recorded, tier_name};
use crate::db::Db;
use crate::locale::Lang;
use crate::model::IssuedWarning;
use crate::model::{Student, Term};
use crate::policy::{Evaluation, Policy};

/// Reads what [`analyse`] needs and runs it.
pub fn load(
    db: &Db,
    policy: Policy,
    term: Term,
    against: Term,
    today: NaiveDate,
    scope: Option<&crate::app::access::Scope>,
) -> anyhow::Result<Analysis> {
    let (recorded, withdrawn) = recorded(&db.all_warning_history()?, term, against);
    let mut issued = db.issued_warnings(term)?;
    issued.extend(withdrawn.into_iter().map(|(student_id, w)| IssuedWarning {
        student_id,
        term,
        policy_id: String::new(),
        tier: w.tier,
        severity: 0,
        status: Vec::new(),
        reasons_json: String::new(),
        issued_on: w.issued_on,
    }));
    issued.sort_by(|a, b| a.student_id.cmp(&b.student_id));
    anyhow::ensure!(
        !issued.is_empty(),
        "no warnings were issued for {term}: `yujing issue --term {term}` first"
    );
    // A reader counts only the students they see (their classes, their college …): one who
    // sees none of the warned students gets an empty analysis, not an error.
    if let Some(scope) = scope {
        scope.retain(&mut issued, |w| &w.student_id);
    }
    let roster = crate::app::assess::assess(db, policy, against)?;
    let now: HashMap<String, Evaluation> = roster
        .rows
        .iter()
        .map(|(s, e)| (s.student_id.clone(), e.clone()))
        .collect();
    let students: Vec<Student> = roster.rows.into_iter().map(|(s, _)| s).collect();
    let (calendar, _) = crate::app::agenda::calendar(db, today)?;
    Ok(analyse(&Inputs {
        policy: &roster.policy,
        term,
        against,
        today,
        students: &students,
        issued: &issued,
        recorded: &recorded,
        now: &now,
        exempt: &crate::app::agenda::exempt_today(db, today)?,
        contacts: &db.contacts(None, false)?,
        schedules: &db.schedules(None)?,
        calendar: &calendar,
    }))
}

/// The term to compare with: `--against`, else the first term after T holding grades.
pub fn against_term(db: &Db, term: Term, arg: Option<&str>, lang: Lang) -> anyhow::Result<Term> {
    use anyhow::Context;
    match arg {
        Some(t) => {
            let t: Term = t.parse()?;
            anyhow::ensure!(
                t > term,
                "{}",
                lang.pick(
                    &format!("--against {t}：须是 {term} 之后的学期"),
                    &format!("--against {t}: must be a term after {term}"),
                )
            );
            Ok(t)
        }
        None => db
            .terms_with_grades()?
            .into_iter()
            .find(|t| *t > term)
            .with_context(|| {
                lang.pick(
                    &format!(
                        "{term} 之后还没有成绩：先导入下一学期的成绩，或用 --against 学期 指定"
                    ),
                    &format!(
                        "no grades after {term} yet: import the next term's grades, or pass --against TERM"
                    ),
                )
                .to_string()
            }),
    }
}

/// The newest analysis there is: the latest term with warnings issued and grades after it,
/// against the first term after it with grades. None before there is one.
pub fn latest(db: &Db, policy: Policy, today: NaiveDate) -> anyhow::Result<Option<Analysis>> {
    let terms = db.terms_with_grades()?;
    for (k, term) in terms.iter().enumerate().rev() {
        let Some(&against) = terms.get(k + 1) else {
            continue;
        };
        if db
            .issued_warnings(*term)?
            .iter()
            .any(|w| !w.tier.is_empty())
        {
            return load(db, policy, *term, against, today, None).map(Some);
        }
    }
    Ok(None)
}

/// The analysis for scripts: every id kept, with the words a person reads beside it in
/// `lang` (`tier_label`, `now_label`, `change_label` per student; `key_label` per tier group).
pub fn labelled_json(
    a: &Analysis,
    p: &Policy,
    lang: Lang,
) -> serde_json::Result<serde_json::Value> {
    use serde_json::Value;
    let mut v = serde_json::to_value(a)?;
    if let Some(Value::Array(students)) = v.get_mut("students") {
        for (s, o) in students.iter_mut().zip(&a.students) {
            let Value::Object(fields) = s else { continue };
            let now = o.now.as_deref().map(|t| tier_name(p, t, lang).to_string());
            fields.insert("tier_label".into(), tier_name(p, &o.tier, lang).into());
            fields.insert("now_label".into(), now.map_or(Value::Null, Value::from));
            fields.insert("change_label".into(), o.change.label(lang).into());
        }
    }
    if let Some(Value::Array(groups)) = v.get_mut("by_tier") {
        for (g, t) in groups.iter_mut().zip(&a.by_tier) {
            if let Value::Object(fields) = g {
                fields.insert("key_label".into(), tier_name(p, &t.key, lang).into());
            }
        }
    }
    Ok(v)
}
