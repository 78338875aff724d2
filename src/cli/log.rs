//! `yujing log STUDENT_ID --kind KIND --date …`: record a contact (a talk record).

use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::db::Correction;
use crate::i18n::{self, Lang, Msg};
use crate::model::{Channel, Contact, With};
use crate::model::{ContactKind, Role};
use crate::os::real_login as login;
use crate::schedule::agenda::next_talk_schedule;
use crate::schedule::{parse_date_input, parse_datetime_input};

use super::{Ctx, ListFormat};

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
    /// Where it happened (学工办, 宿舍, phone …).
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
    /// table: a sentence saying what was logged; json: {"contact_id", "student_id", …}.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

pub fn parse_kind(s: &str) -> anyhow::Result<ContactKind> {
    ContactKind::parse(s).with_context(|| {
        let ids = ContactKind::ALL.map(ContactKind::id).join(", ");
        Msg::UnknownKind.fill(Lang::current(), &[("value", s), ("ids", &ids)])
    })
}

pub fn parse_role(s: Option<&str>) -> anyhow::Result<Option<Role>> {
    s.map(|s| {
        Role::parse(s).with_context(|| {
            let ids = Role::ALL.map(Role::id).join(", ");
            Msg::UnknownRole.fill(Lang::current(), &[("value", s), ("ids", &ids)])
        })
    })
    .transpose()
}

/// `value` of option `opt` as one of the words `T` parses, or an error naming them all.
pub fn one_of<T: std::str::FromStr>(
    opt: &str,
    value: &str,
    ids: &[&str],
    lang: Lang,
) -> anyhow::Result<T> {
    value.parse().map_err(|_| {
        let ids = ids.join(", ");
        anyhow::anyhow!(
            "{}",
            Msg::NotOneOf.fill(lang, &[("opt", opt), ("value", value), ("ids", &ids)])
        )
    })
}

pub fn run(ctx: &Ctx, a: Args) -> anyhow::Result<ExitCode> {
    let kind = parse_kind(&a.kind)?;
    let role = parse_role(a.role.as_deref())?;
    let with_ids: Vec<&str> = With::ALL.iter().map(|w| w.id()).collect();
    let with_whom: With = one_of("--with", &a.with_whom, &with_ids, ctx.lang)?;
    let channel_ids: Vec<&str> = Channel::ALL.iter().map(|c| c.id()).collect();
    let channel: Channel = one_of("--channel", &a.channel, &channel_ids, ctx.lang)?;
    let now = ctx.now();
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
        let (n, d) = (n.to_string(), at.date().to_string());
        bail!(
            "{}",
            Msg::NextNotAfter.fill(ctx.lang, &[("next", &n), ("date", &d)])
        );
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
    let lang = ctx.lang;
    let mut db = ctx.open_db()?;
    let Some(student) = db.student(&c.student_id)? else {
        bail!("{}", Msg::NotInRoster.fill(lang, &[("id", &c.student_id)]));
    };
    // A correction of a confidential contact stays confidential.
    let confidential = a.confidential
        || a.corrects
            .map(|old| db.contact_confidential(old))
            .transpose()?
            .unwrap_or(false);
    db.write_confidential(confidential);
    let note = crate::schedule::agenda::next_talk_note(lang);
    let next_schedule = next_talk_schedule(&c, note);
    let (id, next) = match a.corrects {
        Some(_) if a.notice.is_some() => bail!("{}", Msg::NoticeWithCorrects.text(lang)),
        Some(old) => correct(&mut db, old, &c, next_schedule.as_ref(), lang)?,
        None => {
            let logged = crate::app::notices::log_contact(
                &mut db,
                &c,
                next_schedule.as_ref(),
                a.notice.as_deref(),
            )?;
            if let Some(n) = logged.closed {
                eprintln!(
                    "{}",
                    lang.pick(
                        &format!("已记入通知书 {n}"),
                        &format!("recorded against notice {n}")
                    )
                );
            }
            (logged.id, logged.schedule)
        }
    };
    let next_talk = next.zip(next_talk);
    if a.format == ListFormat::Json {
        let out = serde_json::json!({
            "contact_id": id,
            "student_id": c.student_id,
            "corrects": a.corrects,
            "next_schedule_id": next_talk.map(|(sid, _)| sid),
        });
        println!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    let (id_s, who, what) = (
        id.to_string(),
        i18n::student(&student.name, &c.student_id),
        i18n::kind(lang, c.kind),
    );
    let mut values = vec![("id", id_s.as_str()), ("student", &who), ("kind", what)];
    let old = a.corrects.map(|o| o.to_string());
    let msg = match &old {
        Some(old) => {
            values.push(("old", old));
            Msg::ContactCorrected
        }
        None => Msg::ContactLogged,
    };
    println!("{}", msg.fill(lang, &values));
    if let Some((sid, n)) = next_talk {
        let (sid, n) = (sid.to_string(), n.to_string());
        println!(
            "{}",
            Msg::NextTalkScheduled.fill(lang, &[("date", &n), ("id", &sid)])
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `c` as the new version of contact `old`, or says in `lang` why not.
fn correct(
    db: &mut crate::db::Db,
    old: i64,
    c: &Contact,
    next: Option<&crate::model::Schedule>,
    lang: i18n::Lang,
) -> anyhow::Result<(i64, Option<i64>)> {
    let old_s = old.to_string();
    match db.correct_contact(old, c, next)? {
        Correction::Done { id, next } => Ok((id, next)),
        Correction::Missing => bail!("{}", Msg::NoContact.fill(lang, &[("id", &old_s)])),
        Correction::OtherStudent { student } => bail!(
            "{}",
            Msg::ContactOtherStudent.fill(
                lang,
                &[
                    ("id", &old_s),
                    ("other", &student),
                    ("student", &c.student_id)
                ]
            )
        ),
        Correction::AlreadyCorrected {
            by_id,
            author,
            at,
            latest,
        } => bail!(
            "{}",
            Msg::ContactAlreadyCorrected.fill(
                lang,
                &[
                    ("id", &old_s),
                    ("author", &crate::text::sanitize(&author)),
                    ("at", &at.format("%Y-%m-%d %H:%M").to_string()),
                    ("by_id", &by_id.to_string()),
                    ("latest", &latest.to_string()),
                ]
            )
        ),
    }
}
