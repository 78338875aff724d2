//! Use cases: what a command means, between the views (cli, tui) and the database. A view
//! asks and prints; the use case decides what to read and write; `db` only stores.

pub mod access;
pub mod agenda;
pub mod assess;
pub mod contact;
pub mod ingest;
pub mod lifecycle;
pub mod notices;
