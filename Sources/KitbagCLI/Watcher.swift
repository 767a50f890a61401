import HandbookBuild
import HandbookKit
import KitbagCore
#if canImport(Glibc)
import Glibc
#endif

/// `kitbag watch`: polls the project's sources and rebuilds when any of them changes.
/// Polling (every 300 ms by default) needs no platform file-event API and sees saves from
/// every editor, including those that replace the file.
enum Watcher {
    static func run(args: Arguments, context: CommandContext) -> Int32 {
        let console = context.console
        let text = args.value("interval") ?? "0.3"
        guard let interval = Double(text), interval >= 0.01, interval <= 3_600 else {
            return KitbagCommandLine.usage(console, "--interval takes seconds from 0.01 to 3600, found '\(text)'", spec: BuildCommands.watchSpec)
        }
        var last = snapshot(context.paths)
        rebuild(args: args, context: context)
        if args.has("once") { return ExitStatus.ok }
        console.err.write("kitbag: watching Handbook/, Curriculum/ and Proposals/ for changes (Ctrl-C to stop)\n")
        while true {
            usleep(useconds_t(interval * 1_000_000))
            let now = snapshot(context.paths)
            if now != last {
                last = now
                rebuild(args: args, context: context)
            }
        }
    }

    static func rebuild(args: Arguments, context: CommandContext) {
        var options = HandbookCompiler.Options(outDirectory: args.value("out"), unsafeHTML: args.has("unsafe-html"))
        let (changes, extra) = ChangeHistory.load(context.paths)
        options.changes = changes
        let result = SiteBuild.build(context.paths, options: options, extraDiagnostics: extra)
        context.console.report(result.diagnostics.sorted(by: Diagnostic.precedes))
        let ms = result.timings.map(\.1).reduce(0, +) * 1000
        if result.diagnostics.failRun(strict: false) {
            context.console.err.write("kitbag: build failed; the site was left as it was\n")
        } else {
            context.console.err.write("kitbag: rebuilt in \(Int(ms)) ms, \(result.written.count) file(s) changed\n")
        }
    }

    /// Modification times and sizes of every source file.
    static func snapshot(_ paths: ProjectPaths) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        func visit(_ dir: String) {
            for name in FileSystem.list(dir) {
                let path = FileSystem.join(dir, name)
                if FileSystem.isDirectory(path) { visit(path); continue }
                var st = stat()
                if stat(path, &st) == 0 {
                    result[path] = [Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec), Int(st.st_size)]
                }
            }
        }
        visit(paths.handbook)
        visit(paths.curriculum)
        visit(paths.proposals)
        return result
    }
}
