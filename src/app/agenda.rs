//! The agenda as the CLI and the TUI both read it: term dates (recorded or defaulted), who is
//! exempt today, and every schedule's state, computed by [`crate::schedule::agenda`].

use std::collections::HashMap;

use crate::db::Db;
use crate::locale::Lang;
use crate::model::{Calendar, Contact, Schedule, Source, Term};
use crate::schedule::Status;
use crate::schedule::agenda as judge;

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
    Ok(active_exemptions(db, today)?
        .into_iter()
        .map(|e| e.student_id)
        .collect())
}

fn active_exemptions(
    db: &Db,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<crate::model::Exemption>> {
    Ok(db
        .exemptions()?
        .into_iter()
        .filter(|e| e.active(today))
        .collect())
}

/// Everything follow-up views read, in one place so the CLI's agenda, the TUI's agenda and
/// roster marks, and the TUI's test double judge the same records the same way.
pub struct Followups {
    pub today: chrono::NaiveDate,
    pub cal: Calendar,
    /// Exemptions in force today; their students' schedules are left out of `schedules`.
    pub exempt: Vec<crate::model::Exemption>,
    pub schedules: Vec<Schedule>,
    pub contacts: Vec<Contact>,
}

impl Followups {
    pub fn read(db: &Db, today: chrono::NaiveDate, lang: Lang) -> anyhow::Result<Followups> {
        let exempt = active_exemptions(db, today)?;
        let mut schedules: Vec<Schedule> = db
            .schedules(None)?
            .into_iter()
            .filter(|s| !exempt.iter().any(|e| e.student_id == s.student_id))
            .collect();
        localise_notes(db, &mut schedules, lang);
        Ok(Followups {
            today,
            cal: calendar(db, today)?.0,
            exempt,
            schedules,
            contacts: db.contacts(None, false)?,
        })
    }

    pub fn agenda(&self) -> crate::model::Agenda {
        judge::agenda(&self.schedules, &self.contacts, &self.cal, self.today)
    }

    /// Each schedule's state today, in the order of `schedules`.
    pub fn statuses(&self) -> Vec<Status> {
        judge::statuses(&self.schedules, &self.contacts, &self.cal, self.today)
    }

    /// Each student's most urgent obligation (see [`judge::most_urgent`]).
    pub fn most_urgent(&self) -> HashMap<String, (Schedule, Status)> {
        judge::most_urgent(&self.schedules, &self.contacts, &self.cal, self.today)
    }
}

/// The agenda of every schedule of students not exempt today.
pub fn agenda(
    db: &Db,
    today: chrono::NaiveDate,
    lang: Lang,
) -> anyhow::Result<crate::model::Agenda> {
    Ok(Followups::read(db, today, lang)?.agenda())
}

/// Every follow-up (zh, en) of the built-in presets, parsed once a run.
static PRESET_FOLLOWUPS: std::sync::LazyLock<Vec<(String, String)>> =
    std::sync::LazyLock::new(|| {
        crate::policy::PRESETS
            .iter()
            .filter_map(|(id, text)| crate::policy::presets::parse(text, id).ok())
            .flat_map(|p| p.followups.into_iter().map(|f| (f.zh, f.en)))
            .collect()
    });

/// A policy obligation's note is written in the language of whoever issued the warning; a
/// reader sees it in their own when it is one of a known policy's follow-ups (the presets' or
/// the database's policy). Other notes are a person's words and stay as written.
pub fn localise_notes(db: &Db, schedules: &mut [Schedule], lang: Lang) {
    if !schedules.iter().any(|s| s.source == Source::Policy) {
        return;
    }
    // A school's own policy is parsed only when it is not a preset's text.
    let own: Vec<(String, String)> = match db.policy() {
        Ok(Some((id, text))) if crate::policy::preset_text(&id) != Some(text.as_str()) => {
            crate::policy::presets::parse(&text, &id)
                .map(|p| p.followups.into_iter().map(|f| (f.zh, f.en)).collect())
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let words: HashMap<&str, &str> = PRESET_FOLLOWUPS
        .iter()
        .chain(&own)
        .flat_map(|(zh, en)| {
            let said = lang.pick(zh, en);
            [(zh.as_str(), said), (en.as_str(), said)]
        })
        .collect();
    for s in schedules.iter_mut().filter(|s| s.source == Source::Policy) {
        if let Some(said) = words.get(s.note.as_str()) {
            s.note = (*said).to_string();
        }
    }
}
