//! The command line: one file per subcommand, each with its own `run`. `main.rs` only calls
//! [`main`]. Errors reach the user as one clear line on standard error and exit status 1.

mod access;
mod agenda;
mod contacts;
mod demo;
mod evaluate;
mod exempt;
mod export;
mod import;
mod issue;
mod launch;
mod log;
mod output;
mod policy;
mod prompt;
mod report;
mod schedule;
mod term;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::db::Db;
use crate::locale::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "yujing",
    version,
    about = "学业预警 — academic early warning for counsellors"
)]
pub struct Cli {
    /// Database file (default: $YUJING_DB, else yujing.db in the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// UI language (default: from the locale).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Fixes "today" for the whole program (YYYY-MM-DD).
    #[arg(long, global = true, env = "YUJING_TODAY", value_name = "DATE", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    /// Assessed term for the TUI (YYYY-YYYY-N; default: newest term with grades).
    #[arg(long, global = true, value_name = "TERM")]
    pub term: Option<String>,
    /// Policy for the TUI: a preset id or a policy file (default: the database's).
    #[arg(long, global = true, value_name = "ID|FILE")]
    pub policy: Option<String>,
    /// Colour theme (default, light, high-contrast, ansi16, mono, or a file in the config dir).
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// See what another user sees (admins only; recorded in the audit).
    #[arg(long = "as", global = true, value_name = "LOGIN")]
    pub as_login: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a registrar export (CSV in any Chinese encoding, TSV, XLSX).
    Import(import::Args),
    /// Evaluate every student's warning tier for a term (read-only).
    Evaluate(evaluate::Args),
    /// Write files to hand on (`export workbook --out FILE.xlsx`).
    #[command(subcommand)]
    Export(export::Cmd),
    /// List, show, check and choose warning policies.
    #[command(subcommand)]
    Policy(policy::Cmd),
    /// Build a fresh demo database from the bundled cohort and open it.
    Demo(demo::Args),
    /// Log a contact (talk, parent contact, notice delivered …).
    Log(log::Args),
    /// Add, list and cancel follow-up schedules.
    #[command(subcommand)]
    Schedule(schedule::Cmd),
    /// The contact log, newest first.
    Contacts(contacts::Args),
    /// What is overdue, due today and due this week.
    Agenda(agenda::Args),
    /// Term dates.
    #[command(subcommand)]
    Term(term::Cmd),
    /// Record the term's warnings and create their follow-up obligations.
    Issue(issue::Args),
    /// Exempt a warned student for a term, list and lift exemptions.
    #[command(subcommand)]
    Exempt(exempt::Cmd),
    /// Term-end report: of the students warned for --term, who came off the list.
    Report(report::Args),
    /// Users of a shared database: add, edit, list, remove (admin).
    #[command(subcommand)]
    User(access::UserCmd),
    /// The audit: who changed what, when (admin, leader).
    Audit(access::AuditArgs),
    /// Make a graduated cohort read-only and visible to admins only.
    Archive(access::CohortArgs),
    /// Delete an archived cohort's personal data after the retention period.
    Purge(access::CohortArgs),
}

/// Output of commands that print records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Output of commands whose records do not fit a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("not a date: '{s}' (expected YYYY-MM-DD)"))
}

/// What every subcommand needs to know about the invocation.
pub struct Ctx {
    pub db_path: PathBuf,
    pub lang: Lang,
    pub today: NaiveDate,
    pub term: Option<String>,
    pub policy: Option<String>,
    pub theme: Option<String>,
    /// `--as LOGIN`.
    pub as_login: Option<String>,
}

impl Ctx {
    /// Opens the database; the first account to open it becomes its admin.
    pub fn open_db(&self) -> anyhow::Result<Db> {
        let mut db = Db::open(&self.db_path)?;
        crate::app::access::claim_if_unowned(&mut db);
        Ok(db)
    }

    /// Who this command runs for (the real account, or `--as`).
    pub fn actor(&self, db: &Db) -> anyhow::Result<crate::app::access::Actor> {
        crate::app::access::actor(db, self.as_login.as_deref())
    }

    /// The students this command may show.
    pub fn scope(&self, db: &Db) -> anyhow::Result<crate::app::access::Scope> {
        crate::app::access::scope(db, &self.actor(db)?)
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let db_path = match crate::app::access::system_database() {
        Ok(Some(p)) => p,
        Ok(None) => crate::db::resolve_path(cli.db.as_deref()),
        Err(e) => return fail(e),
    };
    let ctx = Ctx {
        db_path,
        lang: cli.lang.unwrap_or_else(Lang::from_env),
        today: cli
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        term: cli.term,
        policy: cli.policy,
        theme: cli.theme,
        as_login: cli.as_login,
    };
    let gate = match cli.command.as_ref().map(|c| access::gate(&ctx, c)) {
        Some(Err(e)) => return fail(e),
        Some(Ok(g)) => g,
        None => None,
    };
    let result = match cli.command {
        None => launch::run(&ctx),
        Some(Command::Import(a)) => import::run(&ctx, a),
        Some(Command::Evaluate(a)) => evaluate::run(&ctx, a),
        Some(Command::Export(a)) => export::run(&ctx, a),
        Some(Command::Policy(c)) => policy::run(&ctx, c),
        Some(Command::Demo(a)) => demo::run(&ctx, a),
        Some(Command::Log(a)) => log::run(&ctx, a),
        Some(Command::Schedule(c)) => schedule::run(&ctx, c),
        Some(Command::Contacts(a)) => contacts::run(&ctx, a),
        Some(Command::Agenda(a)) => agenda::run(&ctx, a),
        Some(Command::Term(c)) => term::run(&ctx, c),
        Some(Command::Issue(a)) => issue::run(&ctx, a),
        Some(Command::Exempt(c)) => exempt::run(&ctx, c),
        Some(Command::Report(a)) => report::run(&ctx, a),
        Some(Command::User(c)) => access::user(&ctx, c),
        Some(Command::Audit(a)) => access::audit(&ctx, a),
        Some(Command::Archive(a)) => access::archive(&ctx, a),
        Some(Command::Purge(a)) => access::purge(&ctx, a),
    };
    match result {
        Ok(code) => {
            if code == ExitCode::SUCCESS
                && let Some(g) = &gate
                && let Err(e) = access::record(&ctx, g)
            {
                return fail(e.context("the change was made but its audit line was not written"));
            }
            code
        }
        Err(e) => fail(e),
    }
}

fn fail(e: anyhow::Error) -> ExitCode {
    // Errors may echo file content (a header, a value): sanitised like the TUI.
    let msg = format!("{e:#}");
    eprintln!("yujing: {}", crate::text::sanitize(&msg));
    ExitCode::FAILURE
}
