//! The loader thread: owns the data source, answers requests, and polls the source's
//! version so that changes made by another process show up within a poll interval.
//! Requests that pile up are collapsed: only the newest student page is loaded. Writes are
//! never collapsed: each is applied in order and answered, and the views reload at once.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::event::{Event, Loaded};
use super::model::{DataSource, WriteOp};
use super::roster_index::RosterIndex;

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Snapshot,
    /// Load this student's page and keep it fresh while it is open.
    Student(String),
    CloseStudent,
    /// Compute the term-end analysis for the `r` screen.
    Report,
    /// Store a change; answered by `Loaded::Written` with the same id.
    Write {
        id: u64,
        op: WriteOp,
    },
    Stop,
}

pub fn spawn(
    source: Box<dyn DataSource + Send>,
    poll: Duration,
    requests: Receiver<Request>,
    events: Sender<Event>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("yujing-loader".into())
        .spawn(move || {
            Loader {
                source,
                loaded: None,
                open: None,
            }
            .run(poll, &requests, &events)
        })
}

struct Loader {
    source: Box<dyn DataSource + Send>,
    /// Version of the last snapshot sent.
    loaded: Option<u64>,
    open: Option<String>,
}

impl Loader {
    fn run(mut self, poll: Duration, requests: &Receiver<Request>, events: &Sender<Event>) {
        loop {
            let first = match requests.recv_timeout(poll) {
                Ok(r) => Some(r),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let (mut want_snapshot, mut want_student, mut want_report) = (false, false, false);
            let mut written = Vec::new();
            for r in first.into_iter().chain(requests.try_iter()) {
                match r {
                    Request::Snapshot => want_snapshot = true,
                    Request::Student(id) => {
                        self.open = Some(id);
                        want_student = true;
                    }
                    Request::CloseStudent => {
                        self.open = None;
                        want_student = false;
                    }
                    Request::Report => want_report = true,
                    Request::Write { id, op } => {
                        let result = self.source.write(&op).map_err(|e| format!("{e:#}"));
                        // Reload even after a failure: part of it may have been stored.
                        want_snapshot = true;
                        want_student |= self.open.is_some();
                        written.push(Loaded::Written { id, result });
                    }
                    Request::Stop => return,
                }
            }
            let version = self.source.version();
            if self.loaded != Some(version) {
                want_snapshot = true;
                want_student |= self.open.is_some();
            }
            let mut out = Vec::new();
            if want_snapshot {
                let _load = tracing::debug_span!("load", version).entered();
                let progress = |done, total| {
                    let _ = events.send(Event::Loaded(Loaded::Progress { done, total }));
                };
                out.push(match self.source.snapshot_with_progress(&progress) {
                    Ok(s) => {
                        self.loaded = Some(version);
                        Loaded::Data(Box::new(RosterIndex::build(s, version)))
                    }
                    Err(e) => Loaded::Error(format!("{e:#}")),
                });
            }
            if let Some(id) = self.open.as_ref().filter(|_| want_student) {
                out.push(match self.source.student(id) {
                    Ok(d) => Loaded::Student {
                        id: id.clone(),
                        detail: d.map(Box::new),
                    },
                    Err(e) => Loaded::Error(format!("{e:#}")),
                });
            }
            if want_report {
                out.push(Loaded::Report(
                    self.source
                        .report()
                        .map(|r| r.map(Box::new))
                        .map_err(|e| format!("{e:#}")),
                ));
            }
            // The views first, then the answers: a form closes on a screen already updated.
            for l in out.into_iter().chain(written) {
                if events.send(Event::Loaded(l)).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc::channel;

    use chrono::NaiveDate;

    use super::*;
    use crate::tui::fake_source::FakeSource;
    use crate::tui::model::{Snapshot, StudentDetail};

    fn snapshot(count: usize) -> Snapshot {
        Snapshot {
            student_count: count,
            today: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            ..Snapshot::default()
        }
    }

    struct Shared(Arc<FakeSource>);
    impl DataSource for Shared {
        fn version(&self) -> u64 {
            self.0.version()
        }
        fn snapshot(&self) -> anyhow::Result<Snapshot> {
            self.0.snapshot()
        }
        fn student(&self, id: &str) -> anyhow::Result<Option<StudentDetail>> {
            self.0.student(id)
        }
        fn write(&mut self, op: &WriteOp) -> anyhow::Result<i64> {
            self.0.apply(op)
        }
    }

    fn next_data(rx: &Receiver<Event>) -> Box<RosterIndex> {
        loop {
            match rx
                .recv_timeout(Duration::from_secs(20))
                .expect("loader answers")
            {
                Event::Loaded(Loaded::Data(d)) => return d,
                _ => continue,
            }
        }
    }

    #[test]
    fn reloads_when_the_version_changes() {
        let fake = Arc::new(FakeSource::new(snapshot(1), vec![]));
        let (req_tx, req_rx) = channel();
        let (ev_tx, ev_rx) = channel();
        let handle = spawn(
            Box::new(Shared(fake.clone())),
            Duration::from_millis(20),
            req_rx,
            ev_tx,
        )
        .unwrap();
        req_tx.send(Request::Snapshot).unwrap();
        assert_eq!(next_data(&ev_rx).snapshot.student_count, 1);
        fake.replace(snapshot(7));
        // No request: the version poll alone brings the new data.
        assert_eq!(next_data(&ev_rx).snapshot.student_count, 7);
        req_tx.send(Request::Stop).unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn a_write_is_answered_after_the_reload_it_causes() {
        use crate::model::ContactKind;
        use crate::model::{Channel, Contact};
        use crate::tui::model::RosterEntry;

        let at = NaiveDate::from_ymd_opt(2025, 3, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap();
        let mut snap = snapshot(1);
        snap.entries.push(RosterEntry {
            student: crate::model::Student {
                student_id: "S1".into(),
                ..Default::default()
            },
            eval: crate::policy::Evaluation::none("S1", crate::model::Term { year: 2024, n: 1 }),
            last_contact: None,
            followup: None,
            exempt: None,
        });
        let fake = Arc::new(FakeSource::new(snap, vec![]));
        let (req_tx, req_rx) = channel();
        let (ev_tx, ev_rx) = channel();
        // A long poll: only the write itself can cause the reload seen here.
        let handle = spawn(
            Box::new(Shared(fake.clone())),
            Duration::from_secs(3600),
            req_rx,
            ev_tx,
        )
        .unwrap();
        req_tx.send(Request::Snapshot).unwrap();
        assert_eq!(next_data(&ev_rx).snapshot.entries[0].last_contact, None);
        let contact = |student: &str| Contact {
            channel: Channel::Phone,
            ..Contact::new(student, at, "t", ContactKind::Talk)
        };
        req_tx
            .send(Request::Write {
                id: 7,
                op: WriteOp::LogContact {
                    contact: contact("S1"),
                    confidential: false,
                },
            })
            .unwrap();
        assert_eq!(
            next_data(&ev_rx).snapshot.entries[0].last_contact,
            Some(at.date())
        );
        match ev_rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Event::Loaded(Loaded::Written { id: 7, result })) => assert_eq!(result, Ok(1)),
            _ => panic!("the write is answered"),
        }
        req_tx
            .send(Request::Write {
                id: 8,
                op: WriteOp::LogContact {
                    contact: contact("nobody"),
                    confidential: false,
                },
            })
            .unwrap();
        let answer = loop {
            match ev_rx.recv_timeout(Duration::from_secs(20)) {
                Ok(Event::Loaded(Loaded::Written { id, result })) => break (id, result),
                Ok(_) => continue,
                Err(e) => panic!("no answer: {e}"),
            }
        };
        assert_eq!(answer, (8, Err("unknown student id 'nobody'".to_string())));
        assert_eq!(fake.writes().len(), 1);
        req_tx.send(Request::Stop).unwrap();
        handle.join().unwrap();
    }
}
