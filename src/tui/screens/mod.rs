//! One module per screen: its state, its key handling (`update`) and its drawing.

pub mod empty;
pub mod help;
pub mod picker;
pub mod roster;
pub mod student;

use picker::{PickKind, PickerScreen};
use student::StudentScreen;

/// A screen to put on top of the stack.
pub enum Push {
    Student(Box<StudentScreen>),
    Picker(PickerScreen),
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
    /// A picker's choice, for the roster below it.
    Pick(PickKind, Option<String>),
}
