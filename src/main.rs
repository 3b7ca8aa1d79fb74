fn main() {
    std::process::exit(gazette::cli::main());
}
