import CFuzzer
import KitbagCore
#if canImport(Glibc)
import Glibc
#endif

/// What every fuzz target shares: the libFuzzer driver, property checks that crash the way
/// libFuzzer records, the sample project, and a scratch folder for targets that need files.
public enum Fuzz {
    nonisolated(unsafe) private static var test: ([UInt8]) -> Void = { _ in }

    /// Runs libFuzzer (options from the command line) with `body` as the test; never returns.
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        test = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzz.test(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
        exit(status)
    }

    /// Stops with SIGABRT (which libFuzzer saves as a crash) when a property does not hold.
    public static func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        guard !condition() else { return }
        let text = "kitbag-fuzz: property failed: \(message())\n"
        _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
        abort()
    }

    /// Checks that every diagnostic points inside `file` (a line it has, a column from 1).
    public static func expectInside(_ diagnostics: [Diagnostic], _ file: SourceFile) {
        for d in diagnostics {
            guard let at = d.location, at.file == file.displayPath else { continue }
            expect(at.line >= 1 && at.line <= max(file.lineCount, 1) && at.column >= 1,
                   "\(d.formatted) is outside the file's \(file.lineCount) lines")
        }
    }

    /// The repository (for the sample project): `KITBAG_ROOT`, else found from this file's path.
    public static let repository: String = {
        if let root = getenv("KITBAG_ROOT") { return String(cString: root) }
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // Fuzz/Sources/FuzzSupport/Fuzz.swift
        return parts.joined(separator: "/")
    }()

    /// A folder of this process's own under `KITBAG_FUZZ_TMP` (else /tmp), made on first use.
    public static let scratch: String = {
        let base = getenv("KITBAG_FUZZ_TMP").map { String(cString: $0) } ?? "/tmp"
        let path = FileSystem.join(base, "kitbag-fuzz-\(getpid())")
        try? FileSystem.makeDirectories(path)
        return path
    }()

    /// Writes `bytes` to `path` (made with its folders), or crashes: the harness must work.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) {
        do {
            if let slash = path.lastIndex(of: "/") { try FileSystem.makeDirectories(String(path[..<slash])) }
            try FileSystem.writeAtomically(bytes, to: path)
        } catch {
            expect(false, "the harness could not write \(path): \(error)")
        }
    }

    /// Copies a file of the sample project into the scratch folder.
    public static func copySample(_ relative: String, to path: String) {
        guard let bytes = try? FileSystem.readBytes(FileSystem.join(repository, relative)) else {
            expect(false, "no \(relative) in \(repository) (set KITBAG_ROOT)")
            return
        }
        write(bytes, to: path)
    }

    /// Splits an input at its first NUL byte: (before, after); nil when it has none.
    public static func split(_ bytes: [UInt8]) -> (ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        guard let i = bytes.firstIndex(of: 0) else { return nil }
        return (bytes[..<i], bytes[(i + 1)...])
    }
}
