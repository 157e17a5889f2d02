// mimalloc for Rust's allocations and for tree-sitter's (every subtree of
// every parse is a C allocation): glibc's malloc was ~7% of a clone run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    vantage::use_fast_allocator();
    std::process::exit(vantage::run(std::env::args_os()));
}
