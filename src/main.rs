//! The `jianbao` command: everything lives in the library; this only hands over the exit code.

/// mimalloc keeps freed pages for reuse; the system allocator hands every large tensor buffer
/// back to the kernel and pays page faults to get it again (a fifth of encoder time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    jianbao::tune_allocator();
    // A write past the file size limit (`ulimit -f`) raises SIGXFSZ, whose default action kills
    // the process mid-record without a word. Ignored, the write fails with EFBIG instead and the
    // run stops like on a full disk: one line naming the output, exit 2, whole records kept.
    // Children (pip, when fetching a model) inherit this, and see the same error instead.
    // Safety: sets a signal's disposition to SIG_IGN; no handler runs.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN)
    };
    jianbao::cli::main()
}
