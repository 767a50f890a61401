import KitbagCore

/// The kinds of curriculum item.
public enum CurriculumKind: String, Sendable, CaseIterable {
    case principle, competency, module, assessment
    /// A fidelity domain and a fidelity item (`Curriculum/fidelity/`, see `FidelityInstrument`).
    case domain = "fidelity domain", fidelityItem = "fidelity item"

    /// The folder under `Curriculum/` that holds this kind.
    public var folder: String {
        switch self {
        case .principle: "principles"
        case .competency: "competencies"
        case .module: "modules"
        case .assessment: "assessments"
        case .domain: "fidelity/domains"
        case .fidelityItem: "fidelity/items"
        }
    }

    /// "a principle", for messages.
    public var article: String { self == .assessment ? "an assessment" : "a \(rawValue)" }
}

/// What every curriculum item has: identity, title, provenance, a Markdown body and its place.
public struct ItemInfo: Sendable {
    public var id: String
    public var title: String
    public var kind: CurriculumKind
    /// `origin:` (for example `stage 1` or `round 2, Sussex LAG`).
    public var origin: String?
    /// The Markdown body with front matter lines blanked (line numbers stay true).
    public var body: String
    /// The file, for locations.
    public var source: SourceFile
    /// Project-relative path, for example `Curriculum/modules/M03.md`.
    public var relativePath: String
    /// Where the `id:` is given (the place a duplicate or a reference points at).
    public var location: SourceLocation

    /// The output page, relative to the site root: `curriculum/M03.html`.
    public var pagePath: String { "curriculum/\(id).html" }
}

public struct Principle: Sendable {
    public var info: ItemInfo
    /// The principle's number: `number:` in front matter, else its place in ID order.
    public var number: Int
}

public struct Competency: Sendable {
    public var info: ItemInfo
    /// IDs of the principles this competency serves.
    public var principles: [Reference]
}

public struct Module: Sendable {
    public var info: ItemInfo
    public var competencies: [Reference]
    public var hours: Double?
    /// How many sessions the module runs (default 1).
    public var sessions: Int
    public var prerequisites: [Reference]
    public var delivery: String?
    /// Months after the last qualifying session until a refresher is due.
    public var validForMonths: Int?
}

public struct Assessment: Sendable {
    public var info: ItemInfo
    public var method: String
    public var modules: [Reference]
    public var competencies: [Reference]
    public var passCriteria: String?
    /// Attempts allowed (nil: no limit).
    public var attempts: Int?
    public var validForMonths: Int?
}

/// An ID written in a manifest, with where it was written.
public struct Reference: Sendable, Hashable {
    public var id: String
    public var location: SourceLocation
}

/// The sign-off rules in `pathway.md`.
public struct Pathway: Sendable {
    public var title: String
    public var requiredModules: [Reference]
    public var requiredAssessments: [Reference]
    /// Share of a module's sessions that must be attended (default 1.0).
    public var attendance: Double
    public var body: String
    public var source: SourceFile?
    /// Whether required-modules / required-assessments were given (default: all).
    public var modulesGiven: Bool
    public var assessmentsGiven: Bool
}

/// `framework.md`: the framework's name and description.
public struct Framework: Sendable {
    public var id: String
    public var title: String
    public var version: String?
    public var language: String?
    public var body: String
    public var source: SourceFile?
}
