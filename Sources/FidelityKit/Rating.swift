import KitbagCore

/// The columns of `Fidelity/ratings.csv`, in order.
public enum RatingColumn: Int, Sendable, CaseIterable {
    case id, date, site, round, respondentKind, respondent, item, rater, score, note

    public var name: String {
        switch self {
        case .id: "id"
        case .date: "date"
        case .site: "site"
        case .round: "round"
        case .respondentKind: "respondent-kind"
        case .respondent: "respondent"
        case .item: "item"
        case .rater: "rater"
        case .score: "score"
        case .note: "note"
        }
    }

    /// The header line of ratings.csv.
    public static let header = allCases.map(\.name).joined(separator: ",")
}

/// One fidelity interview: a respondent of a kind, at a site, in a round.
public struct Interview: Hashable, Sendable, Comparable {
    public var site: String
    public var round: Int
    public var respondentKind: String
    public var respondent: String

    public static func < (a: Interview, b: Interview) -> Bool {
        (a.site, a.round, a.respondentKind, a.respondent) < (b.site, b.round, b.respondentKind, b.respondent)
    }

    /// "hastings, round 1, peer worker PW1", for messages.
    public var description: String { "\(site), round \(round), \(respondentKind) \(respondent)" }
}

/// One row of the ratings ledger.
public struct Rating: Sendable {
    /// The row's number (`R000042` is 42).
    public var number: Int
    public var date: ISODate
    public var interview: Interview
    /// A fidelity item id, or for a void the id of the row it cancels.
    public var item: String
    /// A rater's pseudonym, or `settled` for the rating two raters agreed.
    public var rater: String
    /// The score; nil for a void row.
    public var score: Int?
    public var note: String
    /// 1-based line in ratings.csv (0 for a row not yet written).
    public var line: Int

    public var isVoid: Bool { score == nil }
    public var isSettled: Bool { rater == Rating.settled }
    public var idText: String { RowID.text(number) }

    /// The rater name that marks an agreed rating.
    public static let settled = "settled"
    /// What the score column holds in a void row.
    public static let void = "void"
    /// The row as written to ratings.csv, with its line break.
    public var csvLine: String {
        CSV.line([idText, date.description, interview.site, String(interview.round), interview.respondentKind,
                  interview.respondent, item, rater, score.map(String.init) ?? Rating.void, note])
    }
}
