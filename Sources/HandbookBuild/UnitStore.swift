import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore

/// Parsed-unit summaries shared between the build cache and the resolver: the resolver asks
/// for a unit by its content key and gets a summary instead of a fresh cmark parse.
final class UnitStore: UnitCache {
    let previous: [Fingerprint: UnitSummary]
    /// Chapter file summaries of the last build.
    let previousFiles: [Fingerprint: ChapterFileSummary]

    /// What this build adds, from every core.
    private struct Current {
        var units: [Fingerprint: UnitSummary] = [:]
        var files: [Fingerprint: ChapterFileSummary] = [:]
        var inputHashes: [String: Fingerprint] = [:]
    }
    private let state = Mutex(Current())

    /// Summaries of this build's units (what the next build's cache keeps).
    var current: [Fingerprint: UnitSummary] { state.withLock { $0.units } }
    /// Chapter file summaries of this build.
    var currentFiles: [Fingerprint: ChapterFileSummary] { state.withLock { $0.files } }
    /// Content hashes of this build's input files (from the input scan), by project path.
    var inputHashes: [String: Fingerprint] {
        get { state.withLock { $0.inputHashes } }
        set { state.withLock { $0.inputHashes = newValue } }
    }

    init(previous: [Fingerprint: UnitSummary] = [:], previousFiles: [Fingerprint: ChapterFileSummary] = [:]) {
        self.previous = previous
        self.previousFiles = previousFiles
    }

    /// A chapter file read in the last build with the same content, and its walk: the file
    /// need not be read again. Marks both as used by this build.
    func unchangedChapter(_ fileKey: Fingerprint) -> (ChapterFileSummary, UnitSummary)? {
        guard let file = previousFiles[fileKey], let unit = previous[file.unitKey] else { return nil }
        state.withLock {
            $0.files[fileKey] = file
            $0.units[file.unitKey] = unit
        }
        return (file, unit)
    }

    func record(_ file: ChapterFileSummary, for fileKey: Fingerprint) {
        state.withLock { $0.files[fileKey] = file }
    }

    func contentHash(of relativePath: String) -> Fingerprint? { inputHashes[relativePath] }

    func summary(for key: Fingerprint) -> UnitSummary? {
        guard let summary = previous[key] else { return nil }
        state.withLock { $0.units[key] = summary }
        return summary
    }

    func record(_ summary: UnitSummary, for key: Fingerprint) {
        state.withLock { $0.units[key] = summary }
    }
}
