//! The loader thread: owns the data source, answers requests, and polls the source's
//! version so that changes made by another process show up within a poll interval.
//! Requests that pile up are collapsed: only the newest student page is loaded.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::data::{DataSource, StudentDetail};
use super::event::Event;
use super::roster_data::RosterData;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Snapshot,
    /// Load this student's page and keep it fresh while it is open.
    Student(String),
    CloseStudent,
    Stop,
}

pub enum Loaded {
    Data(Box<RosterData>),
    Student {
        id: String,
        detail: Option<Box<StudentDetail>>,
    },
    Error(String),
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
            let (mut want_snapshot, mut want_student) = (false, false);
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
                out.push(match self.source.snapshot() {
                    Ok(s) => {
                        self.loaded = Some(version);
                        Loaded::Data(Box::new(RosterData::build(s, version)))
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
            for l in out {
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
    use crate::tui::data::{FakeSource, Snapshot};

    fn snapshot(count: usize) -> Snapshot {
        Snapshot {
            policy: None,
            term: None,
            entries: vec![],
            student_count: count,
            today: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
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
    }

    fn next_data(rx: &Receiver<Event>) -> Box<RosterData> {
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
}
