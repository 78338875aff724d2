//! One module per screen: its state, its key handling (`update`) and its drawing.

pub mod agenda;
pub mod empty;
pub mod help;
pub mod picker;
pub mod report;
pub mod roster;
pub mod student;

use picker::{PickKind, PickerScreen};
use student::StudentScreen;

use super::data::WriteOp;

/// A screen to put on top of the stack.
pub enum Push {
    Student(Box<StudentScreen>),
    Picker(PickerScreen),
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
pub enum Outcome {
    /// Not this screen's business: the app may handle it.
    Ignored,
    /// Handled; state may have changed.
    Consumed,
    /// Leave this screen.
    Close,
    Push(Push),
    Open(Open),
    /// A picker's choice, for the roster below it.
    Pick(PickKind, Option<String>),
    /// A valid form: store this.
    Write(WriteOp),
}
