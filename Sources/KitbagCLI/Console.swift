#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KitbagCore

/// Where text goes: a file descriptor, or a buffer in tests.
public final class TextSink: Sendable {
    private let fd: Int32?
    private let buffer = Mutex("")
    /// Everything written, when buffering (tests).
    public var text: String { buffer.withLock { $0 } }

    public init(fileDescriptor: Int32) { fd = fileDescriptor }
    /// A sink that collects text in `text`.
    public init() { fd = nil }

    public func write(_ string: String) {
        guard let fd else { buffer.withLock { $0 += string }; return }
        var bytes = Array(string.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// Whether this sink is a terminal (for colour and progress lines).
    public var isTerminal: Bool { fd.map { isatty($0) != 0 } ?? false }
}

/// The process's view of the world for one command: streams, environment and today's date.
public struct Console: Sendable {
    public var out: TextSink
    public var err: TextSink
    public var environment: [String: String]
    /// Today's date (tests pin it).
    public var today: ISODate
    /// The working directory that `-C` is relative to.
    public var workingDirectory: String

    public init(out: TextSink, err: TextSink, environment: [String: String] = [:], today: ISODate = .today(), workingDirectory: String = ".") {
        self.out = out
        self.err = err
        self.environment = environment
        self.today = today
        self.workingDirectory = workingDirectory
    }

    /// Standard output and error of this process.
    public static var standard: Console {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return Console(out: TextSink(fileDescriptor: 1), err: TextSink(fileDescriptor: 2), environment: env)
    }

    /// A console that buffers both streams (for tests).
    public static func buffered(today: ISODate = ISODate(year: 2026, month: 12, day: 1)!) -> Console {
        Console(out: TextSink(), err: TextSink(), today: today)
    }

    /// Prints a problem with the command or its surroundings (no file, no code) the way
    /// diagnostics are printed: `kitbag: error: message`, then its notes.
    public func error(_ message: String, notes: [String] = []) { line(.error, message, notes: notes) }

    /// Prints a warning about the command or its surroundings: `kitbag: warning: message`.
    public func warning(_ message: String) { line(.warning, message, notes: []) }

    private func line(_ severity: Severity, _ message: String, notes: [String]) {
        var text = "kitbag: \(paint(severity)): \(message)\n"
        for note in notes { text += "    note: \(note)\n" }
        err.write(text)
    }

    private func paint(_ severity: Severity) -> String {
        guard useColour else { return severity.rawValue }
        return (severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m") + severity.rawValue + "\u{1B}[0m"
    }

    /// Whether to colour diagnostics: only on a terminal, and not when NO_COLOR is set to a
    /// non-empty value (no-color.org: an empty NO_COLOR leaves colour on).
    public var useColour: Bool { err.isTerminal && Console.colourAllowed(by: environment) }

    /// Whether the environment allows colour: NO_COLOR unset or empty.
    public static func colourAllowed(by environment: [String: String]) -> Bool { (environment["NO_COLOR"] ?? "").isEmpty }

    /// Prints diagnostics on stderr, as text or JSON.
    public func report(_ diagnostics: [Diagnostic], json: Bool = false) {
        if json {
            out.write(diagnostics.jsonText())
            return
        }
        for d in diagnostics {
            var line = d.formatted
            if useColour {
                line = line.replacingFirst(": \(d.severity.rawValue):", with: ": \(paint(d.severity)):")
            }
            err.write(line + "\n")
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
