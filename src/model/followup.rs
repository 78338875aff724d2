//! Contacts and obligations as records: the talk record forms of the seeds (谈话记录), the
//! schedules that say who must talk with whom how often, exemptions, and the agenda's lines.
//! Plain data; [`crate::schedule::agenda`] computes what is due from them.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Cadence, Term};

/// Whom the contact was with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum With {
    Student,
    Parent,
    Both,
}

/// How the contact happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    FaceToFace,
    Phone,
    Wechat,
    Sms,
    Email,
    HomeVisit,
    Letter,
}

macro_rules! words {
    ($t:ty { $($v:ident = $id:literal, $zh:literal, $en:literal;)* }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn id(self) -> &'static str { match self { $(<$t>::$v => $id),* } }
            pub fn label(self, lang: crate::locale::Lang) -> &'static str {
                match self { $(<$t>::$v => lang.pick($zh, $en)),* }
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let s = s.trim();
                <$t>::ALL.iter().copied().find(|v| v.id() == s || v.label(crate::locale::Lang::Zh) == s).ok_or_else(|| {
                    format!("'{s}' is not one of: {}", <$t>::ALL.iter().map(|v| v.id()).collect::<Vec<_>>().join(", "))
                })
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.id()) }
        }
    };
}

words!(With {
    Student = "student", "学生", "student";
    Parent = "parent", "家长", "parent";
    Both = "both", "学生和家长", "both";
});

words!(Channel {
    FaceToFace = "face-to-face", "面谈", "face to face";
    Phone = "phone", "电话", "phone";
    Wechat = "wechat", "微信", "WeChat";
    Sms = "sms", "短信", "SMS";
    Email = "e-mail", "电子邮件", "e-mail";
    HomeVisit = "home-visit", "家访", "home visit";
    Letter = "letter", "信函", "letter";
});

/// One logged contact (a talk record): the fields of the seeds' 谈话记录表.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// 0 until stored.
    pub id: i64,
    pub student_id: String,
    pub at: NaiveDateTime,
    /// The OS login of whoever logged it.
    pub author: String,
    pub role: Option<Role>,
    pub with_whom: With,
    pub channel: Channel,
    pub kind: ContactKind,
    pub place: String,
    pub summary: String,
    pub situation: String,
    pub actions: String,
    pub next_talk: Option<NaiveDate>,
    /// When this version was written.
    pub created_at: NaiveDateTime,
    /// Set on an earlier version that a correction replaced.
    pub superseded_by: Option<i64>,
}

impl Contact {
    /// A contact of `kind` with the student, face to face, written when it happened, with
    /// nothing else said yet; callers set the rest with struct update syntax.
    pub fn new(student_id: &str, at: NaiveDateTime, author: &str, kind: ContactKind) -> Contact {
        Contact {
            id: 0,
            student_id: student_id.to_string(),
            at,
            author: author.to_string(),
            role: None,
            with_whom: With::Student,
            channel: Channel::FaceToFace,
            kind,
            place: String::new(),
            summary: String::new(),
            situation: String::new(),
            actions: String::new(),
            next_talk: None,
            created_at: at,
            superseded_by: None,
        }
    }
}

/// Where a schedule came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Policy,
    Manual,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub id: i64,
    pub student_id: String,
    pub kind: ContactKind,
    pub role: Option<Role>,
    #[serde(serialize_with = "display")]
    pub cadence: Cadence,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub source: Source,
    /// The follow-up's description when it came from the policy.
    pub note: String,
    /// Set when an issue or a withdrawal ended the obligation: nothing is owed from that day.
    pub ended: Option<Ending>,
}

/// Why and when a policy obligation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ending {
    pub on: NaiveDate,
    /// The change that ended it (`lifted`, `up`, `down`, `withdrawn` …).
    pub change: crate::model::Change,
}

fn display<S: serde::Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

impl Schedule {
    /// A contact counts for a schedule when it is for the same student, of the same kind, and
    /// (if the schedule names a role) by that role.
    pub fn matches(&self, c: &Contact) -> bool {
        c.student_id == self.student_id
            && c.kind == self.kind
            && self.role.is_none_or(|r| c.role == Some(r))
    }
}

/// Term dates as configured (or defaulted): which term holds a day.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// (term, first day, last day), sorted by first day.
    pub terms: Vec<(Term, NaiveDate, NaiveDate)>,
}

impl Calendar {
    /// The term holding `day`; in a break, the last term that ended before it.
    pub fn term_at(&self, day: NaiveDate) -> Option<(Term, NaiveDate, NaiveDate)> {
        self.terms.iter().rev().find(|(_, s, _)| *s <= day).copied()
    }
}

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    pub student_id: String,
    pub schedule_id: i64,
    pub kind: ContactKind,
    pub role: Option<Role>,
    #[serde(serialize_with = "display")]
    pub cadence: Cadence,
    pub due: Option<NaiveDate>,
    pub days_overdue: i64,
    pub missed: u32,
    #[serde(skip)]
    pub last_contact: Option<NaiveDate>,
    #[serde(skip)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agenda {
    pub overdue: Vec<AgendaItem>,
    pub due_today: Vec<AgendaItem>,
    pub upcoming: Vec<AgendaItem>,
}

/// Exemption reasons (休学 leave, exchange, 转专业 course substitution, other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExemptReason {
    Leave,
    Exchange,
    Transfer,
    Other,
}

words!(ExemptReason {
    Leave = "leave", "休学", "leave of absence";
    Exchange = "exchange", "交换", "exchange";
    Transfer = "transfer", "转专业", "course substitution";
    Other = "other", "其他", "other";
});

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exemption {
    pub id: i64,
    pub student_id: String,
    pub term: Term,
    pub reason_kind: ExemptReason,
    pub reason: String,
    pub by: String,
    pub until: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub lifted_at: Option<NaiveDateTime>,
}

impl Exemption {
    pub fn active(&self, today: NaiveDate) -> bool {
        self.lifted_at.is_none() && self.until.is_none_or(|u| u >= today)
    }
}

/// Who carries out a follow-up (the seeds' 班主任, 辅导员, 团委书记 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    ClassTeacher,
    Counsellor,
    LeagueSecretary,
    DeputySecretary,
    Helper,
    Psych,
    Leader,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::ClassTeacher,
        Role::Counsellor,
        Role::LeagueSecretary,
        Role::DeputySecretary,
        Role::Helper,
        Role::Psych,
        Role::Leader,
    ];
    pub fn id(self) -> &'static str {
        match self {
            Role::ClassTeacher => "class-teacher",
            Role::Counsellor => "counsellor",
            Role::LeagueSecretary => "league-secretary",
            Role::DeputySecretary => "deputy-secretary",
            Role::Helper => "helper",
            Role::Psych => "psych",
            Role::Leader => "leader",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == s.trim())
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::ClassTeacher => "班主任",
            Role::Counsellor => "辅导员",
            Role::LeagueSecretary => "团委书记",
            Role::DeputySecretary => "副书记",
            Role::Helper => "帮扶联系人",
            Role::Psych => "心理咨询师",
            Role::Leader => "学院领导",
        }
    }
}

/// What a contact or an obligation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactKind {
    Talk,
    ParentContact,
    NoticeDelivered,
    ReceiptReturned,
    StudyPlan,
    Tutoring,
    Other,
}

impl ContactKind {
    pub const ALL: [ContactKind; 7] = [
        ContactKind::Talk,
        ContactKind::ParentContact,
        ContactKind::NoticeDelivered,
        ContactKind::ReceiptReturned,
        ContactKind::StudyPlan,
        ContactKind::Tutoring,
        ContactKind::Other,
    ];
    pub fn id(self) -> &'static str {
        match self {
            ContactKind::Talk => "talk",
            ContactKind::ParentContact => "parent-contact",
            ContactKind::NoticeDelivered => "notice-delivered",
            ContactKind::ReceiptReturned => "receipt-returned",
            ContactKind::StudyPlan => "study-plan",
            ContactKind::Tutoring => "tutoring",
            ContactKind::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<ContactKind> {
        ContactKind::ALL.into_iter().find(|k| k.id() == s.trim())
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            ContactKind::Talk => "谈话",
            ContactKind::ParentContact => "联系家长",
            ContactKind::NoticeDelivered => "送达通知书",
            ContactKind::ReceiptReturned => "收回回执",
            ContactKind::StudyPlan => "学习计划",
            ContactKind::Tutoring => "学业辅导",
            ContactKind::Other => "其他",
        }
    }
}
