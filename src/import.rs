//! `gazette import` and `gazette new list` (being implemented).

use clap::Args;

use crate::cli::RootArgs;

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub root: RootArgs,
}

#[derive(Args, Debug)]
pub struct NewListArgs {
    #[command(flatten)]
    pub root: RootArgs,
}

pub fn run_import(_args: ImportArgs) -> i32 {
    eprintln!("error: gazette import is not available yet");
    2
}

pub fn run_new_list(_args: NewListArgs) -> i32 {
    eprintln!("error: gazette new list is not available yet");
    2
}
