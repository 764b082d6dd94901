//! `cargo xtask regen|check`: keeps `schemas/` in sync with the webhook
//! events doc. Exit codes: 0 in sync / written, 1 out of sync (check),
//! 2 usage or extraction error (nothing written).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde_json::json;

use xtask::codegen;
use xtask::drift::SchemaSet;
use xtask::extract::{extract, Extracted};
use xtask::fetch;
use xtask::files::{self, FileChange, Outcome, Status};
use xtask::layout::{self, Recovery};
use xtask::provenance::{sha256_hex, Provenance};
use xtask::report::{self, Report};

const REGEN_USAGE: &str = "cargo xtask regen [--doc PATH|URL] [--upstream-commit SHA] [--root DIR]";
const CHECK_USAGE: &str =
    "cargo xtask check [--doc PATH|URL] [--format text|json] [--verbose] [--root DIR]";
const ROOT_NOTE: &str = "--root (or XTASK_ROOT) is the workspace root holding schemas/.";

fn usage() -> String {
    format!(
        "usage:\n  {REGEN_USAGE}\n  {CHECK_USAGE}\n  cargo xtask help [regen|check]\n\n{ROOT_NOTE}"
    )
}

fn command_help(command: &Command) -> String {
    let (line, what) = match command {
        Command::Regen => (
            REGEN_USAGE,
            "Extracts schemas/ and src/generated.rs from the doc (default: the pinned
schemas/webhook_events.md; --doc takes a path or an http(s) URL), records
its provenance, and prints what changed and the semver bump it needs.",
        ),
        Command::Check => (
            CHECK_USAGE,
            "Compares schemas/ and src/generated.rs with what regen would write, and
prints the semver verdict, the API changes by type, and the files that
differ; --verbose adds each file's JSON differences. Exits 0 in sync,
1 out of sync, 2 on a usage or extraction error.",
        ),
    };
    format!("usage: {line}\n\n{what}\n\n{ROOT_NOTE}")
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

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Parsed> {
    let command = match args.next().as_deref() {
        Some("regen") => Command::Regen,
        Some("check") => Command::Check,
        Some(arg) if is_help(arg) => {
            return Ok(Parsed::Help(match args.next().as_deref() {
                Some("regen") => command_help(&Command::Regen),
                Some("check") => command_help(&Command::Check),
                _ => usage(),
            }))
        }
        Some(other) => bail!("unknown command `{other}`"),
        None => bail!("no command given"),
    };
    let default_root = std::env::var_os("XTASK_ROOT")
        .map(PathBuf::from)
        // `cargo run` sets CARGO_MANIFEST_DIR for the process too; reading it
        // at run time keeps a binary reused from a shared target dir working
        // on the workspace it was run in.
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(|dir| PathBuf::from(dir).join("..")))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let mut parsed = Args {
        command,
        doc: None,
        upstream_commit: None,
        json: false,
        verbose: false,
        root: default_root,
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
            "--upstream-commit" if parsed.command == Command::Regen => {
                parsed.upstream_commit = Some(value()?)
            }
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
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help(text)) => {
            println!("{text}");
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

/// The doc text and the `--doc` argument it came from, if any.
fn load_doc(args: &Args) -> Result<(String, Option<&str>)> {
    match &args.doc {
        Some(arg) => Ok((fetch::load(arg)?, Some(arg.as_str()))),
        None => {
            let path = args.root.join(files::DOC);
            let text = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Ok((text, None))
        }
    }
}

fn read_provenance(root: &Path) -> Option<Provenance> {
    serde_json::from_slice(&fs::read(root.join(files::PROVENANCE)).ok()?).ok()
}

/// Extracts the doc and plans the files; shared by regen and check.
/// Also returns the planned schemas, which the drift report compares with
/// the disk's.
fn plan(args: &Args) -> Result<(Extracted, files::FileSet, SchemaSet)> {
    let (doc, source) = load_doc(args)?;
    let label = source.unwrap_or(files::DOC);
    let extracted = extract(&doc).with_context(|| format!("{label} cannot be used"))?;
    let previous = read_provenance(&args.root);
    let provenance = Provenance::next(
        doc.as_bytes(),
        source,
        args.upstream_commit.as_deref(),
        previous.as_ref(),
    );
    let mut planned = files::planned_files(&extracted, &doc, &provenance);
    let schemas = extracted.schema_set();
    let code = codegen::generate(&schemas)
        .with_context(|| format!("{label}: the schemas cannot be turned into Rust types"))?;
    planned.insert(files::GENERATED.into(), code.into_bytes());
    Ok((extracted, planned, schemas))
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
    match &args.doc {
        Some(doc) => format!("cargo xtask regen --doc {doc}"),
        None => "cargo xtask regen".to_owned(),
    }
}

fn regen(args: &Args) -> Result<()> {
    match layout::recover(&args.root).context("cannot recover schemas/ from an earlier run")? {
        Recovery::Nothing => {}
        Recovery::RestoredOld => {
            println!("restored schemas/ from schemas.old left by an interrupted regen")
        }
        Recovery::RemovedLeftovers => {
            println!("removed schemas.new/schemas.old left by an interrupted regen")
        }
    }
    let (extracted, planned, schemas) = plan(args)?;
    let outcome = files::sync(&args.root, &planned, false).context("cannot write schemas/")?;
    let count = |status| {
        outcome
            .changes
            .iter()
            .filter(|c| c.status == status)
            .count()
    };
    println!(
        "{} events, {} definitions; files: {} added, {} changed, {} removed",
        extracted.events.len(),
        extracted.definitions.len(),
        count(Status::Added),
        count(Status::Changed),
        count(Status::Removed)
    );
    for change in &outcome.changes {
        println!("  {:?} {}", change.status, change.path.display());
    }
    match drift_report(&outcome, &planned, &schemas) {
        Ok(report) => print!("{report}"),
        Err(why) => println!("{why}"),
    }
    Ok(())
}

/// `Some(message)` when provenance.json does not describe the pinned doc;
/// both are read from `before`, the disk as `files::sync` found it.
fn provenance_mismatch(before: &files::FileSet) -> Option<String> {
    let doc = before.get(Path::new(files::DOC))?;
    let actual = sha256_hex(doc);
    let recorded = before
        .get(Path::new(files::PROVENANCE))
        .and_then(|bytes| serde_json::from_slice::<Provenance>(bytes).ok());
    match recorded {
        Some(p) if p.sha256 == actual => None,
        Some(p) => Some(format!(
            "{} has sha256 {actual}, but {} records {}",
            files::DOC,
            files::PROVENANCE,
            p.sha256
        )),
        None => Some(format!("{} is missing or unreadable", files::PROVENANCE)),
    }
}

fn check(args: &Args) -> Result<ExitCode> {
    let (_, planned, schemas) = plan(args)?;
    let outcome = files::sync(&args.root, &planned, true).context("cannot read schemas/")?;
    let mismatch = provenance_mismatch(&outcome.before);
    let report = drift_report(&outcome, &planned, &schemas);
    let in_sync = outcome.changes.is_empty() && mismatch.is_none();
    let fix = fix_command(args);
    if args.json {
        let drift = report.as_ref().ok();
        let out = json!({
            "in_sync": in_sync,
            "verdict": drift.map(|r| r.verdict),
            "counts": drift.map(|r| &r.counts),
            "items": drift.map_or(&[][..], |r| &r.items),
            "no_report": report.as_ref().err(),
            "provenance_mismatch": mismatch,
            // The raw per-file differences, by JSON pointer.
            "files": outcome.changes,
            "fix": if in_sync { None } else { Some(&fix) },
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if in_sync {
        println!("schemas/ is up-to-date");
    } else {
        // The verdict first, then the API changes, then the files.
        match &report {
            Ok(report) => print!("{report}"),
            Err(why) => println!("{why}"),
        }
        if let Some(message) = &mismatch {
            println!("{message}");
        }
        print_changes(&outcome.changes, args.verbose);
        println!("schemas/ is not up-to-date: run `{fix}`");
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
            0 => println!("{path} {what}"),
            1 => println!("{path} {what} (1 JSON difference)"),
            n => println!("{path} {what} ({n} JSON differences)"),
        }
        if verbose {
            for difference in &change.differences {
                println!("{}", report::truncate(&format!("    {difference}")));
            }
        }
    }
    if !verbose && changes.iter().any(|c| !c.differences.is_empty()) {
        println!("(--verbose lists each JSON difference)");
    }
}
