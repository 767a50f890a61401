import Foundation
import Testing

/// Golden files: whole outputs (a page, a diagnostics list) kept under a test target's
/// `Fixtures/` and compared byte for byte. A run with `KITBAG_UPDATE_GOLDEN=1` rewrites every
/// golden file that differs and still fails, naming the files, so a refresh can never pass
/// unnoticed: read `git diff`, then run again without the variable.
public enum Golden {
    /// The environment variable that asks for a refresh (`KITBAG_UPDATE_GOLDEN=1 swift test`).
    public static let updateVariable = "KITBAG_UPDATE_GOLDEN"

    /// Whether this run refreshes golden files.
    public static var updating: Bool { ProcessInfo.processInfo.environment[updateVariable] == "1" }

    /// What comparing an output with its golden file found.
    public enum Outcome: Equatable, Sendable {
        case matches
        /// The output differs and the file was left alone; the message says where.
        case differs(String)
        /// The file now holds the output (a refresh); the message says so, and the run fails.
        case rewritten(String)

        /// The failure to record, nil when the output matches.
        public var failure: String? {
            switch self {
            case .matches: nil
            case .differs(let message), .rewritten(let message): message
            }
        }
    }

    /// Compares `actual` with the golden file at `path`; when they differ and `update` is set,
    /// writes `actual` to the file.
    public static func compare(_ actual: String, with path: String, update: Bool = updating) -> Outcome {
        let expected = try? String(contentsOfFile: path, encoding: .utf8)
        if expected == actual { return .matches }
        if update {
            Support.write(actual, to: path)
            return .rewritten("golden files rewritten: \(path); read the diff, then run again without \(updateVariable)")
        }
        return .differs(difference(expected, actual, path))
    }

    /// Records a test issue unless `actual` equals the golden file at `path` (which a refresh
    /// rewrites, failing all the same).
    public static func expectMatch(_ actual: String, with path: String, update: Bool = updating,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        if let failure = compare(actual, with: path, update: update).failure {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }

    /// The first line where the output leaves the golden file, quoted both ways.
    static func difference(_ expected: String?, _ actual: String, _ path: String) -> String {
        let refresh = "if the change is meant, refresh with \(updateVariable)=1 swift test --filter SUITE and read the diff"
        guard let expected else { return "no golden file at \(path); \(refresh)" }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var line = 0
        while line < e.count && line < a.count && e[line] == a[line] { line += 1 }
        func shown(_ lines: [Substring]) -> String { line < lines.count ? "'\(lines[line])'" : "the end of the text" }
        return "the output differs from the golden file \(path) at line \(line + 1):\n  golden: \(shown(e))\n  output: \(shown(a))\n\(refresh)"
    }
}
