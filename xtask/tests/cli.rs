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

/// The JSON-pointer line of the raw diff for `doc_with_changed_field`.
const RAW_DIFFERENCE: &str =
    "    /definitions/TaskDetails/properties/target_timeout/type changed: \"integer\" -> \"string\"";

#[test]
fn check_puts_the_verdict_first_then_the_changed_field_then_the_files_and_the_fix() {
    let root = root_copy();
    let doc = write_doc(root.path(), "changed.md", &doc_with_changed_field());
    let before = snapshot(root.path());
    let out = xtask(root.path(), &["check", "--doc", &doc]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Major: 1, Minor: 0, Patch: 0 — the next release needs a major version bump",
            "TaskDetails",
            "  [Major] `target_timeout`: type `Option<i64>` → `Option<String>` (schema: type `integer` →",
        ],
        "{text}"
    );
    assert_eq!(lines[3], "          `string`)", "{text}");
    assert!(
        lines.contains(
            &"schemas/events/task_created.schema.json was not up-to-date (1 JSON difference)"
        ),
        "{text}"
    );
    assert!(!text.contains(RAW_DIFFERENCE), "{text}");
    assert_eq!(
        lines.last(),
        Some(&format!("schemas/ is not up-to-date: run `cargo xtask regen --doc {doc}`").as_str()),
        "{text}"
    );
    assert_eq!(snapshot(root.path()), before, "check wrote something");

    let out = xtask(root.path(), &["check", "--doc", &doc, "--verbose"]);
    let verbose = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{verbose}");
    assert!(verbose.starts_with(lines[0]), "{verbose}");
    assert!(verbose.contains(RAW_DIFFERENCE), "{verbose}");
}

#[test]
fn check_json_format_carries_verdict_counts_items_and_raw_differences() {
    let root = root_copy();
    let doc = write_doc(root.path(), "changed.md", &doc_with_changed_field());
    let out = xtask(root.path(), &["check", "--doc", &doc, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["in_sync"], false);
    assert_eq!(report["verdict"], "major");
    assert_eq!(
        report["counts"],
        serde_json::json!({"major": 1, "minor": 0, "patch": 0})
    );
    let item = &report["items"][0];
    assert_eq!(item["class"], "major");
    assert_eq!(item["item"], "TaskDetails");
    assert_eq!(item["member"], "target_timeout");
    assert_eq!(item["api"]["change"], "field_type_changed");
    assert_eq!(item["explanation"][0]["kind"], "type_changed");
    assert_eq!(item["explanation"][0]["new"], "string");
    let files = report["files"].as_array().unwrap();
    assert!(
        files.iter().any(|f| f["differences"][0]["pointer"]
            == "/definitions/TaskDetails/properties/target_timeout/type"),
        "{files:?}"
    );
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
        text.contains("  [Major] `target_timeout`: type `Option<i64>` → `Option<String>`"),
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

#[test]
fn help_prints_usage_and_exits_0() {
    let root = root_copy();
    for (args, names) in [
        (&["--help"][..], "cargo xtask check"),
        (&["-h"], "cargo xtask regen"),
        (&["help"], "cargo xtask help"),
        (&["help", "check"], "--verbose"),
        (&["check", "--help"], "--verbose"),
        (&["check", "--doc", "x.md", "-h"], "1 out of sync"),
        (&["regen", "--help"], "--upstream-commit"),
    ] {
        let out = xtask(root.path(), args);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(text.contains("usage:"), "{args:?}: {text}");
        assert!(text.contains(names), "{args:?}: {text}");
    }
    let regen = stdout(&xtask(root.path(), &["regen", "--help"]));
    assert!(!regen.contains("cargo xtask check"), "{regen}");
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

/// `check --format json` from the pinned doc to a fixture doc: its items.
fn drift_items(fixture_name: &str) -> Vec<serde_json::Value> {
    let root = root_copy();
    let args = ["check", "--doc", &fixture(fixture_name), "--format", "json"];
    let out = xtask(root.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "major");
    report["items"].as_array().unwrap().clone()
}

/// Whether some item has every member of `expected`; a key `why` is
/// looked for among the item's explanations instead.
fn has(items: &[serde_json::Value], expected: serde_json::Value) -> bool {
    let mut expected = expected.as_object().unwrap().clone();
    let why = expected.remove("why");
    items.iter().any(|item| {
        let explained = why.as_ref().is_none_or(|w| {
            item["explanation"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| w.as_object().unwrap().iter().all(|(k, v)| &e[k] == v))
        });
        explained && expected.iter().all(|(k, v)| &item[k] == v)
    })
}

#[test]
fn drift_from_the_pinned_doc_to_v2() {
    let items = drift_items("v2_more_events.md");
    let has = |expected| has(&items, expected);
    assert!(has(serde_json::json!({
        "item": "EventTaskCreated", "class": "major",
        "change": "renamed from `WebhookEventTaskCreated`",
        "why": {"kind": "title_renamed", "old": "WebhookEventTaskCreated", "new": "EventTaskCreated"}
    })));
    // Reported once, as the rename.
    assert!(!has(serde_json::json!({"item": "WebhookEventTaskCreated"})));
    assert!(has(serde_json::json!({
        "item": "WebhookMessage", "member": "instance_id", "class": "major",
        "why": {"kind": "field_added", "field": "instance_id", "required": true}
    })));
    assert!(has(
        serde_json::json!({"item": "WebhookMessage", "member": "instance_name"})
    ));
    assert!(has(serde_json::json!({
        "item": "WebhookEvent", "member": "JobCreated", "class": "minor",
        "why": {"kind": "event_type_added", "subject": "job_created"}
    })));
    assert!(has(
        serde_json::json!({"item": "WebhookEventType", "member": "NodeHeartbeat"})
    ));
    assert!(has(serde_json::json!({
        "item": "TaskType", "member": "LibfuzzerCoverage", "class": "major",
        "why": {"kind": "enum_value_removed", "value": "libfuzzer_coverage"}
    })));
}

#[test]
fn drift_from_the_pinned_doc_to_v3() {
    let items = drift_items("v3_keywords.md");
    let has = |expected| has(&items, expected);
    // The integer enum became a plain integer: its validation is gone.
    assert!(has(serde_json::json!({
        "item": "ErrorCode", "class": "major",
        "member": "TryFrom<i64, Error = ConversionError>",
        "why": {"kind": "type_changed", "new": "integer"}
    })));
    assert!(has(serde_json::json!({
        "item": "WebhookEvent", "member": "TaskStopped", "class": "major",
        "why": {"kind": "event_type_removed", "subject": "task_stopped"}
    })));
    assert!(has(serde_json::json!({
        "item": "WebhookEventType", "member": "NodeStateUpdated", "class": "minor",
        "why": {"kind": "event_type_added"}
    })));
    // Changes that change no Rust type are patches: the doc's event-type
    // enum name, and closed event objects.
    assert!(has(serde_json::json!({
        "class": "patch",
        "why": {"kind": "event_type_enum_renamed", "old": "WebhookEventType", "new": "EventType"}
    })));
    assert!(has(serde_json::json!({
        "item": "EventPing", "class": "patch",
        "why": {"kind": "keyword_changed", "keyword": "additionalProperties"}
    })));
    assert!(has(serde_json::json!({
        "item": "EventTaskCreated", "member": "created_at", "class": "major",
        "why": {"kind": "field_added", "field": "created_at", "required": true}
    })));
}

/// The text report of each fixture: the verdict on line 1, no line wider
/// than the report's width but the last, which holds the fix command with
/// the `--doc` path as given, and no JSON pointers without `--verbose`.
#[test]
fn fixture_reports_start_with_the_verdict_and_fit_the_terminal() {
    for name in ["v2_more_events.md", "v3_keywords.md"] {
        let root = root_copy();
        let doc = fixture(name);
        let text = stdout(&xtask(root.path(), &["check", "--doc", &doc]));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Major: "), "{name}: {text}");
        assert!(lines[0].ends_with("the next release needs a major version bump"));
        let (fix, report) = lines.split_last().unwrap();
        assert!(fix.contains(&format!("run `cargo xtask regen --doc {doc}`")));
        for line in report {
            assert!(line.chars().count() <= 100, "{name}: {line}");
            assert!(!line.starts_with("    /"), "{name}: raw difference {line}");
        }
        let verbose = stdout(&xtask(root.path(), &["check", "--doc", &doc, "--verbose"]));
        let raw: Vec<&str> = verbose.lines().filter(|l| l.starts_with("    /")).collect();
        assert!(!raw.is_empty(), "{name}: {verbose}");
        assert!(raw.iter().all(|l| l.chars().count() <= 100), "{name}");
    }
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
