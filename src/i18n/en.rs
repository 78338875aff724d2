//! The English catalogue, with the English words for the enums (whose ids are the JSON values).

use crate::model::{ContactKind, Role};

use super::Msg;

pub fn text(m: Msg) -> &'static str {
    match m {
        Msg::ColScheduleId => "schedule",
        Msg::ColContactId => "id",
        Msg::ColStudent => "student",
        Msg::ColName => "name",
        Msg::ColKind => "kind",
        Msg::ColRole => "role",
        Msg::ColCadence => "cadence",
        Msg::ColFrom => "from",
        Msg::ColUntil => "until",
        Msg::ColNote => "note",
        Msg::ColState => "state",
        Msg::Ended => "ended",
        Msg::ColDue => "due",
        Msg::ColOverdue => "overdue",
        Msg::ColSchedule => "schedule",
        Msg::ColAt => "at",
        Msg::ColWith => "with",
        Msg::ColChannel => "channel",
        Msg::ColBy => "by",
        Msg::ColSummary => "summary",
        Msg::AgendaOverdue => "Overdue",
        Msg::AgendaToday => "Due today",
        Msg::AgendaWeek => "Due within 7 days",
        Msg::DaysOverdue => "{n}d overdue",
        Msg::UnknownStudent => "no student with id {id}",
        Msg::ScheduleAdded => "Added schedule #{id} for {student}: {what}, {cadence}, from {from}",
        Msg::ScheduleCancelled => "Cancelled schedule #{id}: {what} for {student}",
        Msg::NoScheduleInForce => "no schedule #{id} in force (see schedule list)",
        Msg::UntilBeforeFrom => "--until is before --from",
        Msg::ExemptNeedsTerm => {
            "exempt add needs --term (the term of the exemption, e.g. --term 2024-2025-2)"
        }
        Msg::ContactLogged => "Logged {kind} #{id} with {student}",
        Msg::ContactCorrected => "Corrected {kind} #{old} with {student}: the new version is #{id}",
        Msg::NextTalkScheduled => "Next talk scheduled for {date} (schedule #{id})",
        Msg::NoContact => "--corrects {id}: no contact {id}",
        Msg::ContactOtherStudent => {
            "--corrects {id}: contact {id} is student {other}'s, not {student}'s; nothing written"
        }
        Msg::ContactAlreadyCorrected => {
            "--corrects {id}: contact {id} was already corrected by {author} on {at} (contact {by_id}); to correct it now, use --corrects {latest}"
        }
        Msg::NoticeWithCorrects => "--notice cannot go with --corrects",
        Msg::ExemptAdded => "Exempted {student} for {term}: exemption #{id} ({reason})",
        Msg::ExemptLifted => "Lifted exemption #{id} of {student} for {term}",
        Msg::NoExemptionInForce => "no exemption #{id} in force (see exempt list)",
        Msg::AlreadyExempt => {
            "student {student} is already exempt for {term} (exemption #{id}, by {by}): nothing written"
        }
        Msg::NotWarned => {
            "student {student} is not warned for {term} (policy {policy}): there is nothing to exempt; nothing written"
        }
        Msg::NotInRoster => "unknown student id '{id}' (not in the student roster)",
        Msg::IssueNothing => "{term}: warnings unchanged since they were issued; nothing to do",
        Msg::NotOneOf => "{opt}: '{value}' is not one of: {ids}",
        Msg::UnknownKind => "unknown kind '{value}' (kinds: {ids})",
        Msg::UnknownRole => "unknown role '{value}' (roles: {ids})",
        Msg::NextNotAfter => "--next {next} must be after the contact's date {date}",
        Msg::WithdrawNeedsTerm => "issue withdraw needs --term YYYY-YYYY-N",
        Msg::DemoNotDemo => {
            "{path}: exists and is not a demo database; demo writes only a new file or a demo database it built before (choose another --db, or leave --db out for the demo database in the data directory)"
        }
    }
}

pub fn kind(k: ContactKind) -> &'static str {
    match k {
        ContactKind::Talk => "talk",
        ContactKind::ParentContact => "parent contact",
        ContactKind::NoticeDelivered => "notice delivered",
        ContactKind::ReceiptReturned => "receipt returned",
        ContactKind::StudyPlan => "study plan",
        ContactKind::Tutoring => "tutoring",
        ContactKind::Other => "other",
    }
}

pub fn role(r: Role) -> &'static str {
    match r {
        Role::ClassTeacher => "class teacher",
        Role::Counsellor => "counsellor",
        Role::LeagueSecretary => "league secretary",
        Role::DeputySecretary => "deputy secretary",
        Role::Helper => "helper",
        Role::Psych => "counselling psychologist",
        Role::Leader => "college leader",
    }
}
