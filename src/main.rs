fn main() {
    std::process::exit(vantage::run(std::env::args_os()));
}
