// The command layer belongs to the binary alone.
#![warn(unreachable_pub)]

mod cmd;

fn main() {
    std::process::exit(cmd::main());
}
