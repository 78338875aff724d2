//! Helpers shared by the import tests.
// Each test binary that includes this module uses only some of it.
#![allow(dead_code)]

use std::path::Path;

/// A file of the bundled sample set.
pub fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/samples")
        .join(name)
        .display()
        .to_string()
}

/// The yujing binary on database `db`, in the C locale (English messages).
pub fn yujing(db: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("yujing").unwrap();
    c.env_remove("YUJING_DB")
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
