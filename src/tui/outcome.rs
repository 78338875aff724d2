//! What a screen or a form did with an action; the app routes from here. Shared by screens
//! and forms so that neither imports the other: a form, which never pushes a screen, says
//! `Outcome<Infallible>`.

use std::convert::Infallible;

use super::model::WriteOp;

/// Which list a picker chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Class,
    Staff,
}

/// A screen the app builds itself, since it needs what only the app knows (the clock, the
/// newest data, the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Open {
    Agenda,
    /// The term-end analysis (`r`).
    Report,
    /// The contact form; against `schedule` when given, else the student's most overdue.
    LogContact {
        student: String,
        schedule: Option<i64>,
    },
    Schedule {
        student: String,
    },
}

/// What a screen did with an action; the app routes from here.
pub enum Outcome<P> {
    /// Not this screen's business: the app may handle it.
    Ignored,
    /// Handled; state may have changed.
    Consumed,
    /// Leave this screen.
    Close,
    /// A screen to put on top of the stack.
    Push(P),
    Open(Open),
    /// A picker's choice, for the roster below it.
    Pick(PickKind, Option<String>),
    /// A valid form: store this.
    Write(WriteOp),
}

impl Outcome<Infallible> {
    /// The same outcome where screens may also be pushed.
    pub fn widen<P>(self) -> Outcome<P> {
        match self {
            Outcome::Ignored => Outcome::Ignored,
            Outcome::Consumed => Outcome::Consumed,
            Outcome::Close => Outcome::Close,
            Outcome::Push(never) => match never {},
            Outcome::Open(o) => Outcome::Open(o),
            Outcome::Pick(k, v) => Outcome::Pick(k, v),
            Outcome::Write(op) => Outcome::Write(op),
        }
    }
}
