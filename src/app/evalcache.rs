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
use crate::policy::metrics::Unseen;
use crate::policy::{
    AlsoCount, CourseRef, Evaluation, FitnessRef, Policy, Reason, SittingRef, Threshold, Value,
};

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
    crate::app::access::as_user(|| {
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

// ---- the codec: little-endian varints, length-prefixed strings -------------------------------

struct Rd<'a>(&'a [u8]);

impl<'a> Rd<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }
    fn get<T: Bin>(&mut self) -> Option<T> {
        T::get(self)
    }
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, tail) = self.0.split_first()?;
            self.0 = tail;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
}

fn put_varint(mut v: u64, w: &mut Vec<u8>) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

trait Bin: Sized {
    fn put(&self, w: &mut Vec<u8>);
    fn get(r: &mut Rd<'_>) -> Option<Self>;
}

impl Bin for u64 {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(*self, w);
    }
    fn get(r: &mut Rd<'_>) -> Option<u64> {
        r.varint()
    }
}

impl Bin for u32 {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(u64::from(*self), w);
    }
    fn get(r: &mut Rd<'_>) -> Option<u32> {
        u32::try_from(r.varint()?).ok()
    }
}

impl Bin for u8 {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(*self);
    }
    fn get(r: &mut Rd<'_>) -> Option<u8> {
        Some(r.take(1)?[0])
    }
}

impl Bin for i64 {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Rd<'_>) -> Option<i64> {
        Some(i64::from_le_bytes(r.take(8)?.try_into().ok()?))
    }
}

impl Bin for bool {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(u8::from(*self));
    }
    fn get(r: &mut Rd<'_>) -> Option<bool> {
        match r.get::<u8>()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Bin for f64 {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Rd<'_>) -> Option<f64> {
        Some(f64::from_le_bytes(r.take(8)?.try_into().ok()?))
    }
}

impl Bin for String {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(self.len() as u64, w);
        w.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Rd<'_>) -> Option<String> {
        let n = usize::try_from(r.varint()?).ok()?;
        std::str::from_utf8(r.take(n)?).ok().map(str::to_string)
    }
}

impl Bin for Term {
    fn put(&self, w: &mut Vec<u8>) {
        (self.key() as u64).put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<Term> {
        Term::from_key(i64::try_from(r.varint()?).ok()?)
    }
}

impl<T: Bin> Bin for Option<T> {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            None => w.push(0),
            Some(v) => {
                w.push(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Rd<'_>) -> Option<Option<T>> {
        match r.get::<u8>()? {
            0 => Some(None),
            1 => Some(Some(T::get(r)?)),
            _ => None,
        }
    }
}

impl<T: Bin> Bin for Vec<T> {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(self.len() as u64, w);
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Rd<'_>) -> Option<Vec<T>> {
        let n = usize::try_from(r.varint()?).ok()?;
        // Every element takes at least a byte: a length past the end is damage.
        if n > r.0.len() {
            return None;
        }
        (0..n).map(|_| T::get(r)).collect()
    }
}

impl Bin for Value {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Value::Number(v) => {
                w.push(0);
                v.put(w);
            }
            Value::Bool(b) => {
                w.push(1);
                b.put(w);
            }
        }
    }
    fn get(r: &mut Rd<'_>) -> Option<Value> {
        match r.get::<u8>()? {
            0 => Some(Value::Number(r.get()?)),
            1 => Some(Value::Bool(r.get()?)),
            _ => None,
        }
    }
}

impl Bin for Threshold {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Threshold::Number(v) => {
                w.push(0);
                v.put(w);
            }
            Threshold::Range([lo, hi]) => {
                w.push(1);
                lo.put(w);
                hi.put(w);
            }
            Threshold::Bool(b) => {
                w.push(2);
                b.put(w);
            }
        }
    }
    fn get(r: &mut Rd<'_>) -> Option<Threshold> {
        match r.get::<u8>()? {
            0 => Some(Threshold::Number(r.get()?)),
            1 => Some(Threshold::Range([r.get()?, r.get()?])),
            2 => Some(Threshold::Bool(r.get()?)),
            _ => None,
        }
    }
}

impl Bin for SittingRef {
    fn put(&self, w: &mut Vec<u8>) {
        let SittingRef {
            kind,
            sitting,
            term,
            result,
        } = self;
        kind.put(w);
        sitting.put(w);
        term.put(w);
        result.put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<SittingRef> {
        Some(SittingRef {
            kind: r.get()?,
            sitting: r.get()?,
            term: r.get()?,
            result: r.get()?,
        })
    }
}

impl Bin for CourseRef {
    fn put(&self, w: &mut Vec<u8>) {
        let CourseRef {
            code,
            name,
            term,
            credits,
            result,
            sittings,
            cleared,
        } = self;
        code.put(w);
        name.put(w);
        term.put(w);
        credits.put(w);
        result.put(w);
        sittings.put(w);
        cleared.put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<CourseRef> {
        Some(CourseRef {
            code: r.get()?,
            name: r.get()?,
            term: r.get()?,
            credits: r.get()?,
            result: r.get()?,
            sittings: r.get()?,
            cleared: r.get()?,
        })
    }
}

impl Bin for FitnessRef {
    fn put(&self, w: &mut Vec<u8>) {
        let FitnessRef { term, result } = self;
        term.put(w);
        result.put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<FitnessRef> {
        Some(FitnessRef {
            term: r.get()?,
            result: r.get()?,
        })
    }
}

impl Bin for AlsoCount {
    fn put(&self, w: &mut Vec<u8>) {
        let AlsoCount { metric, value } = self;
        metric.put(w);
        value.put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<AlsoCount> {
        Some(AlsoCount {
            metric: r.get()?,
            value: r.get()?,
        })
    }
}

impl Bin for Reason {
    fn put(&self, w: &mut Vec<u8>) {
        // Destructured whole: a field added to Reason does not compile until it is stored.
        let Reason {
            tier,
            metric,
            value,
            op,
            threshold,
            courses,
            carried_from,
            filters,
            note,
            pending,
            records,
            status,
            also,
            cleared,
        } = self;
        tier.put(w);
        metric.put(w);
        value.put(w);
        op.put(w);
        threshold.put(w);
        courses.put(w);
        carried_from.put(w);
        filters.put(w);
        note.put(w);
        pending.put(w);
        records.put(w);
        status.put(w);
        also.put(w);
        cleared.put(w);
    }
    fn get(r: &mut Rd<'_>) -> Option<Reason> {
        Some(Reason {
            tier: r.get()?,
            metric: r.get()?,
            value: r.get()?,
            op: r.get()?,
            threshold: r.get()?,
            courses: r.get()?,
            carried_from: r.get()?,
            filters: r.get()?,
            note: r.get()?,
            pending: r.get()?,
            records: r.get()?,
            status: r.get()?,
            also: r.get()?,
            cleared: r.get()?,
        })
    }
}

fn put_eval(e: &Evaluation, w: &mut Vec<u8>) {
    // The term is the file's; the tier id and severity follow from the index.
    let Evaluation {
        student_id,
        term: _,
        tier_index,
        tier: _,
        severity: _,
        status,
        carried,
        provisional,
        pending,
        reasons,
        status_reasons,
        unseen: Unseen { nature, assessment },
    } = e;
    student_id.put(w);
    put_varint(tier_index.map_or(0, |i| i as u64 + 1), w);
    status.put(w);
    carried.put(w);
    provisional.put(w);
    pending.put(w);
    reasons.put(w);
    status_reasons.put(w);
    nature.put(w);
    assessment.put(w);
}

fn get_eval(r: &mut Rd<'_>, term: Term, policy: &Policy) -> Option<Evaluation> {
    let student_id = r.get()?;
    let tier_index = match usize::try_from(r.varint()?).ok()? {
        0 => None,
        i => Some(i - 1),
    };
    let tier = match tier_index {
        Some(i) => Some(policy.tiers.get(i)?.id.clone()),
        None => None,
    };
    Some(Evaluation {
        student_id,
        term,
        tier_index,
        tier,
        severity: tier_index.map_or(0, |i| i as u32 + 1),
        status: r.get()?,
        carried: r.get()?,
        provisional: r.get()?,
        pending: r.get()?,
        reasons: r.get()?,
        status_reasons: r.get()?,
        unseen: Unseen {
            nature: r.get()?,
            assessment: r.get()?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let policy = crate::policy::resolve("hljjz")
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
