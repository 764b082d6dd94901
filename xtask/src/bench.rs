//! `cargo xtask bench`: builds the benches in release and prints their
//! tables: from `benches/parse.rs`, bytes allocated and interleaved times
//! per mode on the real-sender corpus, their ratios with the targets, and
//! with `--instructions` the instructions callgrind counts per mode (the
//! same on a loaded machine); from `benches/receiver_load.rs`, the example
//! receiver's throughput and latency against a server that only reads.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

pub const USAGE: &str = "cargo xtask bench [--rounds N] [--instructions] [--cargo-args \"ARGS\"]";

/// What `cargo xtask help bench` prints under the usage line.
pub const ABOUT: &str = "Builds the benches in release and prints, on the real-sender corpus, bytes
allocated and interleaved times per parse mode with their ratios and targets
(--rounds: rounds of the interleaved timing and of the receiver load bench,
default 100), with --instructions the instructions callgrind counts per mode
(needs valgrind), and the example receiver's load figures. --cargo-args
passes features to `cargo bench`.";

pub struct Options {
    pub rounds: usize,
    pub instructions: bool,
    /// Extra arguments for `cargo bench`, such as
    /// `--no-default-features --features signature`.
    pub cargo_args: Vec<String>,
}

impl Options {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut options = Options {
            rounds: 100,
            instructions: false,
            cargo_args: Vec::new(),
        };
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .with_context(|| format!("`{flag}` needs a value"))
            };
            match flag.as_str() {
                "--rounds" => {
                    options.rounds = value()?.parse().context("--rounds takes a number")?
                }
                "--instructions" => options.instructions = true,
                "--cargo-args" => {
                    options.cargo_args = value()?.split_whitespace().map(str::to_owned).collect()
                }
                other => bail!("unknown argument `{other}`\nusage: {USAGE}"),
            }
        }
        Ok(options)
    }
}

pub fn run(root: &Path, options: &Options) -> Result<()> {
    let binary = build(root, "parse", &options.cargo_args)?;
    print!("{}", output(&binary, &["heap"])?);
    let rounds = options.rounds.to_string();
    print!("{}", output(&binary, &["time", &rounds])?);
    if options.instructions {
        instructions(&binary)?;
    }
    let load = build(root, "receiver_load", &options.cargo_args)?;
    print!("\n{}", output(&load, &[&rounds])?);
    Ok(())
}

/// Builds bench `name` and returns its executable.
fn build(root: &Path, name: &str, cargo_args: &[String]) -> Result<PathBuf> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(root)
        .args([
            "bench",
            "--bench",
            name,
            "--no-run",
            "--message-format=json",
        ])
        .args(cargo_args)
        .output()
        .context("running cargo bench")?;
    if !out.status.success() {
        bail!(
            "cargo bench failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .with_context(|| format!("cargo bench built no `{name}` executable"))
}

fn output(binary: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(binary)
        .args(args)
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    if !out.status.success() {
        bail!(
            "{} {args:?} failed:\n{}",
            binary.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Instructions per operation on the `stream` group: a run of 1+N minus a
/// run of 1, over N, so that start-up (reading the corpus) cancels out.
fn instructions(binary: &Path) -> Result<()> {
    const N: u64 = 5;
    let listed = output(binary, &["list"])?;
    let modes: Vec<&str> = listed
        .lines()
        .nth(1)
        .unwrap_or_default()
        .split(' ')
        .collect();
    println!("\ninstructions per operation on `stream` (callgrind, millions)");
    for mode in modes {
        let once = callgrind(binary, mode, 1)?;
        let many = callgrind(binary, mode, 1 + N)?;
        println!(
            "{mode:<26} {:>10.2}",
            many.saturating_sub(once) as f64 / N as f64 / 1e6
        );
    }
    Ok(())
}

fn callgrind(binary: &Path, mode: &str, n: u64) -> Result<u64> {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(binary)
        .args(["run", "stream", mode, &n.to_string()])
        .output()
        .context("running valgrind (needed for --instructions)")?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|line| line.split("Collected : ").nth(1))
        .and_then(|count| count.trim().parse().ok())
        .with_context(|| format!("no instruction count from callgrind:\n{err}"))
}

#[cfg(test)]
mod tests {
    use super::Options;

    fn parse(args: &[&str]) -> anyhow::Result<Options> {
        Options::parse(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn options_have_defaults_and_reject_what_they_do_not_know() {
        let default = parse(&[]).unwrap();
        assert_eq!((default.rounds, default.instructions), (100, false));
        let set = parse(&[
            "--rounds",
            "7",
            "--instructions",
            "--cargo-args",
            "--no-default-features --features signature",
        ])
        .unwrap();
        assert_eq!(set.rounds, 7);
        assert!(set.instructions);
        assert_eq!(
            set.cargo_args,
            ["--no-default-features", "--features", "signature"]
        );
        assert!(parse(&["--rounds", "x"]).is_err());
        let error = parse(&["--fast"]).err().unwrap().to_string();
        assert!(error.contains("unknown argument `--fast`"), "{error}");
    }
}
