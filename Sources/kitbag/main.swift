#if canImport(Glibc)
import Glibc
#endif
import KitbagCLI

// The executable only wires the process to the command-line front end.
let status = KitbagCommandLine.run(arguments: Array(CommandLine.arguments.dropFirst()), io: .standard)
exit(status)
