//! `yujing log STUDENT_ID --kind KIND --date …`: record a contact (a talk record).

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDateTime;

use crate::db::Correction;
use crate::model::{Channel, Contact, With};
use crate::model::{ContactKind, Role};
use crate::os::real_login as login;
use crate::schedule::agenda::next_talk_schedule;
use crate::schedule::{parse_date_input, parse_datetime_input};

use super::Ctx;

#[derive(Debug, clap::Args)]
pub struct Args {
    pub student_id: String,
    /// talk, parent-contact, notice-delivered, receipt-returned, study-plan, tutoring, other
    #[arg(long)]
    pub kind: String,
    /// YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)
    #[arg(long)]
    pub date: Option<String>,
    /// student, parent or both
    #[arg(long = "with", default_value = "student")]
    pub with_whom: String,
    /// face-to-face, phone, wechat, sms, e-mail, home-visit, letter
    #[arg(long, default_value = "face-to-face")]
    pub channel: String,
    /// class-teacher, counsellor, league-secretary, deputy-secretary, helper, psych, leader
    #[arg(long)]
    pub role: Option<String>,
    /// Only the student's counsellor, psych staff and admins may read its text; never exported.
    #[arg(long)]
    pub confidential: bool,
    /// What was said (summary).
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    /// The student's situation and attitude.
    #[arg(long)]
    pub situation: Option<String>,
    /// Agreed actions.
    #[arg(long)]
    pub actions: Option<String>,
    /// Next talk date: schedules a once-off talk due that day.
    #[arg(long)]
    pub next: Option<String>,
    /// Correct contact ID: the earlier version is kept, marked superseded.
    #[arg(long, value_name = "ID")]
    pub corrects: Option<i64>,
    /// The notice a notice-delivered or receipt-returned contact closes (default: the
    /// student's latest approved notice).
    #[arg(long, value_name = "NUMBER")]
    pub notice: Option<String>,
}

pub fn parse_kind(s: &str) -> anyhow::Result<ContactKind> {
    ContactKind::parse(s).with_context(|| {
        format!(
            "unknown kind '{s}' (kinds: {})",
            ContactKind::ALL.map(ContactKind::id).join(", ")
        )
    })
}

pub fn parse_role(s: Option<&str>) -> anyhow::Result<Option<Role>> {
    s.map(|s| {
        Role::parse(s).with_context(|| {
            format!(
                "unknown role '{s}' (roles: {})",
                Role::ALL.map(Role::id).join(", ")
            )
        })
    })
    .transpose()
}

pub fn now(ctx: &Ctx) -> NaiveDateTime {
    let clock = chrono::Local::now().naive_local();
    if clock.date() == ctx.today {
        clock
    } else {
        ctx.today.and_time(clock.time())
    }
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let kind = parse_kind(&a.kind)?;
    let role = parse_role(a.role.as_deref())?;
    let with_whom: With = a
        .with_whom
        .parse()
        .map_err(anyhow::Error::msg)
        .context("--with")?;
    let channel: Channel = a
        .channel
        .parse()
        .map_err(anyhow::Error::msg)
        .context("--channel")?;
    let now = now(ctx);
    let at = match &a.date {
        Some(d) => parse_datetime_input(d, now).with_context(|| format!("--date '{d}'"))?,
        None => now,
    };
    let next_talk = a
        .next
        .as_deref()
        .map(|n| parse_date_input(n, at.date()).with_context(|| format!("--next '{n}'")))
        .transpose()?;
    if let Some(n) = next_talk
        && n <= at.date()
    {
        bail!("--next {n} must be after the contact's date {}", at.date());
    }
    let c = Contact {
        id: 0,
        student_id: a.student_id.trim().to_string(),
        at,
        author: login(),
        role,
        with_whom,
        channel,
        kind,
        place: a.place.unwrap_or_default(),
        summary: a.note.unwrap_or_default(),
        situation: a.situation.unwrap_or_default(),
        actions: a.actions.unwrap_or_default(),
        next_talk,
        created_at: now,
        superseded_by: None,
    };
    let has_time = a
        .date
        .as_deref()
        .is_none_or(|d| d.contains(':') || d.trim().eq_ignore_ascii_case("now"));
    crate::app::contact::check(&c, has_time, now, ctx.lang).map_err(anyhow::Error::msg)?;
    let mut db = ctx.open_db()?;
    // A correction of a confidential contact stays confidential.
    let confidential = a.confidential
        || a.corrects
            .map(|old| db.contact_confidential(old))
            .transpose()?
            .unwrap_or(false);
    db.write_confidential(confidential);
    let note = crate::schedule::agenda::next_talk_note(ctx.lang);
    let next_schedule = next_talk_schedule(&c, note);
    let (id, next) = match a.corrects {
        Some(_) if a.notice.is_some() => bail!("--notice cannot go with --corrects"),
        Some(old) => match db.correct_contact(old, &c, next_schedule.as_ref())? {
            Correction::Done { id, next } => (id, next),
            Correction::Missing => bail!("--corrects {old}: there is no contact {old}"),
            Correction::OtherStudent { student } => bail!(
                "--corrects {old}: contact {old} is student {student}'s, not {}'s; nothing written",
                c.student_id
            ),
            Correction::AlreadyCorrected {
                by_id,
                author,
                at,
                latest,
            } => bail!(
                "--corrects {old}: contact {old} was already corrected by {} on {} (contact {by_id}); to correct it now, use --corrects {latest}",
                crate::text::sanitize(&author),
                at.format("%Y-%m-%d %H:%M")
            ),
        },
        None => {
            super::notices::log_contact(&mut db, &c, next_schedule.as_ref(), a.notice.as_deref())?
        }
    };
    println!("{id}");
    if let (Some(sid), Some(n)) = (next, next_talk) {
        eprintln!(
            "{}",
            ctx.lang.pick(
                &format!("已安排 {n} 的谈话（日程 {sid}）"),
                &format!("next talk scheduled for {n} (schedule {sid})")
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
