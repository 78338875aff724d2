//! yujing (预警): academic early warning for university counsellors.
//!
//! Data flows one way: [`import`] reads registrar exports into [`model`] records, [`db`]
//! stores them (the only module that knows SQL), [`policy`] turns a student's facts into a
//! tier with reasons (pure), [`schedule`] turns obligations and contacts into due/overdue
//! (pure), and the views — [`cli`] subcommands and the [`tui`] — read from there.

#![deny(clippy::unwrap_used)]

pub mod analysis;
pub mod app;
pub mod cells;
pub mod cli;
pub mod db;
pub mod i18n;
pub mod import;
pub mod locale;
pub mod model;
pub mod os;
pub mod outfile;
pub mod paper;
pub mod policy;
pub mod policy_file;
pub mod schedule;
pub mod text;
pub mod tui;
