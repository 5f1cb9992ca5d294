//! The `jianbao` command: everything lives in the library; this only hands over the exit code.

/// mimalloc keeps freed pages for reuse; the system allocator hands every large tensor buffer
/// back to the kernel and pays page faults to get it again (a fifth of encoder time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_t`, which the Rust bindings do
/// not name).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Keep freed pages instead of handing them back 10 ms later: the encoder frees and
    // reallocates the same large buffers every layer, and zeroing refaulted pages cost a tenth
    // of `digest`'s time. Peak memory is unchanged; memory is not returned until exit.
    // Safety: sets a process-wide option before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
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
