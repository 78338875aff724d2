//! One module per screen: its state, its key handling (`update`) and its drawing.

pub mod agenda;
pub mod empty;
pub mod help;
pub mod picker;
pub mod report;
pub mod roster;
pub mod student;

use picker::PickerScreen;
use student::StudentScreen;

pub use super::outcome::{Open, PickKind};

/// A screen to put on top of the stack.
pub enum Push {
    Student(Box<StudentScreen>),
    Picker(PickerScreen),
}

/// What a screen did with an action (see [`super::outcome::Outcome`]).
pub type Outcome = super::outcome::Outcome<Push>;
