//! `gazette synth`: seeded synthetic sites for tests and benchmarks (being implemented).

use clap::Args;

#[derive(Args, Debug)]
pub struct SynthArgs {}

pub fn run(_args: SynthArgs) -> i32 {
    eprintln!("error: gazette synth is not available yet");
    2
}
