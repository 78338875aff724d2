//! Monthly talk coverage per counsellor and class teacher: the share of their students talked
//! to in the month, the share of their warned students whose obligations were kept on time,
//! and the obligations late and missed. Some schools require a share of all students a month
//! (e.g. 10%); a person below it is marked.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Kept, Obligations, judged, share};
use crate::model::Student;
use crate::model::{Calendar, Contact, Schedule};
use crate::model::{ContactKind, Role};

/// The `meta` key holding the required monthly share, as a fraction.
pub const REQUIRED_KEY: &str = "coverage_required_share";
/// Used until a college sets its own: the share the seeds' strictest school asks for.
pub const DEFAULT_REQUIRED: f64 = 0.10;

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// `counsellor` or `class-teacher`.
    pub role: &'static str,
    pub person: String,
    pub students: usize,
    pub talked: usize,
    pub talked_share: f64,
    pub warned: usize,
    pub warned_on_time: usize,
    pub on_time_share: f64,
    pub obligations: Obligations,
    /// Talked to fewer than the required share.
    pub shortfall: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub month: String,
    /// Obligations are judged on this day: the month's last, or today if the month is running.
    pub as_of: NaiveDate,
    pub required_share: f64,
    pub lines: Vec<Line>,
}

/// `2025-03` → its first and last day.
pub fn parse_month(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let bad = || format!("not a month: '{s}' (expected YYYY-MM, e.g. 2025-03)");
    let first =
        NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").map_err(|_| bad())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    let last = next.and_then(|d| d.pred_opt()).ok_or_else(bad)?;
    Ok((first, last))
}

/// `10%`, `10` or `12.5%` → 0.10, 0.10, 0.125.
pub fn parse_share(s: &str) -> Result<f64, String> {
    let t = s.trim().trim_end_matches(['%', '％']).trim();
    match t.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v / 100.0),
        _ => Err(format!(
            "not a share: '{s}' (expected a percentage from 0 to 100, e.g. 10%)"
        )),
    }
}

pub struct Inputs<'a> {
    pub month: (NaiveDate, NaiveDate),
    pub today: NaiveDate,
    pub required: f64,
    pub students: &'a [Student],
    /// Students on a warning during the month.
    pub warned: &'a HashSet<String>,
    pub contacts: &'a [Contact],
    pub schedules: &'a [Schedule],
    pub calendar: &'a Calendar,
}

/// A contact or obligation with no role recorded counts for either person.
fn for_role(r: Option<Role>, role: Role) -> bool {
    r.is_none_or(|r| r == role)
}

pub fn coverage(i: &Inputs) -> Coverage {
    let (first, last) = i.month;
    let as_of = last.min(i.today);
    let mut contacts: HashMap<&str, Vec<&Contact>> = HashMap::new();
    for c in i
        .contacts
        .iter()
        .filter(|c| c.superseded_by.is_none() && c.at.date() <= as_of)
    {
        contacts.entry(c.student_id.as_str()).or_default().push(c);
    }
    let mut schedules: HashMap<&str, Vec<&Schedule>> = HashMap::new();
    // An obligation an issue or a withdrawal ended before the month owes nothing in it.
    for s in i
        .schedules
        .iter()
        .filter(|s| s.from <= as_of && s.ended.is_none_or(|e| e.on >= first))
    {
        schedules.entry(s.student_id.as_str()).or_default().push(s);
    }
    let mut lines = Vec::new();
    for (role, role_id, person) in [
        (
            Role::Counsellor,
            "counsellor",
            (|s: &Student| &s.counsellor) as fn(&Student) -> &String,
        ),
        (Role::ClassTeacher, "class-teacher", |s: &Student| {
            &s.class_teacher
        }),
    ] {
        let mut people: BTreeMap<&str, Vec<&Student>> = BTreeMap::new();
        for s in i.students.iter().filter(|s| !person(s).trim().is_empty()) {
            people.entry(person(s).as_str()).or_default().push(s);
        }
        for (name, theirs) in people {
            let mut line = Line {
                role: role_id,
                person: name.to_string(),
                students: theirs.len(),
                talked: 0,
                talked_share: 0.0,
                warned: 0,
                warned_on_time: 0,
                on_time_share: 0.0,
                obligations: Obligations::default(),
                shortfall: false,
            };
            for s in theirs {
                let cs = contacts
                    .get(s.student_id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                if cs.iter().any(|c| {
                    c.kind == ContactKind::Talk
                        && for_role(c.role, role)
                        && (first..=last).contains(&c.at.date())
                }) {
                    line.talked += 1;
                }
                let mut mine = Obligations::default();
                for sc in schedules
                    .get(s.student_id.as_str())
                    .into_iter()
                    .flatten()
                    .filter(|sc| for_role(sc.role, role))
                {
                    mine.add(Kept::of(&judged(sc, cs, i.calendar, as_of)));
                }
                line.obligations.merge(&mine);
                if i.warned.contains(&s.student_id) {
                    line.warned += 1;
                    if mine.clean() {
                        line.warned_on_time += 1;
                    }
                }
            }
            line.talked_share = share(line.talked, line.students);
            line.on_time_share = share(line.warned_on_time, line.warned);
            line.shortfall = line.talked_share + 1e-9 < i.required;
            lines.push(line);
        }
    }
    Coverage {
        month: first.format("%Y-%m").to_string(),
        as_of,
        required_share: i.required,
        lines,
    }
}

/// Students whose latest warning issued by `day` stands (a re-issue that lifted it does not).
pub fn warned_on(db: &crate::db::Db, day: NaiveDate) -> anyhow::Result<HashSet<String>> {
    let mut latest: HashMap<String, (NaiveDate, crate::model::Term, bool)> = HashMap::new();
    for term in db.terms_with_grades()? {
        for w in db.issued_warnings(term)? {
            if w.issued_on > day {
                continue;
            }
            let key = (w.issued_on, w.term, !w.tier.is_empty());
            let e = latest.entry(w.student_id).or_insert(key);
            if (key.0, key.1) >= (e.0, e.1) {
                *e = key;
            }
        }
    }
    Ok(latest
        .into_iter()
        .filter(|(_, (_, _, warned))| *warned)
        .map(|(id, _)| id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_shares_parse() {
        let (a, b) = parse_month("2024-12").unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2024-12-01".into(), "2024-12-31".into())
        );
        assert_eq!(parse_month("2025-02").unwrap().1.to_string(), "2025-02-28");
        assert!(parse_month("2025-13").unwrap_err().contains("YYYY-MM"));
        assert_eq!(parse_share("10%").unwrap(), 0.10);
        assert_eq!(parse_share("12.5").unwrap(), 0.125);
        assert!(parse_share("120%").is_err());
        assert!(parse_share("ten").is_err());
    }
}
