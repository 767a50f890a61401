#if canImport(Glibc)
import CSystem
import Glibc
#endif
import KitbagCLI

#if canImport(Glibc)
// kitbag is a short-lived process that builds and drops large strings (whole pages, the
// 28 MB one-page edition). Keeping freed memory in the heap instead of returning it to the
// kernel after every large buffer saves a tenth of a large build's time.
_ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
_ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
_ = mallopt(M_TOP_PAD, 64 << 20)
// One heap for every thread: a page rendered on one core and freed on another goes back to
// the same heap, so the next allocation reuses it instead of faulting in fresh memory (a
// 1,000-chapter build peaked about 40 MB lower and spent less time in the kernel).
_ = mallopt(M_ARENA_MAX, 1)
#endif

// The executable only wires the process to the command-line front end.
let status = KitbagCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst()), io: .standard)
exit(status)
