//! The command line: one file per subcommand, each with its own `run`. `main.rs` only calls
//! [`main`]. Errors reach the user as one clear line on standard error and exit status 1.

mod access;
mod admin;
mod agenda;
mod compare;
mod confirm;
mod contacts;
mod course;
mod coverage;
mod demo;
mod errors;
mod evaluate;
mod exempt;
mod export;
mod import;
mod issue;
mod launch;
mod log;
mod nature;
mod notices;
mod output;
mod plan;
mod policy;
mod prompt;
mod record;
mod report;
mod schedule;
mod summary;
mod template;
mod term;
mod terminal;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
    /// Build a fresh demo database from the bundled cohort and open it (in the data directory,
    /// or at --db when that file is new or an earlier demo; never $YUJING_DB).
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
    /// Term-end effectiveness analysis: how the warnings of --term turned out, by tier, counsellor, class.
    Report(report::Args),
    /// Course natures (课程性质) as imported, and a school's mapping of unknown ones.
    #[command(subcommand)]
    Nature(nature::Cmd),
    /// Clear an outstanding course by hand (with a reason), restore it, list clearances.
    #[command(subcommand)]
    Course(course::Cmd),
    /// Monthly talk coverage per counsellor and class teacher, shortfalls marked.
    Coverage(coverage::Args),
    /// Warning notices: approve the drafts, list them, print them as DOCX.
    Notices(notices::Args),
    /// A logged talk as the preset's talk record form (DOCX).
    Record(record::Args),
    /// A warned student's study plan form, pre-filled (DOCX).
    Plan(plan::Args),
    /// The student confirmed the warning list entry (before it is published).
    Confirm(confirm::Args),
    /// Export and import the school's document templates.
    #[command(subcommand)]
    Template(template::Cmd),
    /// Set up a database shared by a group; upgrade the schema.
    #[command(subcommand)]
    Admin(admin::Cmd),
    /// Write a consistent copy of the database while others go on working.
    Backup(admin::BackupArgs),
    /// Replace the database with a backup (the current content is kept beside it).
    Restore(admin::RestoreArgs),
    /// Check the database: integrity, foreign keys, schema version (exit 1 on damage).
    Check,
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

/// Whether `e` is SQLite giving up on the write lock after the whole wait.
fn gave_up_waiting(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let sqlite = c.downcast_ref::<rusqlite::Error>().or_else(|| {
            c.downcast_ref::<crate::db::DbError>()
                .and_then(|d| match d {
                    crate::db::DbError::Sqlite(s) => Some(s),
                    _ => None,
                })
        });
        sqlite.is_some_and(crate::db::lock::is_busy)
    })
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
    /// The time a write records: the clock's, on `--today`'s date when one is given (so a
    /// test or a catch-up entry dated in the past reads as that day).
    pub fn now(&self) -> chrono::NaiveDateTime {
        let clock = chrono::Local::now().naive_local();
        if clock.date() == self.today {
            clock
        } else {
            self.today.and_time(clock.time())
        }
    }

    pub fn open_db(&self) -> anyhow::Result<Db> {
        let mut db = Db::open(&self.db_path)?;
        crate::app::access::claim_if_unowned(&mut db);
        // Writes are audited inside their own transactions, as whoever the command runs for;
        // an account that is no user is refused by the command's own check.
        if let Ok(a) = crate::app::access::actor(&db, self.as_login.as_deref()) {
            db.set_auditor(a.auditor());
        }
        warn_reimport(&db, self.lang);
        Ok(db)
    }

    /// Who this command runs for (the real account, or `--as`). Seeing as someone else is
    /// audited once a run, through a connection of its own: the one write a reading command
    /// makes, even on a database it opened read-only.
    pub fn actor(&self, db: &Db) -> anyhow::Result<crate::app::access::Actor> {
        static AUDITED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        let actor = crate::app::access::actor(db, self.as_login.as_deref())?;
        if self.as_login.is_some() && !AUDITED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            Db::open(&self.db_path)?.audit_append(&actor.entry("view-as"))?;
        }
        Ok(actor)
    }

    /// `--term`, else the default assessed term, said on standard error so that nobody reads
    /// a term they did not choose as theirs.
    pub fn term_in(&self, db: &Db) -> anyhow::Result<crate::model::Term> {
        let t = crate::app::assess::resolve_term(db, self.term.as_deref())?;
        if self.term.is_none() {
            eprintln!(
                "yujing: {}",
                self.lang.pick(
                    &format!("评估学期 {t}（有成绩的最新学期；用 --term 指定其他学期）"),
                    &format!(
                        "assessed term {t} (the newest term with results; --term picks another)"
                    ),
                )
            );
        }
        Ok(t)
    }

    /// The students this command may show.
    pub fn scope(&self, db: &Db) -> anyhow::Result<crate::app::access::Scope> {
        crate::app::access::scope(db, &self.actor(db)?)
    }

    /// The rules for a file written for a person, with `target` checked against them now: a
    /// wrong target is refused before any work, so it costs nothing and writes nothing.
    pub fn out_rules(
        &self,
        target: &std::path::Path,
        force: bool,
    ) -> anyhow::Result<crate::outfile::Rules<'_>> {
        let rules = crate::outfile::Rules {
            force,
            database: Some(&self.db_path),
        };
        crate::outfile::check(target, rules)?;
        Ok(rules)
    }

    /// For commands that only read: never creates the file, never takes the write lock.
    pub fn open_db_read(&self) -> anyhow::Result<Db> {
        let mut db = Db::open_read(&self.db_path)?;
        if db.path().is_none() {
            // An older file read through an upgraded private copy: the copy gets the admin a
            // first write would record, so reading works as it did before users existed.
            crate::app::access::claim_if_unowned(&mut db);
        }
        warn_reimport(&db, self.lang);
        Ok(db)
    }
}

/// A database whose grades an earlier yujing stored (natures as classes, 补考二 written over
/// 补考一) gives tiers that may be wrong: every command says so until grades are re-imported.
fn warn_reimport(db: &Db, lang: Lang) {
    // Said once a run: a gated command opens the database more than once.
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Ok(Some(_)) = db.meta("reimport_grades")
        && !SAID.swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        eprintln!(
            "yujing: {}",
            lang.pick(
                "警告：此数据库的成绩由旧版 yujing 导入（课程性质只存了类别，补考二覆盖了补考一），预警等级可能有误。请重新导入所有成绩文件：yujing import grades 文件",
                "warning: this database's grades were imported by an earlier yujing (natures kept only as classes, a second makeup 补考二 written over the first): tiers may be wrong. Re-import every grades file: yujing import grades FILE",
            )
        );
    }
}

pub fn main() -> ExitCode {
    terminal::exit_quietly_on_broken_pipe();
    // `--help` speaks the language asked for, so that is read before clap parses.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let help_lang = crate::i18n::help::lang_in_args(&args).unwrap_or_else(Lang::from_env);
    let cmd = crate::i18n::help::localise(Cli::command(), help_lang);
    let cli = match cmd
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    Lang::choose(cli.lang.unwrap_or(help_lang));
    if let Some(problem) = crate::logging::init(cli.lang.unwrap_or(help_lang)) {
        eprintln!("yujing: {problem}");
    }
    tracing::debug!(command = ?cli.command, "command");
    // A global option clap cannot require for one command: an exemption is for a term.
    if matches!(cli.command, Some(Command::Exempt(exempt::Cmd::Add { .. }))) && cli.term.is_none() {
        let lang = cli.lang.unwrap_or(help_lang);
        eprintln!("yujing: {}", crate::i18n::Msg::ExemptNeedsTerm.text(lang));
        return ExitCode::from(2);
    }
    let db_path = match crate::os::system_database() {
        Ok(Some(p)) => p,
        Ok(None) => crate::db::resolve_path(cli.db.as_deref()),
        Err(e) => return fail(e, cli.lang.unwrap_or(help_lang)),
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
        Some(Err(e)) => return fail(e, ctx.lang),
        Some(Ok(g)) => g,
        None => None,
    };
    let lang = ctx.lang;
    crate::db::lock::set_wait_notice(Some(Box::new(move || {
        eprintln!(
            "yujing: {}",
            lang.pick(
                "数据库正被另一个导入或写入占用，等待中…",
                "waiting for another import… (the database is busy)"
            )
        );
    })));
    if cli.command.is_some()
        && std::io::stdout().is_terminal()
        && let Some(problem) = terminal::locale_problem(lang)
    {
        eprintln!("yujing: {problem}");
    }
    let result = match cli.command {
        None => launch::run(&ctx),
        Some(Command::Import(a)) => import::run(&ctx, a),
        Some(Command::Evaluate(a)) => evaluate::run(&ctx, a),
        Some(Command::Export(a)) => export::run(&ctx, a),
        Some(Command::Policy(c)) => policy::run(&ctx, c),
        Some(Command::Demo(a)) => demo::run(&ctx, a, cli.db.as_deref()),
        Some(Command::Log(a)) => log::run(&ctx, a),
        Some(Command::Schedule(c)) => schedule::run(&ctx, c),
        Some(Command::Contacts(a)) => contacts::run(&ctx, a),
        Some(Command::Agenda(a)) => agenda::run(&ctx, a),
        Some(Command::Term(c)) => term::run(&ctx, c),
        Some(Command::Issue(a)) => issue::run(&ctx, a),
        Some(Command::Exempt(c)) => exempt::run(&ctx, c),
        Some(Command::Report(a)) => report::run(&ctx, a),
        Some(Command::Nature(c)) => nature::run(&ctx, c),
        Some(Command::Course(c)) => course::run(&ctx, c),
        Some(Command::Coverage(a)) => coverage::run(&ctx, a),
        Some(Command::Notices(a)) => notices::run(&ctx, a),
        Some(Command::Record(a)) => record::run(&ctx, a),
        Some(Command::Plan(a)) => plan::run(&ctx, a),
        Some(Command::Confirm(a)) => confirm::run(&ctx, a),
        Some(Command::Template(c)) => template::run(&ctx, c),
        Some(Command::Admin(c)) => admin::run(&ctx, c),
        Some(Command::Backup(a)) => admin::backup(&ctx, a),
        Some(Command::Restore(a)) => admin::restore(&ctx, a),
        Some(Command::Check) => admin::check(&ctx),
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
                return fail(
                    e.context(ctx.lang.pick(
                        "已改动，但审计记录没有写入",
                        "the change was made but its audit line was not written",
                    )),
                    ctx.lang,
                );
            }
            code
        }
        Err(e) if terminal::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let waited = gave_up_waiting(&e);
            let code = fail(e, ctx.lang);
            if waited {
                eprintln!(
                    "yujing: {}",
                    ctx.lang.pick(
                        &format!(
                            "等待数据库写锁超过 {} 秒仍未轮到（另一个导入仍在进行？），请稍后再试；可用 YUJING_LOCK_WAIT=秒数 延长等待",
                            crate::db::lock::wait_limit().as_secs()
                        ),
                        &format!(
                            "the database stayed locked for {} s (another import still running?); try again later, or wait longer with YUJING_LOCK_WAIT=SECONDS",
                            crate::db::lock::wait_limit().as_secs()
                        )
                    )
                );
            }
            code
        }
    }
}

fn fail(e: anyhow::Error, lang: Lang) -> ExitCode {
    // Errors may echo file content (a header, a value): sanitised like the TUI.
    eprintln!(
        "yujing: {}",
        crate::text::sanitize(&output::error_line(&e, lang))
    );
    ExitCode::FAILURE
}
