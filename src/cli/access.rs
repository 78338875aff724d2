//! `user`, `audit`, `archive`, `purge`, and the gate every write command passes: the one
//! permission check before it runs and the audit line after it succeeded.

use std::process::ExitCode;

use anyhow::bail;

use crate::app::access::{self, Actor, Need, Role};
use crate::db::{AuditFilter, UserRow};

use super::{Command, Ctx, ListFormat, output};

#[derive(Debug, clap::Subcommand)]
pub enum UserCmd {
    /// Add a user: `user add LOGIN --name NAME --role ROLE[,ROLE] [--class C] …`.
    Add(UserArgs),
    /// Change a user's name, roles or assignments (given options replace the old values).
    Edit(UserArgs),
    /// Every user with roles and assignments.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Remove a user (their past contacts and audit lines stay).
    Remove { login: String },
}

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    pub login: String,
    #[arg(long)]
    pub name: Option<String>,
    /// admin, registrar, leader, counsellor, class-teacher, helper, psych (comma list).
    #[arg(long = "role", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// Classes of a counsellor or class teacher (repeatable, or a comma list).
    #[arg(long = "class", value_delimiter = ',')]
    pub classes: Vec<String>,
    /// Students of a helper (repeatable, or a comma list).
    #[arg(long = "student", value_delimiter = ',')]
    pub students: Vec<String>,
    /// Colleges of a leader (repeatable, or a comma list).
    #[arg(long = "college", value_delimiter = ',')]
    pub colleges: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[arg(long = "student", value_name = "ID")]
    pub student: Option<String>,
    #[arg(long = "user", value_name = "LOGIN")]
    pub user: Option<String>,
    /// Lines on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = super::parse_day)]
    pub since: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct CohortArgs {
    /// The cohort (年级), as in the roster's cohort column, e.g. 2019.
    #[arg(long)]
    pub cohort: String,
    /// Go ahead without asking (needed when there is no terminal).
    #[arg(long)]
    pub yes: bool,
}

fn clean(v: Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = v
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

pub fn user(ctx: &Ctx, c: UserCmd) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let actor = ctx.actor(&db)?;
    if let UserCmd::List { format } = c {
        access::permit(&db, &actor, Need::Admin, None)?;
        let users = db.users()?;
        print(
            ctx,
            format,
            &users,
            &[
                ("账号", "login"),
                ("姓名", "name"),
                ("角色", "roles"),
                ("班级", "classes"),
                ("学院", "colleges"),
                ("学生", "students"),
            ],
            |u| {
                vec![
                    u.login.clone(),
                    u.name.clone(),
                    u.roles.join(","),
                    u.classes.join(","),
                    u.colleges.join(","),
                    u.students.join(","),
                ]
            },
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    access::permit(&db, &actor, Need::Admin, None)?;
    match c {
        UserCmd::Add(a) | UserCmd::Edit(a) if a.login.trim().is_empty() => {
            bail!("a user needs a login")
        }
        UserCmd::Add(a) => {
            if db.user(&a.login)?.is_some() {
                bail!(
                    "{} is already a user: change it with `yujing user edit`",
                    a.login
                );
            }
            let Some(name) = a.name.clone().filter(|n| !n.trim().is_empty()) else {
                bail!("user add {}: --name is required", a.login);
            };
            let u = UserRow {
                login: a.login.trim().to_string(),
                name,
                roles: roles(a.roles)?,
                classes: clean(a.classes),
                students: clean(a.students),
                colleges: clean(a.colleges),
            };
            check_assignments(&u)?;
            db.put_user(&u, &actor.entry("user.add"))?;
            println!("{}: {}", u.login, u.roles.join(","));
        }
        UserCmd::Edit(a) => {
            let Some(mut u) = db.user(&a.login)? else {
                bail!("{}: no such user (see `yujing user list`)", a.login);
            };
            if let Some(n) = a.name.filter(|n| !n.trim().is_empty()) {
                u.name = n;
            }
            if !a.roles.is_empty() {
                u.roles = roles(a.roles)?;
            }
            if !a.classes.is_empty() {
                u.classes = clean(a.classes);
            }
            if !a.students.is_empty() {
                u.students = clean(a.students);
            }
            if !a.colleges.is_empty() {
                u.colleges = clean(a.colleges);
            }
            check_assignments(&u)?;
            if u.login == actor.real_login() && !u.roles.iter().any(|r| r == "admin") {
                bail!(
                    "{}: an admin cannot take away their own admin role",
                    u.login
                );
            }
            db.put_user(&u, &actor.entry("user.edit"))?;
            println!("{}: {}", u.login, u.roles.join(","));
        }
        UserCmd::Remove { login } => {
            if login == actor.real_login() {
                bail!("{login}: an admin cannot remove themselves");
            }
            if !db.remove_user(&login, &actor.entry("user.remove"))? {
                bail!("{login}: no such user (see `yujing user list`)");
            }
            println!("{login}: removed");
        }
        UserCmd::List { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn roles(raw: Vec<String>) -> anyhow::Result<Vec<String>> {
    let raw = clean(raw);
    if raw.is_empty() {
        bail!(
            "--role is required (admin, registrar, leader, counsellor, class-teacher, helper, psych)"
        );
    }
    raw.iter()
        .map(|r| Role::parse(r).map(|r| r.id().to_string()))
        .collect()
}

/// A role whose scope rests on an assignment needs it, or it would silently see nobody.
fn check_assignments(u: &UserRow) -> anyhow::Result<()> {
    let has = |r: Role| u.roles.iter().any(|x| x == r.id());
    if (has(Role::Counsellor) || has(Role::ClassTeacher)) && u.classes.is_empty() {
        bail!("{}: a counsellor or class teacher needs --class", u.login);
    }
    if has(Role::Leader) && u.colleges.is_empty() {
        bail!("{}: a leader needs --college", u.login);
    }
    if has(Role::Helper) && u.students.is_empty() {
        bail!("{}: a helper needs --student", u.login);
    }
    Ok(())
}

pub fn audit(ctx: &Ctx, a: AuditArgs) -> anyhow::Result<ExitCode> {
    let db = ctx.open_db()?;
    let actor = ctx.actor(&db)?;
    if !actor.has(Role::Admin) && !actor.has(Role::Leader) {
        bail!("{}: the audit is for admins and leaders", actor.login());
    }
    let mut rows = db.audit(&AuditFilter {
        student: a.student,
        login: a.user,
        since: a.since.map(|d| d.format("%Y-%m-%d").to_string()),
    })?;
    // A leader reads the lines about their college's students, and their own.
    if !actor.has(Role::Admin) {
        let scope = access::scope(&db, &actor)?;
        rows.retain(|r| match &r.student {
            Some(s) => scope.sees(s),
            None => r.login == actor.login() || r.as_login.as_deref() == Some(actor.login()),
        });
    }
    print(
        ctx,
        a.format,
        &rows,
        &[
            ("时间", "at"),
            ("账号", "login"),
            ("代看", "as"),
            ("操作", "action"),
            ("学号", "student"),
            ("之前", "before"),
            ("之后", "after"),
        ],
        |r| {
            vec![
                r.at.clone(),
                r.login.clone(),
                r.as_login.clone().unwrap_or_default(),
                r.action.clone(),
                r.student.clone().unwrap_or_default(),
                r.before.clone(),
                r.after.clone(),
            ]
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Records as JSON, or as a table with the (zh, en) column names.
fn print<T: serde::Serialize>(
    ctx: &Ctx,
    format: ListFormat,
    items: &[T],
    cols: &[(&str, &str)],
    row: impl Fn(&T) -> Vec<String>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if format == ListFormat::Json {
        serde_json::to_writer_pretty(&mut out, items)?;
        println!();
        return Ok(());
    }
    let header = output::header(ctx.lang, cols);
    let rows: Vec<Vec<String>> = items.iter().map(row).collect();
    output::table(&mut out, &header, &rows)?;
    Ok(())
}

/// Years after graduation before a cohort may be purged (setting `retention_years`).
const RETENTION_YEARS: i32 = 5;

pub fn archive(ctx: &Ctx, a: CohortArgs) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let actor = ctx.actor(&db)?;
    access::permit(&db, &actor, Need::Admin, None)?;
    let n = db.cohort_size(&a.cohort)?;
    if n == 0 {
        bail!("cohort '{}': no students", a.cohort);
    }
    let after = format!("archived cohort {} ({n} students)", a.cohort);
    let entry = crate::db::AuditEntry {
        after: &after,
        ..actor.entry("archive")
    };
    if db.archive_cohort(&a.cohort, &entry)? {
        println!("{after}");
    } else {
        println!("cohort {} was already archived", a.cohort);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn purge(ctx: &Ctx, a: CohortArgs) -> anyhow::Result<ExitCode> {
    let mut db = ctx.open_db()?;
    let actor = ctx.actor(&db)?;
    access::permit(&db, &actor, Need::Admin, None)?;
    let n = db.cohort_size(&a.cohort)?;
    if n == 0 {
        bail!("cohort '{}': no students", a.cohort);
    }
    if !db.archived_cohorts()?.contains(&a.cohort) {
        bail!(
            "cohort {}: archive it first (`yujing archive --cohort {}`)",
            a.cohort,
            a.cohort
        );
    }
    let retention = db
        .meta("retention_years")?
        .and_then(|v| v.trim().parse::<i32>().ok())
        .unwrap_or(RETENTION_YEARS);
    // A cohort (年级) of year Y graduates in Y+4 at the latest of ordinary programmes.
    let Ok(year) = a.cohort.trim().parse::<i32>() else {
        bail!("cohort '{}': not a year", a.cohort);
    };
    let allowed = year + 4 + retention;
    let this_year = chrono::Datelike::year(&ctx.today);
    if this_year < allowed {
        bail!(
            "cohort {}: kept until {allowed} ({retention} years after graduation in {}); nothing purged",
            a.cohort,
            year + 4
        );
    }
    let (zh, en) = (
        format!("永久删除 {} 级 {n} 名学生的全部个人数据？", a.cohort),
        format!(
            "Delete all personal data of cohort {} ({n} students) for good?",
            a.cohort
        ),
    );
    if !super::prompt::confirm(ctx.lang, ctx.lang.pick(&zh, &en), a.yes)? {
        println!("{}", ctx.lang.pick("未删除", "nothing purged"));
        return Ok(ExitCode::FAILURE);
    }
    let n = db.purge_cohort(&a.cohort, &actor.entry("purge"))?;
    println!("cohort {}: {n} students purged", a.cohort);
    Ok(ExitCode::SUCCESS)
}

/// A write command's permission, and for the commands whose write has no transaction of
/// its own to carry it (imports' summary, backups, exports), what their audit line says.
pub struct Gate {
    actor: Actor,
    action: &'static str,
    student: Option<String>,
    after: String,
    /// The command's own transaction writes its audit line (with the values before and
    /// after), so a write and its line commit or roll back together.
    in_tx: bool,
}

/// Checks, before a write command runs, that the actor may do it; None for commands that
/// write nothing or gate themselves (`user`, `archive`, `purge`).
pub fn gate(ctx: &Ctx, cmd: &Command) -> anyhow::Result<Option<Gate>> {
    use super::{
        course, coverage, exempt, issue, nature, notices, policy, schedule, template, term,
    };
    // The student a change by number touches, looked up once the database is open.
    enum Of<'a> {
        None,
        Student(&'a str),
        Schedule(i64),
        Exemption(i64),
        Class(&'a str),
        Everyone,
    }
    let (need, action, of, in_tx): (Option<Need>, &'static str, Of, bool) = match cmd {
        // A dry run writes nothing and never takes the write lock.
        Command::Import(a) if a.dry_run => return Ok(None),
        Command::Import(_) => (Some(Need::Import), "import", Of::None, true),
        Command::Restore(_) => (Some(Need::Admin), "restore", Of::None, true),
        Command::Backup(_) => (Some(Need::Admin), "backup", Of::None, false),
        Command::Log(a) => (
            Some(Need::Contact),
            "contact",
            Of::Student(&a.student_id),
            true,
        ),
        Command::Schedule(schedule::Cmd::Add { student_id, .. }) => (
            Some(Need::Schedule),
            "schedule.add",
            Of::Student(student_id),
            true,
        ),
        Command::Schedule(schedule::Cmd::Cancel { id }) => (
            Some(Need::Schedule),
            "schedule.cancel",
            Of::Schedule(*id),
            true,
        ),
        Command::Term(term::Cmd::Set { .. }) => (Some(Need::Admin), "term.set", Of::None, true),
        Command::Issue(issue::Args {
            cmd: Some(issue::Cmd::Withdraw { .. }),
            ..
        }) => (Some(Need::Issue), "withdraw", Of::None, true),
        Command::Issue(_) => (Some(Need::Issue), "issue", Of::None, true),
        Command::Exempt(exempt::Cmd::Add { student_id, .. }) => (
            Some(Need::Exempt),
            "exempt.add",
            Of::Student(student_id),
            true,
        ),
        Command::Exempt(exempt::Cmd::Lift { id }) => {
            (Some(Need::Exempt), "exempt.lift", Of::Exemption(*id), true)
        }
        Command::Notices(notices::Args {
            cmd: Some(notices::Cmd::Approve { class, student }),
            ..
        }) => {
            let of = match (student, class) {
                (Some(s), _) => Of::Student(s),
                (None, Some(c)) => Of::Class(c),
                (None, None) => Of::Everyone,
            };
            (Some(Need::Approve), "notices.approve", of, true)
        }
        Command::Policy(policy::Cmd::Use { .. }) => {
            (Some(Need::Admin), "policy.use", Of::None, true)
        }
        // Writes without a transaction of their own to carry the line: audited once done.
        // Clearing a course changes a tier as an exemption does, so the same roles may.
        Command::Course(course::Cmd::Clear { student, .. }) => (
            Some(Need::Exempt),
            "course.clear",
            Of::Student(student),
            false,
        ),
        Command::Course(course::Cmd::Restore { student, .. }) => (
            Some(Need::Exempt),
            "course.restore",
            Of::Student(student),
            false,
        ),
        Command::Confirm(a) => (
            Some(Need::Contact),
            "confirm",
            Of::Student(&a.student_id),
            false,
        ),
        Command::Nature(nature::Cmd::Map { .. }) => {
            (Some(Need::Admin), "nature.map", Of::None, false)
        }
        Command::Template(template::Cmd::Import { .. }) => {
            (Some(Need::Admin), "template.import", Of::None, false)
        }
        Command::Notices(notices::Args {
            cmd: Some(notices::Cmd::Short { .. } | notices::Cmd::Days { .. }),
            ..
        }) => (Some(Need::Admin), "notices.settings", Of::None, false),
        Command::Coverage(coverage::Args {
            set_required: Some(_),
            ..
        }) => (Some(Need::Admin), "coverage.required", Of::None, false),
        // Exports write no record, but what left the system and for whom is audited.
        Command::Export(_) | Command::Record(_) | Command::Plan(_) => {
            (None, "export", Of::None, false)
        }
        Command::Notices(notices::Args {
            cmd: None,
            out: Some(_),
            ..
        }) => (None, "export", Of::None, false),
        _ => return Ok(None),
    };
    // Reading commands never create a database nor take the write lock to be checked.
    let db = if matches!(
        cmd,
        Command::Export(_) | Command::Backup(_) | Command::Record(_) | Command::Plan(_)
    ) {
        ctx.open_db_read()?
    } else {
        ctx.open_db()?
    };
    let actor = ctx.actor(&db)?;
    let student = match of {
        Of::None => None,
        Of::Student(s) => Some(s.to_string()),
        Of::Schedule(id) => db
            .schedules(None)?
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.student_id),
        Of::Exemption(id) => db
            .exemptions()?
            .into_iter()
            .find(|e| e.id == id)
            .map(|e| e.student_id),
        Of::Class(c) => {
            let scope = access::scope(&db, &actor)?;
            if let Some(s) = db
                .students()?
                .into_iter()
                .find(|s| s.class == c && !scope.sees(&s.student_id))
            {
                let (who, id) = (actor.login(), &s.student_id);
                bail!(
                    "{}",
                    ctx.lang.pick(
                        &format!("{who} 不能批准 {c} 班的通知书（{id} 不在其范围内）"),
                        &format!(
                            "{who} may not approve the notices of class {c} ({id} is not in scope)"
                        )
                    )
                );
            }
            None
        }
        Of::Everyone if !actor.has(Role::Admin) => {
            let who = actor.login();
            bail!(
                "{}",
                ctx.lang.pick(
                    &format!("{who}：请用 --class 或 --student 批准你范围内学生的通知书"),
                    &format!(
                        "{who}: approve the notices of your students with --class or --student"
                    )
                )
            )
        }
        Of::Everyone => None,
    };
    if let Some(need) = need {
        access::permit(&db, &actor, need, student.as_deref())?;
    }
    if let Command::Log(l) = cmd {
        access::permit_contact(&db, &actor, l.confidential, l.corrects, ctx.lang)?;
    }
    Ok(Some(Gate {
        actor,
        action,
        student,
        after: audit_text(cmd),
        in_tx,
    }))
}

/// The command as run, for the audit of commands without a transaction of their own.
fn audit_text(cmd: &Command) -> String {
    crate::text::sanitize(&format!("{cmd:?}")).into_owned()
}

/// Appends the audit line of a write that went through, unless its own transaction did.
pub fn record(ctx: &Ctx, g: &Gate) -> anyhow::Result<()> {
    if g.in_tx {
        return Ok(());
    }
    let after = match g.action {
        "export" => export_summary().unwrap_or_else(|| g.after.clone()),
        _ => g.after.clone(),
    };
    let db = ctx.open_db()?;
    db.audit_append(&crate::db::AuditEntry {
        student: g.student.as_deref(),
        after: &after,
        ..g.actor.entry(g.action)
    })?;
    Ok(())
}

static EXPORTED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// What an export wrote and for how many students, for its audit line (JSON).
pub fn exported(what: &str, students: usize, out: &std::path::Path) {
    if let Ok(mut e) = EXPORTED.lock() {
        *e = Some(
            serde_json::json!({
                "what": what,
                "students": students,
                "out": out.display().to_string(),
            })
            .to_string(),
        );
    }
}

fn export_summary() -> Option<String> {
    EXPORTED.lock().ok().and_then(|mut e| e.take())
}
