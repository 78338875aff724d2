//! What the loader's answers do to the app: new roster data shown in place (filters and the
//! selection kept), a student's page filled in, a write's result, errors on the status line.

use std::sync::Arc;

use crate::tui::event::Loaded;
use crate::tui::i18n::Msg;
use crate::tui::loader::Request;
use crate::tui::model::StudentDetail;
use crate::tui::roster_index::RosterIndex;
use crate::tui::screens::empty::EmptyKind;
use crate::tui::screens::roster::RosterScreen;

use super::{App, Base, Layer, Notice};

impl App {
    pub(super) fn apply_loaded(&mut self, loaded: Loaded) -> bool {
        match loaded {
            Loaded::Data(d) => {
                self.error = None;
                let unseen = unseen_notice(&d.snapshot.entries, self.opts.lang);
                self.set_data(*d);
                if let Some(text) = unseen
                    && self.notice.is_none()
                {
                    self.notice = Some(Notice { text, error: false });
                }
            }
            Loaded::Progress { done, total } => match &mut self.base {
                // Only the first load has nothing better to show; later ones keep the roster.
                Base::Empty(EmptyKind::Loading(p)) => *p = Some((done, total)),
                _ => return false,
            },
            Loaded::Student { id, detail } => self.set_student(&id, detail.map(|d| *d)),
            Loaded::Written { id, result } => self.written(id, result),
            Loaded::Report(r) => {
                let lang = self.opts.lang;
                match self.stack.iter_mut().find_map(|l| match l {
                    Layer::Report(s) => Some(s),
                    _ => None,
                }) {
                    Some(s) => s.set(r, lang),
                    None => return false,
                }
            }
            Loaded::Error(e) => {
                if self.error.as_ref() == Some(&e) {
                    return false;
                }
                self.error = Some(e);
            }
            Loaded::Waiting => {
                let text = self.opts.lang.pick(
                    "数据库正被另一个导入占用，等待中…",
                    "waiting for another import…",
                );
                self.notice = Some(Notice {
                    text: text.to_string(),
                    error: false,
                });
            }
        }
        true
    }

    /// The loader's answer to write `id`: close its form and say so, or show why it failed.
    pub fn written(&mut self, id: u64, result: Result<i64, String>) {
        let lang = self.opts.lang;
        let at = self.stack.iter().position(|l| match l {
            Layer::Form(f) => f.pending() == Some(id),
            _ => false,
        });
        match (result, at) {
            (Ok(_), Some(i)) => {
                let msg = match &self.stack[i] {
                    Layer::Form(f) => f.saved_message(),
                    _ => Msg::SavedContact,
                };
                self.stack.remove(i);
                self.notice = Some(Notice {
                    text: msg.text(lang).to_string(),
                    error: false,
                });
            }
            (Err(e), Some(i)) => {
                if let Layer::Form(f) = &mut self.stack[i] {
                    f.failed(&e);
                }
            }
            (Ok(_), None) => {}
            (Err(e), None) => {
                self.notice = Some(Notice {
                    text: format!("{}: {e}", Msg::SaveFailed.text(lang)),
                    error: true,
                });
            }
        }
    }

    /// New roster data: shown in place, keeping filters and the selected student.
    pub fn set_data(&mut self, data: RosterIndex) {
        let snap = &data.snapshot;
        let empty = if snap.student_count == 0 && snap.entries.is_empty() {
            Some(EmptyKind::NoStudents)
        } else if let Some(why) = &snap.policy_error {
            Some(EmptyKind::BadPolicy(why.clone()))
        } else if snap.policy.is_none() {
            Some(EmptyKind::NoPolicy)
        } else if snap.term.is_none() {
            Some(EmptyKind::NoGrades)
        } else {
            None
        };
        let data = Arc::new(data);
        let body = self.body();
        match (empty, &mut self.base) {
            (Some(kind), _) => {
                self.base = Base::Empty(kind);
                if self.stack.iter().any(|l| matches!(l, Layer::Student(_))) {
                    self.requests.push(Request::CloseStudent);
                }
                // A form waiting for its write stays: its answer is still coming.
                self.stack
                    .retain(|l| matches!(l, Layer::Help(_) | Layer::Form(_)));
            }
            (None, Base::Roster(r)) => r.replace_data(data.clone()),
            (None, Base::Empty(_)) => {
                self.base = Base::Roster(Box::new(RosterScreen::new(data.clone(), body)))
            }
        }
        for layer in &mut self.stack {
            match layer {
                Layer::Student(s) => {
                    s.set_data(data.clone());
                    s.rebuild(body, self.opts.lang, &self.opts.theme);
                }
                Layer::Agenda(a) => a.set_data(data.clone()),
                _ => {}
            }
        }
    }

    /// A student page's data from the loader (None: the student is gone).
    pub fn set_student(&mut self, id: &str, detail: Option<StudentDetail>) {
        let body = self.body();
        for layer in &mut self.stack {
            if let Layer::Student(s) = layer
                && s.id() == id
            {
                s.set_detail(detail.clone());
                s.rebuild(body, self.opts.lang, &self.opts.theme);
            }
        }
    }
}

/// How many courses a rule of the policy cannot see (no nature, no assessment): said once
/// on the status line when the roster loads, as `evaluate` says it on standard error.
fn unseen_notice(
    entries: &[crate::tui::model::RosterEntry],
    lang: crate::locale::Lang,
) -> Option<String> {
    let (n, a) = entries.iter().fold((0u64, 0u64), |(n, a), e| {
        (
            n + u64::from(e.eval.unseen.nature),
            a + u64::from(e.eval.unseen.assessment),
        )
    });
    (n + a > 0).then(|| match lang {
        crate::locale::Lang::Zh => format!(
            "注意：{n} 门次课程无可识别的课程性质、{a} 门次无考核方式，相关规则看不到它们（yujing nature list）"
        ),
        crate::locale::Lang::En => format!(
            "note: {n} course entries without a readable nature and {a} without an assessment are unseen by rules that filter on them (yujing nature list)"
        ),
    })
}
