//! Who is asking, and what they may see and change.
//!
//! Identity is the process's real uid mapped to a login (never `$USER`, which anyone can
//! set). A user's roles and assignments turn into a [`Scope`] by [`scope`], the one place
//! that decides which students a reader sees; [`permit`] is the one check before a write.
//! Without the setgid set-up (README) anyone who can read the file can bypass all this, so
//! there it is a courtesy, not a protection.

use std::collections::HashSet;

use anyhow::bail;

use crate::db::{AuditEntry, Db, UserRow};
use crate::os::real_login;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Role {
    Admin,
    Registrar,
    Leader,
    Counsellor,
    ClassTeacher,
    Helper,
    Psych,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Registrar,
        Role::Leader,
        Role::Counsellor,
        Role::ClassTeacher,
        Role::Helper,
        Role::Psych,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Registrar => "registrar",
            Role::Leader => "leader",
            Role::Counsellor => "counsellor",
            Role::ClassTeacher => "class-teacher",
            Role::Helper => "helper",
            Role::Psych => "psych",
        }
    }

    pub fn parse(s: &str) -> anyhow::Result<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| r.id() == s).ok_or_else(|| {
            let known: Vec<_> = Role::ALL.iter().map(|r| r.id()).collect();
            anyhow::anyhow!("unknown role '{s}' (roles: {})", known.join(", "))
        })
    }
}

/// Whoever a command runs for: the real account, or with `--as` the user an admin looks
/// through.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserRow,
    pub roles: HashSet<Role>,
    /// The real login when an admin acts `--as` someone else.
    pub real: Option<String>,
}

impl Actor {
    pub fn login(&self) -> &str {
        &self.user.login
    }

    /// The real account: the admin behind `--as`, else the user.
    pub fn real_login(&self) -> &str {
        self.real.as_deref().unwrap_or(&self.user.login)
    }

    pub fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }

    /// Whom the database audits this actor's writes as.
    pub fn auditor(&self) -> crate::db::Auditor {
        crate::db::Auditor {
            login: self.real_login().to_string(),
            as_login: self.real.as_ref().map(|_| self.user.login.clone()),
        }
    }

    /// An audit entry for this actor: real login first, the `--as` user beside it.
    pub fn entry<'a>(&'a self, action: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            login: self.real_login(),
            as_login: self.real.as_ref().map(|_| self.user.login.as_str()),
            action,
            ..Default::default()
        }
    }
}

fn roles_of(u: &UserRow) -> anyhow::Result<HashSet<Role>> {
    u.roles.iter().map(|r| Role::parse(r)).collect()
}

/// The first account to open a database becomes its admin, so personal use needs no set-up.
/// A database that cannot be written (read-only) keeps its users as they are.
pub fn claim_if_unowned(db: &mut Db) {
    let _ = db.claim_admin(&real_login());
}

/// Resolves the real account, and `as_login` when given (admins only; recorded in the audit).
pub fn actor(db: &Db, as_login: Option<&str>) -> anyhow::Result<Actor> {
    let login = real_login();
    let Some(user) = db.user(&login)? else {
        let admins = db.admins()?;
        bail!(
            "{login} is not a yujing user of this database; ask an admin ({}) to add you with `yujing user add {login} --name NAME --role ROLE`",
            if admins.is_empty() {
                "none recorded".to_string()
            } else {
                admins.join(", ")
            }
        );
    };
    let me = Actor {
        roles: roles_of(&user)?,
        user,
        real: None,
    };
    let Some(other) = as_login.filter(|o| *o != login) else {
        return Ok(me);
    };
    if !me.has(Role::Admin) {
        bail!("--as is for admins only ({login} is not an admin)");
    }
    let Some(user) = db.user(other)? else {
        bail!("--as {other}: no such yujing user (see `yujing user list`)");
    };
    let actor = Actor {
        roles: roles_of(&user)?,
        user,
        real: Some(login),
    };
    Ok(actor)
}

/// Which students a reader sees. Built only by [`scope`].
#[derive(Debug, Clone)]
pub struct Scope {
    all: bool,
    ids: HashSet<String>,
    /// Students whose confidential items' text this reader may see.
    confidential: HashSet<String>,
    all_confidential: bool,
    /// The registrar's reading of "nothing personal beyond ids and names": the roster's ids
    /// and names (archived cohorts aside), and nothing else anywhere.
    names: Option<Vec<(String, String)>>,
}

impl Scope {
    /// For a registrar: every current student's (id, name), the one thing it may list;
    /// None for every other role.
    pub fn names_only(&self) -> Option<&[(String, String)]> {
        self.names.as_deref()
    }

    pub fn sees(&self, student_id: &str) -> bool {
        self.all || self.ids.contains(student_id)
    }

    /// Whether confidential text (psychological flags, confidential contacts) of this
    /// student may be shown; others learn only that such an item exists.
    pub fn reads_confidential(&self, student_id: &str) -> bool {
        self.all_confidential || self.confidential.contains(student_id)
    }

    /// Everything: for code paths that run without a person (tests, the cache warmer).
    pub fn everything() -> Scope {
        Scope {
            all: true,
            ids: HashSet::new(),
            confidential: HashSet::new(),
            all_confidential: true,
            names: None,
        }
    }

    /// Refuses a reader who names a student outside their scope, without saying more about
    /// that student than the id they typed.
    pub fn require(&self, student_id: &str, lang: crate::locale::Lang) -> anyhow::Result<()> {
        if self.sees(student_id) {
            return Ok(());
        }
        bail!(
            "{}",
            lang.pick(
                &format!("学生 {student_id} 不在你的范围内"),
                &format!("student {student_id} is not in scope")
            )
        )
    }

    /// Names what this reader sees, for caches of it: 0 for everything, else a hash of the
    /// students seen and of those whose confidential text is read.
    pub fn fingerprint(&self) -> u64 {
        use crate::app::evalcache::fnv;
        let hash = |all: bool, set: &HashSet<String>| {
            let mut ids: Vec<&String> = set.iter().collect();
            ids.sort_unstable();
            ids.iter()
                .fold(fnv(0xcbf2_9ce4_8422_2325, &[u8::from(all)]), |h, id| {
                    fnv(fnv(h, id.as_bytes()), &[0])
                })
        };
        if self.all && self.all_confidential {
            return 0;
        }
        hash(self.all, &self.ids) ^ hash(self.all_confidential, &self.confidential).rotate_left(1)
    }

    /// Keeps only the rows of visible students.
    pub fn retain<T>(&self, rows: &mut Vec<T>, id: impl Fn(&T) -> &str) {
        if !self.all {
            rows.retain(|r| self.sees(id(r)));
        }
    }
}

/// The one function that turns a user's roles and assignments into the students it sees:
/// admin all (archived cohorts included); leader its colleges; counsellor and class teacher
/// their classes; helper its students; psych the students with a psychological flag;
/// registrar none (only the ids and names, through [`Scope::names_only`]). Archived cohorts
/// are for admins only.
pub fn scope(db: &Db, actor: &Actor) -> anyhow::Result<Scope> {
    if actor.has(Role::Admin) {
        return Ok(Scope::everything());
    }
    let u = &actor.user;
    let psych = if actor.has(Role::Psych) {
        db.psych_flagged()?
    } else {
        HashSet::new()
    };
    let archived = db.archived_cohorts()?;
    let sighted = [
        Role::Leader,
        Role::Counsellor,
        Role::ClassTeacher,
        Role::Helper,
        Role::Psych,
    ];
    if actor.has(Role::Registrar) && !sighted.iter().any(|r| actor.has(*r)) {
        let names = db
            .students()?
            .into_iter()
            .filter(|s| !archived.contains(&s.cohort))
            .map(|s| (s.student_id, s.name))
            .collect();
        return Ok(Scope {
            all: false,
            ids: HashSet::new(),
            confidential: HashSet::new(),
            all_confidential: false,
            names: Some(names),
        });
    }
    let by_class = actor.has(Role::Counsellor) || actor.has(Role::ClassTeacher);
    let mut ids = HashSet::new();
    let mut confidential = HashSet::new();
    for s in db.students()? {
        if archived.contains(&s.cohort) {
            continue;
        }
        let mine = (by_class && u.classes.contains(&s.class))
            || (actor.has(Role::Leader) && u.colleges.contains(&s.college))
            || (actor.has(Role::Helper) && u.students.contains(&s.student_id))
            || psych.contains(&s.student_id);
        if !mine {
            continue;
        }
        // "The student's counsellor": a counsellor whose classes include the student's.
        let counsellor = actor.has(Role::Counsellor) && u.classes.contains(&s.class);
        if counsellor || actor.has(Role::Psych) {
            confidential.insert(s.student_id.clone());
        }
        ids.insert(s.student_id);
    }
    Ok(Scope {
        all: false,
        ids,
        confidential,
        all_confidential: false,
        names: None,
    })
}

/// What a write needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Import,
    Contact,
    Schedule,
    Issue,
    Exempt,
    /// Approving warning notices.
    Approve,
    /// `policy use`, term dates, users, archive, purge.
    Admin,
}

impl Need {
    fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Need::Import => &[Admin, Registrar],
            Need::Contact => &[Admin, Counsellor, ClassTeacher, Helper, Psych],
            Need::Schedule => &[Admin, Counsellor, ClassTeacher],
            Need::Issue => &[Admin, Leader, Counsellor],
            Need::Exempt => &[Admin, Leader, Counsellor],
            Need::Approve => &[Admin, Leader],
            Need::Admin => &[Admin],
        }
    }

    fn what(self, lang: crate::locale::Lang) -> &'static str {
        match self {
            Need::Import => lang.pick("导入", "import"),
            Need::Contact => lang.pick("记录联系", "log contacts"),
            Need::Schedule => lang.pick("修改谈话安排", "change schedules"),
            Need::Issue => lang.pick("下发或撤回预警", "issue or withdraw warnings"),
            Need::Exempt => lang.pick("修改免于跟进", "change exemptions"),
            Need::Approve => lang.pick("审批通知书", "approve notices"),
            Need::Admin => lang.pick("执行此操作（仅管理员）", "do this (admin only)"),
        }
    }
}

/// The one permission check before a write: the role, and for a student's record that the
/// student is in the actor's scope and not archived.
pub fn permit(db: &Db, actor: &Actor, need: Need, student: Option<&str>) -> anyhow::Result<()> {
    let lang = crate::locale::Lang::current();
    if !need.roles().iter().any(|r| actor.has(*r)) {
        let roles: Vec<_> = actor.roles.iter().map(|r| r.id()).collect();
        let (who, what, roles) = (actor.login(), need.what(lang), roles.join(", "));
        bail!(
            "{}",
            lang.pick(
                &format!("{who} 无权{what}（角色：{roles}）"),
                &format!("{who} may not {what} (roles: {roles})"),
            )
        );
    }
    if let Some(id) = student {
        if let Some(s) = db.student(id)?
            && db.archived_cohorts()?.contains(&s.cohort)
        {
            let cohort = &s.cohort;
            bail!(
                "{}",
                lang.pick(
                    &format!("{id} 属于已归档的 {cohort} 级：只读"),
                    &format!("{id} belongs to archived cohort {cohort}: read-only"),
                )
            );
        }
        if !scope(db, actor)?.sees(id) {
            let who = actor.login();
            bail!(
                "{}",
                lang.pick(
                    &format!("{who} 无权修改 {id} 的记录（不在你的范围内）"),
                    &format!("{who} may not change records of {id} (not in scope)"),
                )
            );
        }
    }
    Ok(())
}

/// The narrower rights of psych and helpers on contacts, checked after [`permit`]: psych
/// logs and corrects only confidential notes (its scope is already the flagged students);
/// a helper corrects only the contacts it wrote itself. A second role that may log
/// contacts anyway (counsellor, class teacher, admin) lifts the limit.
pub fn permit_contact(
    db: &Db,
    actor: &Actor,
    confidential: bool,
    corrects: Option<i64>,
    lang: crate::locale::Lang,
) -> anyhow::Result<()> {
    if [Role::Admin, Role::Counsellor, Role::ClassTeacher]
        .iter()
        .any(|r| actor.has(*r))
    {
        return Ok(());
    }
    let old = match corrects {
        Some(id) => db.contacts(None, true)?.into_iter().find(|c| c.id == id),
        None => None,
    };
    if actor.has(Role::Psych) && !actor.has(Role::Helper) {
        let ok = match (&old, corrects) {
            (Some(c), _) => db.contact_confidential(c.id)?,
            (None, Some(_)) => true, // no such contact: the command says so itself
            (None, None) => confidential,
        };
        if !ok {
            bail!(
                "{}",
                lang.pick(
                    &format!(
                        "{} 为心理角色：只能记录或更正保密记录（加 --confidential）",
                        actor.login()
                    ),
                    &format!(
                        "{} (psych) may log or correct confidential notes only (add --confidential)",
                        actor.login()
                    )
                )
            );
        }
    }
    if actor.has(Role::Helper)
        && !actor.has(Role::Psych)
        && let Some(c) = &old
        && c.author != actor.real_login()
    {
        bail!(
            "{}",
            lang.pick(
                &format!("{}（助理）只能更正自己记录的谈话", actor.login()),
                &format!(
                    "{} (helper) may correct only contacts they logged themselves",
                    actor.login()
                )
            )
        );
    }
    Ok(())
}

/// What a reader without the right sees in place of a confidential item's text.
pub fn confidential_placeholder(lang: crate::locale::Lang) -> String {
    lang.pick("（保密记录）", "(a confidential item)")
        .to_string()
}

/// The metric that stands in for a psychological flag before a reader who may not know of it.
pub const CONFIDENTIAL_METRIC: &str = "confidential";

/// A tier resting on a psychological flag shows only "a confidential condition".
pub fn mask_psych(e: &mut crate::policy::Evaluation) {
    for r in e.reasons.iter_mut().chain(e.status_reasons.iter_mut()) {
        if r.metric == "flag:psychological" {
            r.metric = CONFIDENTIAL_METRIC.to_string();
            r.note.clear();
        }
    }
}
