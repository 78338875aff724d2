//! `yujing demo`: a fresh demo database built from the bundled cohort (never the user's own
//! database), then opened. It writes only where that is safe: the demo database in the data
//! directory, or `--db X` when X does not exist yet or is itself a demo database (marked so
//! inside). `YUJING_DB` is never used: on a server it names the real data.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use chrono::{Datelike, Days, NaiveDate};

use crate::app::access::Scope;
use crate::app::lifecycle::{self, Answer, IssueInput, Outcome};
use crate::db::Db;
use crate::import::Dataset;
use crate::model::{Channel, Contact, With};
use crate::model::{ContactKind, Role};
use crate::policy::Policy;

use super::Ctx;

/// The bundled cohort, embedded so the demo works from any directory.
const FILES: &[(&str, Dataset, &[u8])] = &[
    (
        "students.csv",
        Dataset::Students,
        include_bytes!("../../fixtures/demo/students.csv"),
    ),
    (
        "grades.gbk.csv",
        Dataset::Grades,
        include_bytes!("../../fixtures/demo/grades.gbk.csv"),
    ),
    (
        "absences.csv",
        Dataset::Absences,
        include_bytes!("../../fixtures/demo/absences.csv"),
    ),
    (
        "fitness.csv",
        Dataset::Fitness,
        include_bytes!("../../fixtures/demo/fitness.csv"),
    ),
    (
        "flags.csv",
        Dataset::Flags,
        include_bytes!("../../fixtures/demo/flags.csv"),
    ),
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Build the database and print where it is, without opening it.
    #[arg(long)]
    pub no_open: bool,
    /// Policy for the demo database (default: hljjz).
    #[arg(long = "demo-policy", default_value = "hljjz")]
    pub demo_policy: String,
}

/// The meta key that marks a database as built by `yujing demo`, so rebuilding it loses
/// nothing of anyone's.
const DEMO_MARK: &str = "demo_database";

/// Whether `path` is a database this command built. Read-only: a file that is not one is
/// left exactly as it was, whatever it holds.
fn is_demo(path: &Path) -> bool {
    use rusqlite::{Connection, OpenFlags};
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [DEMO_MARK], |r| {
        r.get::<_, String>(0)
    })
    .is_ok_and(|v| v == "1")
}

/// Where the demo goes: `--db X` when building there loses nothing, else the data directory's
/// demo database. Anything else is refused, naming the file.
pub fn target(explicit: Option<&Path>, lang: crate::locale::Lang) -> anyhow::Result<PathBuf> {
    let Some(path) = explicit else {
        return Ok(crate::db::data_dir().join("demo.db"));
    };
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path.to_path_buf()),
        Err(e) => Err(anyhow::anyhow!("{}: {e}", path.display())),
        Ok(m) if m.is_file() && is_demo(path) => Ok(path.to_path_buf()),
        Ok(_) => anyhow::bail!(
            "{}",
            crate::i18n::Msg::DemoNotDemo.fill(lang, &[("path", &path.display().to_string())])
        ),
    }
}

/// Builds a fresh demo database at `path` from the embedded cohort. The caller has checked
/// with [`target`] that `path` is free or a demo database.
pub fn build(
    path: &Path,
    policy: &str,
    lang: crate::locale::Lang,
    today: NaiveDate,
) -> anyhow::Result<()> {
    for ext in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{ext}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo database {}", p.display()))?;
        }
    }
    let dir = tempfile::tempdir()?;
    let mut db = Db::open(path)?;
    // Marked first: a build that fails half-way leaves a file the next run may replace.
    db.set_meta(DEMO_MARK, "1")?;
    // Whoever builds the demo is its admin, as with any database they create: every command
    // (not only the TUI, which claims it on opening) then works on it.
    crate::app::access::claim_if_unowned(&mut db);
    for (name, kind, bytes) in FILES {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes)?;
        let req = crate::app::ingest::Request {
            lang: Some(lang),
            ..Default::default()
        };
        let out = crate::app::ingest::import_file(&mut db, &file, *kind, &req)?;
        anyhow::ensure!(
            out.written && out.bad.is_empty(),
            "bundled demo file {name} did not import cleanly: {:?}",
            out.bad.first().map(ToString::to_string)
        );
    }
    let (p, text) = crate::policy_file::resolve(policy)?;
    db.set_policy(&p.id, &text)?;
    follow_ups(&mut db, p, today, lang)?;
    crate::app::assess::warm_cache(&db, &crate::app::access::Scope::everything());
    Ok(())
}

/// Gives the demo a term already under way: the warnings were issued weeks ago, and some
/// warned students have had talks since, so the agenda and the overdue marks have something
/// to show.
fn follow_ups(
    db: &mut Db,
    policy: Policy,
    today: NaiveDate,
    lang: crate::locale::Lang,
) -> anyhow::Result<()> {
    let term = crate::app::assess::resolve_term(db, None)?;
    // Issued on the 1st: the month's talks are still open, the weeks' are not all met.
    let issued_on = match today.with_day(1) {
        Some(first) if today.day() >= 8 => first,
        _ => today - Days::new(14),
    };
    let since = u64::try_from((today - issued_on).num_days()).unwrap_or(0);
    let roster = crate::app::assess::assess(db, policy, term)?;
    let at = |days_ago: u64, hour: u32| {
        (today - Days::new(days_ago))
            .and_hms_opt(hour, 30, 0)
            .unwrap_or_default()
    };
    // Issued as a counsellor issues: the same plans, change records and obligations.
    let (exempt, scope) = (HashSet::new(), Scope::everything());
    let input = IssueInput {
        policy: &roster.policy,
        term,
        rows: &roster.rows,
        exempt: &exempt,
        on: issued_on,
        lang,
        scope: &scope,
    };
    let issued = match lifecycle::issue(db, &input, "demo", at(since, 9), true, &mut |_, _| {
        Ok(Answer::Yes)
    })? {
        Outcome::Done(plans, _) => plans,
        Outcome::Nothing { .. } | Outcome::Declined => Vec::new(),
    };
    // Every other warned student has seen their counsellor this week; every third their class
    // teacher too, with the parents on the phone.
    for (i, issue) in issued.iter().enumerate() {
        let talks: &[(Role, With, Channel, u64, &str)] = match i % 3 {
            0 => &[
                (
                    Role::Counsellor,
                    With::Student,
                    Channel::FaceToFace,
                    2,
                    "谈补考安排和学习计划，态度端正",
                ),
                (
                    Role::ClassTeacher,
                    With::Both,
                    Channel::Phone,
                    5,
                    "与家长电话沟通，家长表示配合",
                ),
            ],
            1 => &[(
                Role::Counsellor,
                With::Student,
                Channel::Wechat,
                9,
                "微信提醒按时上课",
            )],
            _ => &[],
        };
        for (role, with_whom, channel, days_ago, summary) in talks {
            let kind = if *with_whom == With::Student {
                ContactKind::Talk
            } else {
                ContactKind::ParentContact
            };
            db.add_contact(&Contact {
                id: 0,
                student_id: issue.student_id.clone(),
                at: at(*days_ago, 15),
                author: "demo".into(),
                role: Some(*role),
                with_whom: *with_whom,
                channel: *channel,
                kind,
                place: "学工办".into(),
                summary: (*summary).into(),
                situation: String::new(),
                actions: String::new(),
                next_talk: None,
                created_at: at(*days_ago, 16),
                superseded_by: None,
            })?;
        }
    }
    Ok(())
}

/// `db` is the `--db` given on the command line (not `YUJING_DB`, not the default).
pub fn run(ctx: &Ctx, a: Args, db: Option<&Path>) -> anyhow::Result<ExitCode> {
    let path = target(db, ctx.lang)?;
    build(&path, &a.demo_policy, ctx.lang, ctx.today)?;
    let demo = Ctx {
        db_path: path.clone(),
        lang: ctx.lang,
        today: ctx.today,
        term: ctx.term.clone(),
        policy: ctx.policy.clone(),
        theme: ctx.theme.clone(),
        as_login: ctx.as_login.clone(),
    };
    if a.no_open {
        println!("{}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    super::launch::run(&demo)
}
