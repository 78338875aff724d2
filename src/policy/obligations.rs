//! The follow-up obligations a policy attaches to a warning (who talks with whom, how often),
//! as schedules starting on the day the warning is issued.

use chrono::NaiveDate;

use super::{Evaluation, Policy};
use crate::model::{Schedule, Source};

/// The schedules a policy's follow-ups create for one warned student, starting on `from`.
pub fn obligations(
    policy: &Policy,
    e: &Evaluation,
    from: NaiveDate,
    lang: crate::locale::Lang,
) -> Vec<Schedule> {
    let Some(tier) = e.tier.as_deref() else {
        return Vec::new();
    };
    policy
        .followups
        .iter()
        .filter(|f| f.tiers.is_empty() || f.tiers.iter().any(|t| t == tier))
        .filter(|f| {
            f.when_metric
                .as_ref()
                .is_none_or(|m| e.reasons.iter().any(|r| &r.metric == m))
        })
        .filter_map(|f| {
            Some(Schedule {
                id: 0,
                student_id: e.student_id.clone(),
                kind: f.kind,
                role: Some(f.role),
                cadence: f.cadence.parse().ok()?,
                from,
                until: None,
                source: Source::Policy,
                note: lang.pick(&f.zh, &f.en).to_string(),
                ended: None,
            })
        })
        .collect()
}
