// mimalloc: evaluating 50,000 students makes and frees some ten million small values (sittings,
// reasons, shared names) on two threads; glibc's allocator took a sixth of that time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v2): the milliseconds freed memory is kept before
/// it goes back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Memory goes back at once: the default delay let a cold evaluation's peak grow from 87
    // to 128 MB (the target is 150 MB for any command), for no measurable speed.
    // SAFETY: setting an option is allowed at any time; nothing else runs yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    yujing::cli::main()
}
