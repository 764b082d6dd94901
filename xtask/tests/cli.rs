//! Runs the xtask binary against temporary copies of the repo's schemas/.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn pinned_doc() -> String {
    fs::read_to_string(Path::new(REPO).join("schemas/webhook_events.md")).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temp workspace root holding a copy of the repo's schemas/ and of the
/// generated code made from them.
fn root_copy() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(REPO).join("schemas"),
        &root.path().join("schemas"),
    );
    fs::create_dir(root.path().join("src")).unwrap();
    fs::copy(
        Path::new(REPO).join("src/generated.rs"),
        root.path().join("src/generated.rs"),
    )
    .unwrap();
    root
}

/// Every file under `root`, by relative path.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if !path.starts_with(base.join("docs")) {
                out.insert(
                    path.strip_prefix(base).unwrap().to_owned(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env_remove("XTASK_ROOT")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes a doc outside schemas/ (under `docs/`, which snapshots skip).
fn write_doc(root: &Path, name: &str, text: &str) -> String {
    let dir = root.join("docs");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The pinned doc with TaskDetails.target_timeout's type changed wherever
/// TaskDetails is defined (the task_created schema and the envelope), as an
/// upstream regeneration would change it.
fn doc_with_changed_field() -> String {
    let old = "\"title\": \"Target Timeout\",\n                    \"type\": \"integer\"";
    let new = "\"title\": \"Target Timeout\",\n                    \"type\": \"string\"";
    let doc = pinned_doc();
    assert!(doc.contains(old));
    doc.replace(old, new)
}

#[test]
fn check_passes_on_the_committed_schemas() {
    let root = root_copy();
    let out = xtask(root.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn check_names_the_changed_field_and_the_fix() {
    let root = root_copy();
    let doc = write_doc(root.path(), "changed.md", &doc_with_changed_field());
    let before = snapshot(root.path());
    let out = xtask(root.path(), &["check", "--doc", &doc]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("schemas/events/task_created.schema.json was not up-to-date"),
        "{text}"
    );
    assert!(
        text.contains("/definitions/TaskDetails/properties/target_timeout/type changed: \"integer\" -> \"string\""),
        "{text}"
    );
    assert!(
        text.contains(&format!("run `cargo xtask regen --doc {doc}`")),
        "{text}"
    );
    assert_eq!(snapshot(root.path()), before, "check wrote something");
}

#[test]
fn check_json_format_carries_the_drift_report() {
    let root = root_copy();
    let doc = write_doc(root.path(), "changed.md", &doc_with_changed_field());
    let out = xtask(root.path(), &["check", "--doc", &doc, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["in_sync"], false);
    assert_eq!(report["drift"]["bump"], "major");
    assert_eq!(report["drift"]["changes"][0]["subject"], "TaskDetails");
    assert_eq!(report["drift"]["changes"][0]["kind"], "type_changed");
}

#[test]
fn check_fails_when_provenance_does_not_match_the_doc() {
    let root = root_copy();
    let path = root.path().join("schemas/webhook_events.md");
    let mut doc = fs::read(&path).unwrap();
    doc.extend_from_slice(b"\nA trailing note.\n");
    fs::write(&path, doc).unwrap();
    let out = xtask(root.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("schemas/webhook_events.md has sha256"),
        "{text}"
    );
    assert!(
        text.contains("but schemas/provenance.json records"),
        "{text}"
    );
}

#[test]
fn broken_fence_exits_2_naming_the_line_and_regen_changes_nothing() {
    let root = root_copy();
    let doc = pinned_doc();
    // Doc line 36 is `"duration": 1,` in task_created's example.
    assert_eq!(doc.lines().nth(35).unwrap().trim(), "\"duration\": 1,");
    let broken = doc.replacen("\"duration\": 1,", "\"duration\": 1,,", 1);
    let path = write_doc(root.path(), "broken.md", &broken);
    let before = snapshot(root.path());

    let out = xtask(root.path(), &["check", "--doc", &path]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("doc line 36 column"), "{err}");
    assert!(err.contains("`### task_created` > `#### Example`"), "{err}");

    let out = xtask(root.path(), &["regen", "--doc", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("doc line 36 column"));
    assert_eq!(snapshot(root.path()), before);
}

#[test]
fn regen_of_the_same_doc_changes_no_byte() {
    let root = root_copy();
    let committed = snapshot(root.path());
    for _ in 0..2 {
        let out = xtask(root.path(), &["regen"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("0 added, 0 changed, 0 removed"));
        assert_eq!(snapshot(root.path()), committed);
    }
}

#[test]
fn regen_recovers_an_interrupted_swap_to_the_old_tree() {
    let root = root_copy();
    let committed = snapshot(root.path());
    // A run stopped between its two renames: schemas/ moved aside, the
    // new tree staged (here: incomplete).
    fs::rename(root.path().join("schemas"), root.path().join("schemas.old")).unwrap();
    fs::create_dir_all(root.path().join("schemas.new/events")).unwrap();
    fs::write(root.path().join("schemas.new/events/ping.schema.json"), "{").unwrap();
    let out = xtask(root.path(), &["regen"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("restored schemas/"));
    assert_eq!(snapshot(root.path()), committed);
}

/// Serves `body` once on a loopback port; returns the URL.
fn serve_once(body: String) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/webhook_events.md",
        listener.local_addr().unwrap()
    );
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/markdown\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
    });
    (url, handle)
}

#[test]
fn regen_from_a_url_records_it_and_reports_drift() {
    let root = root_copy();
    let doc = doc_with_changed_field();
    let (url, server) = serve_once(doc.clone());
    let out = xtask(
        root.path(),
        &["regen", "--doc", &url, "--upstream-commit", "0123abc"],
    );
    server.join().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    // The doc, provenance, both schemas holding TaskDetails, and the types.
    assert!(text.contains("0 added, 5 changed, 0 removed"), "{text}");
    assert!(text.contains("Changed src/generated.rs"), "{text}");
    assert!(
        text.contains("[Major] TaskDetails at /properties/target_timeout/type"),
        "{text}"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("schemas/webhook_events.md")).unwrap(),
        doc
    );
    let provenance: serde_json::Value =
        serde_json::from_slice(&fs::read(root.path().join("schemas/provenance.json")).unwrap())
            .unwrap();
    assert_eq!(provenance["source"], url.as_str());
    assert_eq!(provenance["upstream_commit"], "0123abc");
    // The URL's doc is now pinned: a plain check agrees with the tree.
    let out = xtask(root.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn usage_errors_exit_2() {
    let root = root_copy();
    for args in [
        &["bogus"][..],
        &["check", "--format", "yaml"],
        &["regen", "--format", "json"],
        &["check", "--doc"],
    ] {
        let out = xtask(root.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("usage:"), "{args:?}");
    }
}

fn fixture(name: &str) -> String {
    format!("{REPO}/tests/fixtures/{name}")
}

#[test]
fn fixture_docs_regen_and_then_check_clean() {
    for (name, events) in [("v2_more_events.md", 6), ("v3_keywords.md", 4)] {
        let root = root_copy();
        let out = xtask(root.path(), &["regen", "--doc", &fixture(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(&format!("{events} events, ")),
            "{name}: {}",
            stdout(&out)
        );
        let out = xtask(root.path(), &["check"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
    }
}

#[test]
fn drift_from_the_pinned_doc_to_v2() {
    let root = root_copy();
    let out = xtask(
        root.path(),
        &[
            "check",
            "--doc",
            &fixture("v2_more_events.md"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let drift = &report["drift"];
    assert_eq!(drift["bump"], "major");
    let changes = drift["changes"].as_array().unwrap();
    let has = |expected: serde_json::Value| {
        changes.iter().any(|c| {
            expected
                .as_object()
                .unwrap()
                .iter()
                .all(|(k, v)| &c[k] == v)
        })
    };
    assert!(has(
        serde_json::json!({"kind": "title_renamed", "old": "WebhookEventTaskCreated", "new": "EventTaskCreated", "bump": "major"})
    ));
    assert!(has(
        serde_json::json!({"kind": "field_added", "subject": "WebhookMessage", "field": "instance_id", "required": true, "bump": "major"})
    ));
    assert!(has(
        serde_json::json!({"kind": "field_added", "subject": "WebhookMessage", "field": "instance_name", "required": true})
    ));
    assert!(has(
        serde_json::json!({"kind": "event_type_added", "subject": "job_created", "bump": "minor"})
    ));
    assert!(has(
        serde_json::json!({"kind": "event_type_added", "subject": "node_heartbeat"})
    ));
    assert!(has(
        serde_json::json!({"kind": "enum_value_removed", "subject": "TaskType", "value": "libfuzzer_coverage"})
    ));
}

#[test]
fn drift_from_the_pinned_doc_to_v3() {
    let root = root_copy();
    let args = [
        "check",
        "--doc",
        &fixture("v3_keywords.md"),
        "--format",
        "json",
    ];
    let out = xtask(root.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = report["drift"]["changes"].as_array().unwrap().clone();
    let has = |expected: serde_json::Value| {
        let expected = expected.as_object().unwrap().clone();
        changes
            .iter()
            .any(|c| expected.iter().all(|(k, v)| &c[k] == v))
    };
    // The integer enum became a plain integer.
    assert!(has(
        serde_json::json!({"kind": "type_changed", "subject": "ErrorCode", "new": "integer", "bump": "major"})
    ));
    assert!(has(
        serde_json::json!({"kind": "event_type_removed", "subject": "task_stopped", "bump": "major"})
    ));
    assert!(has(
        serde_json::json!({"kind": "event_type_added", "subject": "node_state_updated", "bump": "minor"})
    ));
    assert!(has(
        serde_json::json!({"kind": "event_type_enum_renamed", "old": "WebhookEventType", "new": "EventType", "bump": "patch"})
    ));
    // Closed event objects change no Rust type.
    assert!(has(
        serde_json::json!({"kind": "keyword_changed", "subject": "EventPing", "keyword": "additionalProperties", "bump": "patch"})
    ));
    assert!(has(
        serde_json::json!({"kind": "field_added", "subject": "EventTaskCreated", "field": "created_at", "required": true, "bump": "major"})
    ));
}

/// The pinned doc with the section of `heading` (up to the next `### ` or
/// `## ` heading) passed through `edit`.
fn edit_section(heading: &str, edit: impl Fn(&str) -> String) -> String {
    let doc = pinned_doc();
    let start = doc.find(heading).unwrap();
    let end = start
        + heading.len()
        + doc[start + heading.len()..]
            .find("\n## ")
            .into_iter()
            .chain(doc[start + heading.len()..].find("\n### "))
            .min()
            .unwrap();
    format!("{}{}{}", &doc[..start], edit(&doc[start..end]), &doc[end..])
}

/// Each row of the xtask part of docs/bad-input.md: regen exits 2 with a
/// message naming where the problem is, and changes no file.
#[test]
fn bad_docs_fail_with_a_located_message_and_change_nothing() {
    let doc = pinned_doc();
    let cases: Vec<(&str, String, &str)> =
        vec![
        (
            "truncated doc",
            doc[..15000].to_owned(),
            "doc line 540 column 8: invalid JSON in `### task_failed` > `#### Schema`",
        ),
        (
            "duplicate event section",
            edit_section("### ping", |s| format!("{s}\n{s}")),
            "event section `### ping` appears twice (first at line 639)",
        ),
        (
            "event missing its schema",
            edit_section("### ping", |s| s[..s.find("#### Schema").unwrap()].to_owned()),
            "doc line 639: no json fence for `### ping` > `#### Schema`",
        ),
        (
            "conflicting definitions",
            edit_section("### task_stopped", |s| {
                s.replace("\"title\": \"Upn\"", "\"title\": \"User Principal Name\"")
            }),
            "doc line 462: definition `UserInfo` in the schema of event `task_stopped` differs",
        ),
        (
            "unsupported keyword",
            doc.replace(
                "\"pool_name\": {\n",
                "\"pool_name\": {\n\"not\": {\"type\": \"null\"},\n",
            ),
            "/definitions/TaskPool/properties/pool_name/not: unsupported JSON Schema keyword `not`",
        ),
    ];
    for (case, text, expected) in cases {
        let root = root_copy();
        let path = write_doc(root.path(), "bad.md", &text);
        let before = snapshot(root.path());
        for command in ["regen", "check"] {
            let out = xtask(root.path(), &[command, "--doc", &path]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{case}: {command}: {err}");
            assert!(err.contains(expected), "{case}: {command}: {err}");
        }
        assert_eq!(snapshot(root.path()), before, "{case}: files changed");
    }
}
