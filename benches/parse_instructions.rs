//! Runs one mode of `benches/parse.rs` on one case (or the stream of all
//! cases) a given number of times, for `benches/instructions.py` to count
//! instructions with callgrind: instruction counts do not depend on the
//! machine's load, as times do.
//!
//! `parse_instructions list` prints the cases and modes;
//! `parse_instructions CASE MODE N` runs MODE on CASE N times.
//! Run by `cargo bench` with no such arguments, it does nothing.

mod common;

use common::{Case, MODES};

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
            let n: usize = n.parse().expect("N is a number");
            for _ in 0..n {
                selected.iter().for_each(|c| (mode.run)(c));
            }
        }
        _ => {
            eprintln!("usage: parse_instructions list | CASE MODE N (see benches/instructions.py)")
        }
    }
}
