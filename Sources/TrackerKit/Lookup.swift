import CurriculumKit
import KitbagCore

/// Finds workers and items by what people type: an id, a worker's name, or an item's exact
/// title. Names and titles match without regard to case or repeated spaces, and only when
/// exactly one matches: nothing is guessed.
public struct CohortLookup: Sendable {
    public let cohort: Cohort

    public init(cohort: Cohort) { self.cohort = cohort }

    /// What a lookup found.
    public enum Found: Equatable, Sendable {
        case index(Int)
        case unknown
        /// Several match: their ids.
        case ambiguous([String])
    }

    /// Lower case, spaces trimmed and runs of white space made one space.
    public static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).joined(separator: " ")
    }

    /// A worker by id, or by a name that one roster line has.
    public func worker(_ text: String) -> Found {
        if let w = cohort.workerIndex[text] { return .index(w) }
        let key = Self.normalized(text)
        guard !key.isEmpty else { return .unknown }
        let matches = cohort.workers.indices.filter { Self.normalized(cohort.workers[$0].name) == key }
        switch matches.count {
        case 0: return .unknown
        case 1: return .index(matches[0])
        default: return .ambiguous(matches.map { cohort.workers[$0].id })
        }
    }

    /// A module or assessment by id, or by its exact title.
    public func item(_ text: String) -> Found {
        let catalog = cohort.catalog
        if let i = catalog.index[text] { return .index(i) }
        let key = Self.normalized(text)
        guard !key.isEmpty else { return .unknown }
        let matches = catalog.titles.indices.filter { Self.normalized(catalog.titles[$0]) == key }
        switch matches.count {
        case 0: return .unknown
        case 1: return .index(matches[0])
        default: return .ambiguous(matches.map { catalog.ids[$0] })
        }
    }

    /// Whether `name` is the roster name of worker `w` (case and spacing aside).
    /// A name that kitbag's own CSV neutralised against formulas (`'=Ann`) matches too.
    public func nameMatches(_ name: String, worker w: Int) -> Bool {
        let roster = Self.normalized(cohort.workers[w].name)
        if Self.normalized(name) == roster { return true }
        return name.hasPrefix("'") && CSV.neutralised(cohort.workers[w].name) == name
    }
}
