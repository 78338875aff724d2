//! Use cases: what a command means, between the views (cli, tui) and the database. A view
//! asks and prints; the use case decides what to write; `db` only stores.

pub mod access;
pub mod contact;
pub mod lifecycle;
pub mod report;
