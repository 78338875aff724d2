//! The cache file's encoding: little-endian varints and fixed-width numbers, length-prefixed
//! strings and lists, every struct field in declaration order. Reading never trusts a length:
//! anything that does not fit is None, and the caller evaluates afresh.

use crate::model::Term;
use crate::policy::metrics::Unseen;
use crate::policy::{
    AlsoCount, CourseRef, Evaluation, FitnessRef, Policy, Reason, SittingRef, Threshold, Value,
};

pub(super) struct Rd<'a>(pub(super) &'a [u8]);

impl<'a> Rd<'a> {
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }
    pub(super) fn get<T: Bin>(&mut self) -> Option<T> {
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

pub(super) trait Bin: Sized {
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

pub(super) fn put_eval(e: &Evaluation, w: &mut Vec<u8>) {
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

pub(super) fn get_eval(r: &mut Rd<'_>, term: Term, policy: &Policy) -> Option<Evaluation> {
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
