//! Runs the modes of `benches/parse.rs` outside criterion, for the two
//! measurements that stand up on a shared, noisy machine:
//!
//! - `parse_runs CASE MODE N` runs MODE on CASE (or `stream`, all cases in a
//!   row) N times, for `benches/instructions.py` to count instructions with
//!   callgrind: counts do not move with the machine's load.
//! - `parse_runs time ROUNDS` times every (case, mode) in short batches,
//!   round-robin, ROUNDS times over, and prints each one's median time per
//!   run in ns (`benches/times.py`). Interleaving gives every mode the same
//!   share of the machine's slow and fast moments, so the ratios between
//!   modes hold even when the absolute times drift.
//! - `parse_runs list` prints the cases and modes.
//!
//! Run by `cargo bench` with no such arguments, it does nothing.

mod common;

use std::time::{Duration, Instant};

use common::{Case, Mode, MODES};

/// How long one timed batch runs: long enough for the clock, short enough
/// that the machine's load changes little within it.
const BATCH: Duration = Duration::from_millis(2);

fn run(mode: &Mode, cases: &[&Case], n: u64) {
    for _ in 0..n {
        cases.iter().for_each(|c| (mode.run)(c));
    }
}

/// Runs in a batch of about [`BATCH`].
fn batch_size(mode: &Mode, cases: &[&Case]) -> u64 {
    let mut n = 1;
    loop {
        let start = Instant::now();
        run(mode, cases, n);
        if start.elapsed() >= BATCH / 4 {
            return n * 4;
        }
        n *= 2;
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn time(cases: &[Case], rounds: usize) {
    let mut groups: Vec<(&str, Vec<&Case>)> = cases
        .iter()
        .map(|c| (c.event_type.as_str(), vec![c]))
        .collect();
    groups.push(("stream", cases.iter().collect()));
    let batches: Vec<Vec<u64>> = groups
        .iter()
        .map(|(_, g)| MODES.iter().map(|m| batch_size(m, g)).collect())
        .collect();
    let mut samples = vec![vec![Vec::with_capacity(rounds); MODES.len()]; groups.len()];
    for _ in 0..rounds {
        for (g, (_, group)) in groups.iter().enumerate() {
            for (m, mode) in MODES.iter().enumerate() {
                let n = batches[g][m];
                let start = Instant::now();
                run(mode, group, n);
                samples[g][m].push(start.elapsed().as_nanos() as f64 / n as f64);
            }
        }
    }
    println!("case,mode,ns");
    for (g, (name, _)) in groups.iter().enumerate() {
        for (m, mode) in MODES.iter().enumerate() {
            let ns = median(std::mem::take(&mut samples[g][m]));
            println!("{name},{},{ns:.1}", mode.name);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases = common::cases();
    match args.as_slice() {
        [list] if list == "list" => {
            let names: Vec<&str> = cases.iter().map(|c| c.event_type.as_str()).collect();
            println!("{} stream", names.join(" "));
            let modes: Vec<&str> = MODES.iter().map(|m| m.name).collect();
            println!("{}", modes.join(" "));
        }
        [time_, rounds] if time_ == "time" => {
            time(&cases, rounds.parse().expect("ROUNDS is a number"));
        }
        [case, mode, n] => {
            let selected: Vec<&Case> = cases
                .iter()
                .filter(|c| case == "stream" || c.event_type == *case)
                .collect();
            assert!(!selected.is_empty(), "no case {case}");
            let mode = MODES
                .iter()
                .find(|m| m.name == mode)
                .unwrap_or_else(|| panic!("no mode {mode}"));
            run(mode, &selected, n.parse().expect("N is a number"));
        }
        _ => eprintln!(
            "usage: parse_runs list | time ROUNDS | CASE MODE N (see benches/times.py, benches/instructions.py)"
        ),
    }
}
