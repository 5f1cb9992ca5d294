//! The `jianbao` command: everything lives in the library; this only hands over the exit code.

/// mimalloc keeps freed pages for reuse; the system allocator hands every large tensor buffer
/// back to the kernel and pays page faults to get it again (a fifth of encoder time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    jianbao::cli::main()
}
