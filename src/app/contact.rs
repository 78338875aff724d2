//! What a contact must satisfy before it is stored, whoever logs it (CLI or TUI).

use chrono::NaiveDateTime;

use crate::locale::Lang;
use crate::model::Contact;

/// The longest free text a contact field takes, in characters.
pub const TEXT_LIMIT: usize = 10_000;

/// Refuses a contact dated after now (a date alone is compared by date, a date with a time
/// with the time too: planning belongs in `schedule add`) and free text over [`TEXT_LIMIT`].
pub fn check(c: &Contact, has_time: bool, now: NaiveDateTime, lang: Lang) -> Result<(), String> {
    let future = if has_time {
        c.at > now
    } else {
        c.at.date() > now.date()
    };
    if future {
        return Err(lang
            .pick(
                &format!(
                    "联系时间 {} 晚于现在：只能记录已发生的联系；计划中的谈话请用 yujing schedule add",
                    c.at.format("%Y-%m-%d %H:%M")
                ),
                &format!(
                    "the contact's date {} is after now: log contacts that happened; plan a talk with `yujing schedule add`",
                    c.at.format("%Y-%m-%d %H:%M")
                ),
            )
            .to_string());
    }
    for (flag, text) in [
        ("--note", &c.summary),
        ("--situation", &c.situation),
        ("--actions", &c.actions),
        ("--place", &c.place),
    ] {
        let n = text.chars().count();
        if n > TEXT_LIMIT {
            return Err(format!(
                "{flag} {}",
                lang.pick(
                    &format!("有 {n} 个字符，超过上限 {TEXT_LIMIT}"),
                    &format!("is {n} characters long; the limit is {TEXT_LIMIT}")
                )
            ));
        }
    }
    Ok(())
}
