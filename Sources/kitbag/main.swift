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
// glibc's default of one heap (arena) per thread stays: with a single shared heap, the
// cores parsing and rendering chapters queued for its lock on every allocation, and a
// 1,000-chapter clean build took 1.8 s instead of 1.2 s (docs/speed.md).
#endif

// The executable only wires the process to the command-line front end.
let status = KitbagCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst()), io: .standard)
exit(status)
