//! `gazette serve`: preview with live reload (being implemented).

use clap::Args;

use crate::cli::RootArgs;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArgs,
}

pub fn run(_args: ServeArgs) -> i32 {
    eprintln!("error: gazette serve is not available yet");
    2
}
