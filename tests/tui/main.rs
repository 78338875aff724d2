//! The TUI, screen by screen: whole-screen snapshots (mono theme, so colour never matters) at
//! 80x24 and 120x40 in both languages, driven through the same key → action → update path as
//! the real terminal; the scrolling backend checked against a terminal emulator; the real
//! binary in a pseudo-terminal; logging. One test binary with a module per screen, since each
//! binary costs CI a link.

mod agenda;
mod e2e;
mod fixtures;
mod forms;
mod logging;
mod roster;
mod scroll;
mod search;
mod student;
