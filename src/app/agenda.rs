//! The agenda as the CLI and the TUI both read it: term dates (recorded or defaulted), who is
//! exempt today, and every schedule's state, computed by [`crate::schedule::agenda`].

use crate::db::Db;
use crate::model::Term;

/// Term dates: the recorded ones, and the defaults (marked `false`) for nearby terms with none.
pub fn calendar(
    db: &Db,
    today: chrono::NaiveDate,
) -> anyhow::Result<(crate::model::Calendar, Vec<(Term, bool)>)> {
    use chrono::Datelike;
    let stored = db.all_term_dates()?;
    let mut terms = stored.clone();
    let mut known: Vec<(Term, bool)> = stored.iter().map(|(t, _, _)| (*t, true)).collect();
    let first = u16::try_from(today.year() - 3).unwrap_or(2000);
    for year in first..=first + 4 {
        for n in 1..=2 {
            let t = Term { year, n };
            if !stored.iter().any(|(s, _, _)| *s == t) {
                let (a, b) = crate::schedule::default_term_dates(t);
                terms.push((t, a, b));
                known.push((t, false));
            }
        }
    }
    terms.sort_by_key(|(_, a, _)| *a);
    known.sort();
    Ok((crate::model::Calendar { terms }, known))
}

/// Students with an exemption in force today.
pub fn exempt_today(
    db: &Db,
    today: chrono::NaiveDate,
) -> anyhow::Result<std::collections::HashSet<String>> {
    Ok(db
        .exemptions()?
        .into_iter()
        .filter(|e| e.active(today))
        .map(|e| e.student_id)
        .collect())
}

/// The agenda of every schedule of students not exempt today.
pub fn agenda(db: &Db, today: chrono::NaiveDate) -> anyhow::Result<crate::model::Agenda> {
    let exempt = exempt_today(db, today)?;
    let schedules: Vec<_> = db
        .schedules(None)?
        .into_iter()
        .filter(|s| !exempt.contains(&s.student_id))
        .collect();
    let contacts = db.contacts(None, false)?;
    let (cal, _) = calendar(db, today)?;
    Ok(crate::schedule::agenda::agenda(
        &schedules, &contacts, &cal, today,
    ))
}
