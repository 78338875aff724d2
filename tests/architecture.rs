//! The import rules of ARCHITECTURE.md, checked on the source: each top-level module may use
//! only the modules its row names, and no two files of one folder use each other in a circle.
//! A new `use` that breaks a layer fails here, naming the file and the line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → the modules it may use. Keep in step with ARCHITECTURE.md.
const RULES: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("locale", &["text"]),
    ("os", &[]),
    ("cells", &["locale", "text"]),
    ("model", &["locale", "text"]),
    ("schedule", &["model", "locale", "text"]),
    ("policy", &["model", "locale", "text"]),
    // A file a user names is opened with the user's rights (os::as_user), never the group's.
    ("import", &["model", "os", "locale", "text"]),
    ("outfile", &["os", "locale", "text"]),
    ("paper", &["model", "policy", "locale", "text"]),
    (
        "db",
        &[
            "model", "policy", "schedule", "paper", "outfile", "os", "locale", "text",
        ],
    ),
    ("policy_file", &["policy", "os", "locale", "text"]),
    (
        "app",
        &[
            "db",
            "import",
            "model",
            "policy",
            "policy_file",
            "schedule",
            "paper",
            "outfile",
            "os",
            "cells",
            "locale",
            "text",
        ],
    ),
    (
        "analysis",
        &[
            "app", "db", "model", "paper", "policy", "schedule", "cells", "outfile", "locale",
            "text",
        ],
    ),
    ("i18n", &["model", "schedule", "policy", "locale", "text"]),
    (
        "tui",
        &[
            "app",
            "analysis",
            "db",
            "i18n",
            "model",
            "paper",
            "policy",
            "policy_file",
            "schedule",
            "os",
            "locale",
            "text",
        ],
    ),
    (
        "cli",
        &[
            "app",
            "analysis",
            "db",
            "i18n",
            "import",
            "model",
            "paper",
            "policy",
            "policy_file",
            "schedule",
            "tui",
            "cells",
            "outfile",
            "os",
            "locale",
            "text",
        ],
    ),
];

struct File {
    /// Path under src/, e.g. `db/grades.rs`.
    rel: String,
    /// The code before its `#[cfg(test)]` module: tests may reach anywhere.
    code: String,
}

fn sources(dir: &Path, out: &mut Vec<File>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let rel = p
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(File { rel, code });
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn top(rel: &str) -> &str {
    let first = rel.split('/').next().unwrap();
    first.strip_suffix(".rs").unwrap_or(first)
}

/// Every `crate::NAME` in code (not in comments), with its line number.
fn crate_refs(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_module_uses_only_what_its_layer_allows() {
    let rules: BTreeMap<&str, BTreeSet<&str>> = RULES
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut broken = Vec::new();
    for f in &files {
        let module = top(&f.rel);
        if matches!(module, "lib" | "main") {
            continue;
        }
        let Some(allowed) = rules.get(module) else {
            broken.push(format!(
                "src/{}: module `{module}` has no row in RULES (and ARCHITECTURE.md)",
                f.rel
            ));
            continue;
        };
        for (line, used) in crate_refs(&f.code) {
            if used != module && !allowed.contains(used.as_str()) {
                broken.push(format!("src/{}:{line}: `{module}` uses `{used}`", f.rel));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layer rules broken:\n{}",
        broken.join("\n")
    );
}

/// The names in `names` that `code` reaches through one of `prefixes` (`super::x`,
/// `crate::db::x`, or a group `super::{x, y::Z}`).
fn refs_to(code: &str, prefixes: &[String], names: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for prefix in prefixes {
            let mut rest = line;
            while let Some(i) = rest.find(prefix.as_str()) {
                let after = &rest[i + prefix.len()..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if names.contains(&name) {
                    out.insert(name);
                }
                if let Some(group) = after.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    for item in group.split(',') {
                        let item = item.trim().split("::").next().unwrap_or("").trim();
                        if names.contains(item) {
                            out.insert(item.to_string());
                        }
                    }
                }
                rest = after;
            }
        }
    }
    out
}

/// Folder → its parts (files, and subfolders as one part each) → the parts each one uses.
/// The folder's own mod.rs is left out: children using their parent's items is how a module
/// is built.
fn folder_graphs(files: &[File]) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for f in files {
        let mut parts: Vec<&str> = f.rel.split('/').collect();
        parts.pop();
        for i in 1..=parts.len() {
            dirs.insert(parts[..i].join("/"));
        }
    }
    let mut out = BTreeMap::new();
    for dir in dirs {
        let inside: Vec<(&File, String, usize)> = files
            .iter()
            .filter_map(|f| {
                let inner = f.rel.strip_prefix(&format!("{dir}/"))?;
                if inner == "mod.rs" {
                    return None;
                }
                let part = inner.split('/').next()?;
                // How deep below `dir` the file's own module sits (a subfolder's mod.rs is 1).
                let depth = inner.matches('/').count() + usize::from(!inner.ends_with("mod.rs"));
                Some((
                    f,
                    part.strip_suffix(".rs").unwrap_or(part).to_string(),
                    depth,
                ))
            })
            .collect();
        let names: BTreeSet<String> = inside.iter().map(|(_, p, _)| p.clone()).collect();
        if names.len() < 2 {
            continue;
        }
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (f, part, depth) in &inside {
            let prefixes = vec![
                format!("crate::{}::", dir.replace('/', "::")),
                format!("{}::", vec!["super"; *depth].join("::")),
            ];
            let mut uses = refs_to(&f.code, &prefixes, &names);
            uses.remove(part);
            graph.entry(part.clone()).or_default().extend(uses);
        }
        out.insert(dir, graph);
    }
    out
}

#[test]
fn no_two_parts_of_a_folder_use_each_other_in_a_circle() {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut cycles = Vec::new();
    for (dir, graph) in folder_graphs(&files) {
        let mut reported = BTreeSet::new();
        for a in graph.keys() {
            if let Some(path) = path_back(&graph, a) {
                let members: BTreeSet<String> = path.iter().cloned().collect();
                if reported.insert(members) {
                    cycles.push(format!("src/{dir}: {}", path.join(" → ")));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// A path from `start` back to itself, if there is one.
fn path_back(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut p = path.clone();
                p.push(start.to_string());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn the_checks_see_what_they_claim_to() {
    // The scanners themselves: a rule check that reads nothing would pass everything.
    let refs =
        crate_refs("use crate::db::Db; // crate::tui in a comment\nlet x = crate::model::Term;");
    assert_eq!(refs, vec![(1, "db".to_string()), (2, "model".to_string())]);
    let names: BTreeSet<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    let prefixes = vec!["crate::db::".to_string(), "super::".to_string()];
    let got = refs_to(
        "use super::{b, c::X};\nuse crate::db::d::Y;\nuse super::Db; // super::a",
        &prefixes,
        &names,
    );
    assert_eq!(got, BTreeSet::from(["b", "c", "d"].map(String::from)));
    let files = vec![
        File {
            rel: "tui/forms/mod.rs".into(),
            code: "use super::screens::X;".into(),
        },
        File {
            rel: "tui/forms/log.rs".into(),
            code: "use super::super::labels::Y;".into(),
        },
        File {
            rel: "tui/screens/mod.rs".into(),
            code: "use crate::tui::forms::Z;".into(),
        },
        File {
            rel: "tui/labels.rs".into(),
            code: String::new(),
        },
    ];
    let graphs = folder_graphs(&files);
    let tui = &graphs["tui"];
    assert_eq!(
        tui["forms"],
        BTreeSet::from(["screens", "labels"].map(String::from))
    );
    assert_eq!(tui["screens"], BTreeSet::from(["forms".to_string()]));
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(path_back(&graph, "a").unwrap(), vec!["a", "b", "a"]);
    assert!(path_back(&graph, "c").is_none());
}
