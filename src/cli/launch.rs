//! `yujing` with no subcommand: the TUI on the database.

use std::process::ExitCode;

use super::Ctx;

pub fn run(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    super::evaluate::run(
        ctx,
        super::evaluate::Args {
            format: super::Format::Table,
            all: false,
        },
    )
}
