//! What CLI tests share: a throwaway database and the real binary, run as a user would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub fn fixture(dir: &str, name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(dir)
        .join(name)
        .display()
        .to_string()
}

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("t.db")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("yujing").unwrap();
        c.env_remove("YUJING_DB")
            .env_remove("YUJING_TODAY")
            // The evaluation cache goes where the test's files go, not into the user's home.
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        c.arg("--db").arg(self.db());
        c
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects success; returns (stdout, stderr).
    pub fn ok2(&self, args: &[&str]) -> (String, String) {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Runs and expects exit status 1; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().code(1).get_output().clone();
        String::from_utf8(out.stderr).unwrap()
    }

    /// Writes a file into the test's folder; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }

    pub fn json(&self, args: &[&str]) -> Vec<Value> {
        let mut a = vec!["evaluate", "--format", "json"];
        a.extend_from_slice(args);
        serde_json::from_str::<Vec<Value>>(&self.ok(&a)).unwrap()
    }

    /// One student's evaluation.
    pub fn student(&self, id: &str, args: &[&str]) -> Value {
        self.json(args)
            .into_iter()
            .find(|o| o["student_id"] == id)
            .unwrap_or_else(|| panic!("no student {id}"))
    }
}

/// A file of the bundled sample set.
pub fn sample(name: &str) -> String {
    fixture("samples", name)
}

/// The yujing binary on database `db`, in the C locale (English messages).
pub fn yujing(db: &Path) -> Command {
    let mut c = Command::cargo_bin("yujing").unwrap();
    let cache = db.parent().unwrap_or(Path::new(".")).join("cache");
    c.env_remove("YUJING_DB")
        .env("XDG_CACHE_HOME", cache)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--db")
        .arg(db);
    c
}

/// Every row of every table of the database at `db`, sorted: its content, to compare.
pub fn dump(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join(" | "))
            })
            .unwrap();
        for r in rows {
            out.push(format!("{t}: {}", r.unwrap()));
        }
    }
    out.sort();
    out
}
