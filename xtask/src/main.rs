//! `cargo xtask regen|check`: keeps `schemas/` in sync with the webhook
//! events doc. Exit codes: 0 in sync / written, 1 out of sync (check),
//! 2 usage or extraction error (nothing written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde_json::json;

use xtask::codegen;
use xtask::drift::SchemaSet;
use xtask::extract::{extract, Extracted};
use xtask::fetch;
use xtask::files::{self, FileChange, Outcome, Status};
use xtask::history::{self, Revision};
use xtask::join;
use xtask::layout::{self, Recovery};
use xtask::provenance::{self, Provenance};
use xtask::report::{self, Report};
use xtask::wire;

const REGEN_USAGE: &str =
    "cargo xtask regen [--doc PATH|URL [--upstream-commit SHA] [--date DATE]] [--root DIR]";
const CHECK_USAGE: &str = "cargo xtask check [--doc PATH|URL [--upstream-commit SHA] [--date DATE]] [--format text|json] [--verbose] [--root DIR]";
const ROOT_NOTE: &str = "--root (or XTASK_ROOT) is the workspace root holding schemas/.";

fn usage() -> String {
    format!(
        "usage:\n  {REGEN_USAGE}\n  {CHECK_USAGE}\n  {}\n  cargo xtask help [regen|check|bench]\n\n{ROOT_NOTE}",
        xtask::bench::USAGE
    )
}

fn bench_help() -> String {
    format!("usage: {}\n\n{}", xtask::bench::USAGE, xtask::bench::ABOUT)
}

fn command_help(command: &Command) -> String {
    let (line, what) = match command {
        Command::Regen => (
            REGEN_USAGE,
            "Rebuilds schemas/ and src/generated.rs from the join of every doc revision
in schemas/revisions/. With --doc (a path or an http(s) URL) it first adds
that doc as a revision: --upstream-commit and --date (when upstream
committed it: RFC 3339 or YYYY-MM-DD; default today) go into its
provenance.json. A doc already there changes nothing. Prints what changed
and the semver bump it needs.",
        ),
        Command::Check => (
            CHECK_USAGE,
            "Compares schemas/ and src/generated.rs with what regen would write (with
--doc: after adding that revision), and prints the semver verdict, the API
changes by type, and the files that differ; --verbose adds each file's JSON
differences. Exits 0 in sync, 1 out of sync, 2 on a usage or extraction error.",
        ),
    };
    format!("usage: {line}\n\n{what}\n\n{ROOT_NOTE}")
}

/// Prints to stdout, ignoring a closed pipe (`cargo xtask check | head`):
/// the output is for a reader who has stopped reading.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// [`say!`] without the newline.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Debug, PartialEq)]
enum Command {
    Regen,
    Check,
}

#[derive(Debug)]
struct Args {
    command: Command,
    doc: Option<String>,
    upstream_commit: Option<String>,
    date: Option<String>,
    json: bool,
    verbose: bool,
    root: PathBuf,
}

/// What the command line asks for: a run, or a help text to print.
#[derive(Debug)]
enum Parsed {
    Run(Args),
    Help(String),
}

fn is_help(arg: &str) -> bool {
    matches!(arg, "--help" | "-h" | "help")
}

fn default_root() -> PathBuf {
    std::env::var_os("XTASK_ROOT")
        .map(PathBuf::from)
        // `cargo run` sets CARGO_MANIFEST_DIR for the process too; reading it
        // at run time keeps a binary reused from a shared target dir working
        // on the workspace it was run in.
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(|dir| PathBuf::from(dir).join("..")))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed> {
    let command = match args.next().as_deref() {
        Some("regen") => Command::Regen,
        Some("check") => Command::Check,
        Some(arg) if is_help(arg) => {
            return Ok(Parsed::Help(match args.next().as_deref() {
                Some("regen") => command_help(&Command::Regen),
                Some("check") => command_help(&Command::Check),
                Some("bench") => bench_help(),
                _ => usage(),
            }))
        }
        Some(other) => bail!("unknown command `{other}`"),
        None => bail!("no command given"),
    };
    let mut parsed = Args {
        command,
        doc: None,
        upstream_commit: None,
        date: None,
        json: false,
        verbose: false,
        root: default_root(),
    };
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Parsed::Help(command_help(&parsed.command))),
            "--doc" => parsed.doc = Some(value()?),
            "--root" => parsed.root = PathBuf::from(value()?),
            "--upstream-commit" => parsed.upstream_commit = Some(value()?),
            "--date" => parsed.date = Some(value()?),
            "--format" if parsed.command == Command::Check => {
                parsed.json = match value()?.as_str() {
                    "json" => true,
                    "text" => false,
                    other => bail!("unknown format `{other}` (text or json)"),
                }
            }
            "--verbose" if parsed.command == Command::Check => parsed.verbose = true,
            other => bail!("unknown argument `{other}`"),
        }
    }
    Ok(Parsed::Run(parsed))
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("bench") {
        if std::env::args()
            .skip(2)
            .any(|arg| matches!(arg.as_str(), "--help" | "-h"))
        {
            say!("{}", bench_help());
            return ExitCode::SUCCESS;
        }
        let result = xtask::bench::Options::parse(std::env::args().skip(2))
            .and_then(|options| xtask::bench::run(&default_root(), &options));
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        };
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help(text)) => {
            say!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let result = match args.command {
        Command::Regen => regen(&args).map(|()| ExitCode::SUCCESS),
        Command::Check => check(&args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })
}

/// The revisions in `schemas/revisions/`, plus the `--doc` one if given
/// and new; the second value is the id of the one added.
fn revisions(args: &Args) -> Result<(Vec<Revision>, Option<String>)> {
    let mut revisions = match history::load(&args.root) {
        Ok(revisions) => revisions,
        Err(history::HistoryError::Empty) if args.doc.is_some() => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let Some(arg) = &args.doc else {
        return Ok((revisions, None));
    };
    let doc = fetch::load(arg)?;
    let date = args.date.clone().unwrap_or_else(provenance::today);
    let record = Provenance::new(doc.as_bytes(), arg, args.upstream_commit.as_deref(), date);
    let revision = Revision::new(doc, record);
    let id = revision.id.clone();
    let added = history::add(&mut revisions, revision).then_some(id);
    Ok((revisions, added))
}

/// Each revision with what was extracted from it, the files regen writes,
/// and the joined schemas.
type Plan = (Vec<(Revision, Extracted)>, files::FileSet, SchemaSet);

/// Extracts every revision, joins them and plans the files; shared by
/// regen and check. Also returns the joined schemas, which the drift report
/// compares with the disk's.
fn plan(args: &Args) -> Result<Plan> {
    let (revisions, added) = revisions(args)?;
    let mut extracted = Vec::new();
    let mut sets = Vec::new();
    for revision in revisions {
        let label = match (&args.doc, &added) {
            (Some(arg), Some(id)) if *id == revision.id => arg.clone(),
            _ => revision.dir().join(history::DOC_FILE).display().to_string(),
        };
        let ex = extract(&revision.doc).with_context(|| format!("{label} cannot be used"))?;
        // Checked per revision, so an error names the doc it comes from.
        let set = ex.schema_set();
        codegen::check_keywords(&set).with_context(|| format!("{label} cannot be used"))?;
        extracted.push((revision, ex));
        sets.push(set);
    }
    let labels = history::labels(extracted.iter().map(|(r, _)| r));
    let inputs: Vec<join::Input> = labels
        .iter()
        .zip(&sets)
        .map(|(label, set)| join::Input { label, set })
        .collect();
    let overlay_text = match std::fs::read_to_string(args.root.join(wire::OVERLAY)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", wire::OVERLAY)),
    };
    let overlay = wire::Overlay::read(overlay_text.as_deref())?;
    let joined = join::join(&inputs, &overlay)
        .context("the revisions and the wire overlay cannot be joined into one set of types")?;
    let code = codegen::generate(&joined)
        .context("the joined schemas cannot be turned into Rust types")?;
    let mut planned = files::planned_files(&extracted, &joined, &overlay);
    // An input, kept in the tree regen rewrites.
    if let Some(text) = overlay_text {
        planned.insert(wire::OVERLAY.into(), text.into_bytes());
    }
    planned.insert(files::GENERATED.into(), code.into_bytes());
    Ok((extracted, planned, joined))
}

/// From the disk as `files::sync` found it to the plan; `Err` says why
/// there is no report (e.g. no schemas yet, before the first regen).
fn drift_report(
    outcome: &Outcome,
    planned: &files::FileSet,
    new: &SchemaSet,
) -> Result<Report, String> {
    report::between(&outcome.before, planned, new)
}

fn fix_command(args: &Args) -> String {
    let mut command = "cargo xtask regen".to_owned();
    if let Some(doc) = &args.doc {
        command.push_str(&format!(" --doc {doc}"));
        for (flag, value) in [
            ("--upstream-commit", &args.upstream_commit),
            ("--date", &args.date),
        ] {
            if let Some(value) = value {
                command.push_str(&format!(" {flag} {value}"));
            }
        }
    }
    command
}

fn regen(args: &Args) -> Result<()> {
    match layout::recover(&args.root).context("cannot recover schemas/ from an earlier run")? {
        Recovery::Nothing => {}
        Recovery::RestoredOld => {
            say!("restored schemas/ from schemas.old left by an interrupted regen")
        }
        Recovery::RemovedLeftovers => {
            say!("removed schemas.new/schemas.old left by an interrupted regen")
        }
    }
    let (extracted, planned, schemas) = plan(args)?;
    let outcome = files::sync(&args.root, &planned, false).context("cannot write schemas/")?;
    let events = schemas.events.len();
    let definitions = schemas
        .envelope
        .get("definitions")
        .and_then(serde_json::Value::as_object)
        .map_or(0, |d| d.len().saturating_sub(events + 1));
    let count = |status| {
        outcome
            .changes
            .iter()
            .filter(|c| c.status == status)
            .count()
    };
    say!(
        "{} revisions joined: {events} events, {definitions} definitions; files: {} added, {} changed, {} removed",
        extracted.len(),
        count(Status::Added),
        count(Status::Changed),
        count(Status::Removed)
    );
    for change in &outcome.changes {
        say!("  {:?} {}", change.status, change.path.display());
    }
    match drift_report(&outcome, &planned, &schemas) {
        Ok(report) => say_raw!("{report}"),
        Err(why) => say!("{why}"),
    }
    Ok(())
}

fn check(args: &Args) -> Result<ExitCode> {
    let (_, planned, schemas) = plan(args)?;
    let outcome = files::sync(&args.root, &planned, true).context("cannot read schemas/")?;
    let report = drift_report(&outcome, &planned, &schemas);
    let in_sync = outcome.changes.is_empty();
    let fix = fix_command(args);
    if args.json {
        let drift = report.as_ref().ok();
        let out = json!({
            "in_sync": in_sync,
            "verdict": drift.map(|r| r.verdict),
            "counts": drift.map(|r| &r.counts),
            "items": drift.map_or(&[][..], |r| &r.items),
            "no_report": report.as_ref().err(),
            // The raw per-file differences, by JSON pointer.
            "files": outcome.changes,
            "fix": if in_sync { None } else { Some(&fix) },
        });
        say!("{}", serde_json::to_string_pretty(&out)?);
    } else if in_sync {
        say!("schemas/ is up-to-date");
    } else {
        // The verdict first, then the API changes, then the files.
        match &report {
            Ok(report) => say_raw!("{report}"),
            Err(why) => say!("{why}"),
        }
        print_changes(&outcome.changes, args.verbose);
        say!("schemas/ is not up-to-date: run `{fix}`");
    }
    Ok(if in_sync {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// One line per file; with `verbose`, each JSON difference under it (cut
/// to the report's width: `--format json` has them whole).
fn print_changes(changes: &[FileChange], verbose: bool) {
    for change in changes {
        let what = match change.status {
            Status::Added => "is missing",
            Status::Changed => "was not up-to-date",
            Status::Removed => "is not produced by regen",
        };
        let path = change.path.display();
        match change.differences.len() {
            0 => say!("{path} {what}"),
            1 => say!("{path} {what} (1 JSON difference)"),
            n => say!("{path} {what} ({n} JSON differences)"),
        }
        if verbose {
            for difference in &change.differences {
                say!("{}", report::truncate(&format!("    {difference}")));
            }
        }
    }
    if !verbose && changes.iter().any(|c| !c.differences.is_empty()) {
        say!("(--verbose lists each JSON difference)");
    }
}
