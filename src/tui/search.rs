//! Search as you type: student id (prefix), name, pinyin initials (`wqb` → 王清白), full
//! pinyin without tones (`wangqing`), and class. Every row's haystacks are lowercased and
//! converted to pinyin once, when data arrives, so a keystroke only compares strings.

use pinyin::ToPinyin;

use super::model::RosterEntry;

/// Lowercased search text of one roster row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Haystack {
    id: String,
    name: String,
    initials: String,
    full: String,
    class: String,
}

impl Haystack {
    fn new(e: &RosterEntry) -> Haystack {
        let name = e.student.name.to_lowercase();
        let (initials, full) = pinyin_of(&name);
        Haystack {
            id: e.student.student_id.to_lowercase(),
            name,
            initials,
            full,
            class: e.student.class.to_lowercase(),
        }
    }

    fn matches(&self, token: &str) -> bool {
        self.id.starts_with(token)
            || self.name.contains(token)
            || self.initials.starts_with(token)
            || self.full.contains(token)
            || self.class.contains(token)
    }
}

/// Pinyin initials and full pinyin without tones; characters without pinyin (Latin letters,
/// digits, `·`) are kept as they are, spaces dropped.
pub fn pinyin_of(s: &str) -> (String, String) {
    let mut initials = String::with_capacity(s.len());
    let mut full = String::with_capacity(s.len() * 2);
    for (c, p) in s.chars().zip(s.to_pinyin()) {
        match p {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None if c.is_whitespace() => {}
            None => {
                initials.extend(c.to_lowercase());
                full.extend(c.to_lowercase());
            }
        }
    }
    (initials, full)
}

/// A query: lowercased words that must all match (each in any field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    text: String,
    tokens: Vec<String>,
}

impl Query {
    pub fn new(raw: &str) -> Query {
        let text = raw.to_lowercase();
        let tokens = text.split_whitespace().map(str::to_string).collect();
        Query { text, tokens }
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// True when every row matching `self` also matches `narrower` (the query only grew), so
    /// the previous hits can be filtered instead of the whole roster.
    pub fn narrows_to(&self, narrower: &Query) -> bool {
        narrower.text.starts_with(&self.text)
    }
}

/// The search haystacks of every roster row, by row index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    rows: Vec<Haystack>,
}

impl SearchIndex {
    pub fn build(entries: &[RosterEntry]) -> SearchIndex {
        SearchIndex {
            rows: entries.iter().map(Haystack::new).collect(),
        }
    }

    pub fn matches(&self, row: u32, q: &Query) -> bool {
        let Some(h) = self.rows.get(row as usize) else {
            return false;
        };
        q.tokens.iter().all(|t| h.matches(t))
    }

    /// Name's full pinyin, for sorting names the way a Chinese reader expects.
    pub fn name_key(&self, row: u32) -> &str {
        self.rows.get(row as usize).map_or("", |h| h.full.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Student, Term};
    use crate::policy::Evaluation;

    fn entry(id: &str, name: &str, class: &str) -> RosterEntry {
        RosterEntry {
            student: Student {
                student_id: id.into(),
                name: name.into(),
                class: class.into(),
                ..Student::default()
            },
            eval: Evaluation::none(id, Term { year: 2024, n: 1 }),
            last_contact: None,
            followup: None,
            exempt: None,
        }
    }

    fn hits(index: &SearchIndex, q: &str) -> Vec<u32> {
        let q = Query::new(q);
        (0..3).filter(|&r| index.matches(r, &q)).collect()
    }

    #[test]
    fn pinyin_initials_and_full() {
        assert_eq!(pinyin_of("王清白"), ("wqb".into(), "wangqingbai".into()));
        assert_eq!(pinyin_of("阿依古丽·买买提").0, "aygl·mmt");
        assert_eq!(pinyin_of("Li Lei"), ("lilei".into(), "lilei".into()));
    }

    #[test]
    fn finds_by_every_field() {
        let index = SearchIndex::build(&[
            entry("2021010101", "王清白", "计算机2101"),
            entry("2021020202", "李明", "软件2102"),
            entry("2022010303", "王芳", "计算机2201"),
        ]);
        assert_eq!(hits(&index, "wqb"), vec![0]);
        assert_eq!(hits(&index, "WQB"), vec![0]);
        assert_eq!(hits(&index, "wangqing"), vec![0]);
        assert_eq!(hits(&index, "王"), vec![0, 2]);
        assert_eq!(hits(&index, "2021"), vec![0, 1]);
        // Ids match by prefix only: a class number inside an id is not a hit.
        assert_eq!(hits(&index, "0101"), Vec::<u32>::new());
        assert_eq!(hits(&index, "计算机"), vec![0, 2]);
        assert_eq!(hits(&index, "w 2201"), vec![2]);
        assert_eq!(hits(&index, ""), vec![0, 1, 2]);
    }

    #[test]
    fn growing_query_narrows() {
        assert!(Query::new("wq").narrows_to(&Query::new("wqb")));
        assert!(Query::new("wq").narrows_to(&Query::new("wq 21")));
        assert!(!Query::new("wqb").narrows_to(&Query::new("wq")));
        assert!(!Query::new("wq").narrows_to(&Query::new("lm")));
    }
}
