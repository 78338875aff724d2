//! Reusable drawing pieces.

pub mod popup;
pub mod table;
