use crate::model::{StudentFacts, Term};

use super::{Evaluation, Policy};

/// Evaluates one student for assessed term `term`.
pub fn evaluate(_policy: &Policy, _facts: &StudentFacts, _term: Term) -> Evaluation {
    todo!()
}

/// Evaluates many students (in parallel where it pays).
pub fn evaluate_all(policy: &Policy, facts: &[StudentFacts], term: Term) -> Vec<Evaluation> {
    facts.iter().map(|f| evaluate(policy, f, term)).collect()
}
