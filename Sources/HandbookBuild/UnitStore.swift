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
        var parsed = 0
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

    /// Units parsed by cmark in this build (recorded walks).
    var parsedCount: Int { state.withLock { $0.parsed } }
    /// The shared edition's store in the same run: a site edition takes the walks of the
    /// units it does not change from there (their keys are equal), so each is parsed once.
    private let shared: UnitStore?

    init(previous: [Fingerprint: UnitSummary] = [:], previousFiles: [Fingerprint: ChapterFileSummary] = [:], shared: UnitStore? = nil) {
        self.previous = previous
        self.previousFiles = previousFiles
        self.shared = shared
    }

    /// A walk of this run (the shared edition's) or of the last build.
    private func known(_ key: Fingerprint) -> UnitSummary? {
        shared?.state.withLock { $0.units[key] } ?? previous[key]
    }

    private func knownFile(_ key: Fingerprint) -> ChapterFileSummary? {
        shared?.state.withLock { $0.files[key] } ?? previousFiles[key]
    }

    /// A chapter file read in the last build (or by the shared edition of this run) with the
    /// same content, its unit's key in `edition`, and that unit's walk: the file need not be
    /// read again. Marks both as used by this build.
    func unchangedChapter(_ fileKey: Fingerprint, edition: UnitEdition) -> (ChapterFileSummary, Fingerprint, UnitSummary)? {
        guard let file = knownFile(fileKey) else { return nil }
        let unitKey = file.unitKey.salted(edition, names: file.placeholders)
        guard let unit = known(unitKey) else { return nil }
        state.withLock {
            $0.files[fileKey] = file
            $0.units[unitKey] = unit
        }
        return (file, unitKey, unit)
    }

    func record(_ file: ChapterFileSummary, for fileKey: Fingerprint) {
        state.withLock { $0.files[fileKey] = file }
    }

    func contentHash(of relativePath: String) -> Fingerprint? { inputHashes[relativePath] }

    func summary(for key: Fingerprint) -> UnitSummary? {
        guard let summary = known(key) else { return nil }
        state.withLock { $0.units[key] = summary }
        return summary
    }

    func record(_ summary: UnitSummary, for key: Fingerprint) {
        state.withLock {
            $0.units[key] = summary
            $0.parsed += 1
        }
    }
}
