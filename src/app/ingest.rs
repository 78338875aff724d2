//! Import of one file into the database: read → check → store, in one transaction.
//! A file either lands whole or not at all; with `skip_bad` the good rows land.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use crate::db::{Change, Db, DbError, ImportTx};
use crate::import::dupes::{KeySeen, Seen};
use crate::import::{Dataset, Location, ReadNotes, ReadOptions, Record, RowError};
use crate::locale::Lang;

/// Counts of what an import did (or would do).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub bad: usize,
}

impl Tally {
    fn add(&mut self, c: Change) {
        match c {
            Change::New => self.new += 1,
            Change::Changed => self.changed += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }

    /// The summary line; in Chinese the English counts follow so scripts can read either.
    pub fn summary(&self, lang: Lang) -> String {
        let en = format!(
            "{} new, {} changed, {} unchanged, {} bad",
            self.new, self.changed, self.unchanged, self.bad
        );
        match lang {
            Lang::Zh => format!(
                "新增 {}，变更 {}，未变 {}，错误 {} ({en})",
                self.new, self.changed, self.unchanged, self.bad
            ),
            Lang::En => en,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub opts: ReadOptions,
    pub dry_run: bool,
    pub skip_bad: bool,
    pub progress: bool,
    pub lang: Option<Lang>,
}

#[derive(Debug)]
pub struct Outcome {
    pub tally: Tally,
    pub bad: Vec<RowError>,
    pub notes: ReadNotes,
    /// Whether the transaction was committed.
    pub written: bool,
}

fn store(tx: &mut ImportTx<'_>, rec: &Record) -> Result<Change, DbError> {
    match rec {
        Record::Student(s) => tx.upsert_student(s),
        Record::Grade {
            student_id,
            attempt,
        } => tx.upsert_attempt(student_id, attempt),
        Record::Absence {
            student_id,
            term,
            hours,
            seq,
        } => tx.upsert_absence(student_id, *term, *hours, seq),
        Record::Fitness { student_id, record } => tx.upsert_fitness(student_id, record),
        Record::Flag { student_id, flag } => tx.upsert_flag(student_id, flag),
    }
}

/// One key on two lines with different values: both lines named, neither chosen.
fn conflict_reason(lang: Lang, first: usize, here: &Location, what: (&str, &str)) -> String {
    let here = here.line;
    match lang {
        Lang::Zh => format!(
            "与第 {first} 行的{}相同但内容不同：第 {first} 行和第 {here} 行互相矛盾",
            what.0
        ),
        Lang::En => format!(
            "same {} as line {first} but different values: lines {first} and {here} disagree",
            what.1
        ),
    }
}

fn bar(total: u64) -> ProgressBar {
    let b = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {percent:>3}% {elapsed} ETA {eta}")
    {
        b.set_style(style);
    }
    b
}

/// Imports `path` as `dataset`. File-level problems (unreadable, missing column) are errors;
/// bad rows are collected in the outcome.
pub fn import_file(
    db: &mut Db,
    path: &Path,
    dataset: Dataset,
    req: &Request,
) -> anyhow::Result<Outcome> {
    let lang = req.lang.unwrap_or(Lang::En);
    let mut reader = crate::import::open(path, dataset, &req.opts)?;
    let progress = req.progress.then(|| bar(reader.progress().1));
    let mut tx = db.begin_import()?;
    let mut tally = Tally::default();
    let mut bad: Vec<RowError> = Vec::new();
    let mut rows = 0u64;
    let mut keys = KeySeen::default();
    while let Some(row) = reader.next() {
        rows += 1;
        if let (Some(b), true) = (&progress, rows.is_multiple_of(4096)) {
            b.set_position(reader.progress().0);
        }
        let records = match row.result {
            Ok(r) => r,
            Err(e) => {
                bad.push(e);
                continue;
            }
        };
        for rec in &records {
            match keys.offer(rec, row.location.line) {
                Seen::First => {}
                // The same fact said twice: counted once.
                Seen::Again(_) => continue,
                Seen::Conflict(first) => {
                    if let Some(key) = rec.key() {
                        bad.push(RowError {
                            location: row.location.clone(),
                            column: reader.notes().id_header.clone(),
                            value: key.text().to_string(),
                            reason: conflict_reason(lang, first, &row.location, key.what),
                        });
                    }
                    break;
                }
            }
            match store(&mut tx, rec) {
                Ok(c) => tally.add(c),
                Err(DbError::UnknownStudent(id)) => {
                    let e = RowError {
                        location: row.location.clone(),
                        column: reader.notes().id_header.clone(),
                        value: id,
                        reason: lang
                            .pick(
                                "学生名单中没有这个学号（先导入学生名单）",
                                "unknown student id (import the students file first)",
                            )
                            .to_string(),
                    };
                    // A wide-layout row yields several records of one student: report it once.
                    if bad.last() != Some(&e) {
                        bad.push(e);
                    }
                    break;
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("{}: writing to the database", path.display())));
                }
            }
        }
    }
    if let Some(b) = progress {
        b.finish_and_clear();
    }
    tally.bad = bad.len();
    let written = !req.dry_run && (bad.is_empty() || req.skip_bad);
    if written {
        tx.commit_audited(&serde_json::json!({
            "file": path.display().to_string(),
            "dataset": format!("{dataset:?}").to_lowercase(),
            "new": tally.new,
            "changed": tally.changed,
            "unchanged": tally.unchanged,
            "skipped": tally.bad,
        }))?;
    }
    Ok(Outcome {
        tally,
        bad,
        notes: reader.notes().clone(),
        written,
    })
}
