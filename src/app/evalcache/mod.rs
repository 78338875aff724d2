//! The evaluation cache: one file per database, policy, term and reader in the user's cache
//! directory (`$XDG_CACHE_HOME/yujing`, else `~/.cache/yujing`), holding every evaluation the
//! reader sees and the database's `facts_change` count it was made at. A cache, never a
//! source of truth: a file that is damaged, truncated or made for something else is ignored
//! and written again.
//!
//! The format is a compact binary one, read in one pass: JSON of 50,000 evaluations took
//! longer to parse than the engine takes to evaluate them. The tier is stored once, as its
//! index; its id and severity come from the policy when the file is read.

use std::path::{Path, PathBuf};

use crate::model::Term;
use crate::policy::{Evaluation, Policy};

mod codec;

use codec::{Bin, Rd, get_eval, put_eval};

const MAGIC: &[u8; 4] = b"YJEC";
/// Changes with the layout below.
const FORMAT: u32 = 1;
/// Files not written for this long belong to databases, policies or terms nobody opens now.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The directory the cache files live in, or None when the platform names none.
pub fn dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "yujing").map(|d| d.cache_dir().to_path_buf())
}

/// 64-bit FNV-1a: stable across builds and platforms, unlike std's hasher.
pub fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// A word-at-a-time checksum of the file's body: damage shows, and 10 MB costs a millisecond.
fn checksum(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut h = FNV_START ^ bytes.len() as u64;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    fnv(h, chunks.remainder())
}

/// What a cache file is for: a file answers only the same identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The database's random id (meta `db_id`) and its path.
    pub db: String,
    pub path: String,
    /// FNV of the policy's canonical text.
    pub policy: u64,
    pub term: Term,
    /// [`crate::app::access::Scope::fingerprint`]: the cache holds only what its reader sees.
    pub scope: u64,
    pub engine: u32,
}

impl Identity {
    pub fn file(&self) -> Option<PathBuf> {
        let mut h = fnv(FNV_START, self.db.as_bytes());
        h = fnv(h, self.path.as_bytes());
        for v in [
            self.policy,
            self.term.key() as u64,
            self.scope,
            u64::from(self.engine),
        ] {
            h = fnv(h, &v.to_le_bytes());
        }
        Some(dir()?.join(format!("eval-{h:016x}.bin")))
    }

    fn put(&self, w: &mut Vec<u8>) {
        self.db.put(w);
        self.path.put(w);
        self.policy.put(w);
        self.term.put(w);
        self.scope.put(w);
        self.engine.put(w);
    }

    fn get(r: &mut Rd<'_>) -> Option<Identity> {
        Some(Identity {
            db: r.get()?,
            path: r.get()?,
            policy: r.get()?,
            term: r.get()?,
            scope: r.get()?,
            engine: r.get()?,
        })
    }
}

/// A cache file's content: the `facts_change` count and every row, by student id.
pub struct Cached {
    pub facts_change: i64,
    pub rows: Vec<Evaluation>,
}

/// Reads `path` if it is a whole cache file for `id`; None for anything else.
pub fn load(path: &Path, id: &Identity, policy: &Policy) -> Option<Cached> {
    let bytes = std::fs::read(path).ok()?;
    decode(&bytes, id, policy)
}

fn decode(bytes: &[u8], id: &Identity, policy: &Policy) -> Option<Cached> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Rd(body);
    if r.take(4)? != MAGIC || r.get::<u32>()? != FORMAT || Identity::get(&mut r)? != *id {
        return None;
    }
    let facts_change: i64 = r.get()?;
    let n: u64 = r.get()?;
    let mut rows = Vec::with_capacity(usize::try_from(n).ok()?.min(body.len()));
    for _ in 0..n {
        rows.push(get_eval(&mut r, id.term, policy)?);
    }
    r.0.is_empty().then_some(Cached { facts_change, rows })
}

fn encode(id: &Identity, facts_change: i64, rows: &[&Evaluation]) -> Vec<u8> {
    let mut w = Vec::with_capacity(64 + rows.len() * 32);
    w.extend_from_slice(MAGIC);
    FORMAT.put(&mut w);
    id.put(&mut w);
    facts_change.put(&mut w);
    (rows.len() as u64).put(&mut w);
    for e in rows {
        put_eval(e, &mut w);
    }
    let sum = checksum(&w);
    w.extend_from_slice(&sum.to_le_bytes());
    w
}

/// Writes the cache file whole (a temporary file renamed over the old one, so a reader never
/// sees half of it), as the user and not as yujing's group, readable by the user alone.
/// Also removes cache files nobody has written for a month.
pub fn store(
    path: &Path,
    id: &Identity,
    facts_change: i64,
    rows: &[&Evaluation],
) -> std::io::Result<()> {
    let bytes = encode(id, facts_change, rows);
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::os::as_user(|| {
        std::fs::create_dir_all(dir)?;
        prune(dir, path);
        let mut tmp = tempfile::Builder::new().prefix(".eval-").tempfile_in(dir)?;
        std::io::Write::write_all(&mut tmp, &bytes)?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })
}

fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let ours = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("eval-") && n.ends_with(".bin"));
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if ours && old && p != keep {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::metrics::Unseen;
    use crate::policy::{AlsoCount, CourseRef, FitnessRef, Reason, SittingRef, Threshold, Value};

    fn id() -> Identity {
        Identity {
            db: "abc".into(),
            path: "/x/y.db".into(),
            policy: 7,
            term: Term { year: 2024, n: 2 },
            scope: 0,
            engine: 1,
        }
    }

    fn eval(policy: &Policy) -> Evaluation {
        let term = Term { year: 2024, n: 2 };
        let course = CourseRef {
            code: "MA101".into(),
            name: "高等数学".into(),
            term,
            credits: 4.5,
            result: "40".into(),
            sittings: vec![SittingRef {
                kind: "regular".into(),
                sitting: 1,
                term,
                result: "40".into(),
            }],
            cleared: Some("换课 (t 2025-01-01)".into()),
        };
        let reason = Reason {
            tier: policy.tiers[0].id.clone(),
            metric: "term_failed_regular".into(),
            value: Value::Number(2.0),
            op: ">=".into(),
            threshold: Threshold::Range([1.0, 3.0]),
            courses: vec![course.clone()],
            carried_from: Some(term),
            filters: vec!["required".into()],
            note: "注".into(),
            pending: vec![course.clone()],
            records: vec![FitnessRef {
                term,
                result: "未达到".into(),
            }],
            status: Some("repeat_year".into()),
            also: Some(AlsoCount {
                metric: "historical_failed_courses".into(),
                value: 3.0,
            }),
            cleared: vec![course.clone()],
        };
        Evaluation {
            student_id: "2021001".into(),
            term,
            tier_index: Some(0),
            tier: Some(policy.tiers[0].id.clone()),
            severity: 1,
            status: vec!["repeat_year".into()],
            carried: true,
            provisional: true,
            pending: vec![course],
            reasons: vec![reason.clone()],
            status_reasons: vec![reason],
            unseen: Unseen {
                nature: 2,
                assessment: 1,
            },
        }
    }

    #[test]
    fn every_field_round_trips_and_any_damage_is_refused() {
        let policy = crate::policy_file::resolve("hljjz")
            .map(|p| p.0)
            .expect("preset");
        let e = eval(&policy);
        let none = Evaluation::none("2021002", e.term);
        let bytes = encode(&id(), 42, &[&e, &none]);
        let back = decode(&bytes, &id(), &policy).expect("decodes");
        assert_eq!(back.facts_change, 42);
        assert_eq!(back.rows, vec![e, none]);
        // Truncated, a flipped byte, another identity: all refused, never a wrong answer.
        assert!(decode(&bytes[..bytes.len() - 1], &id(), &policy).is_none());
        for i in [0, 10, bytes.len() / 2, bytes.len() - 9] {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(decode(&bad, &id(), &policy).is_none(), "byte {i}");
        }
        let other = Identity {
            term: Term { year: 2024, n: 1 },
            ..id()
        };
        assert!(decode(&bytes, &other, &policy).is_none());
        assert!(decode(&[], &id(), &policy).is_none());
    }
}
