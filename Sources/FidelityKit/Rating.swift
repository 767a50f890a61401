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

    public init(site: String, round: Int, respondentKind: String, respondent: String) {
        self.site = site
        self.round = round
        self.respondentKind = respondentKind
        self.respondent = respondent
    }

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
    public var idText: String { Rating.idText(number) }

    /// The rater name that marks an agreed rating.
    public static let settled = "settled"
    /// What the score column holds in a void row.
    public static let void = "void"
    /// The highest row number (as in the training ledger).
    public static let maxNumber = Int(Int32.max)

    /// `R000042`.
    public static func idText(_ number: Int) -> String {
        let digits = String(number)
        return "R" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// 42 for `R000042`; nil for anything else.
    public static func number(_ text: String) -> Int? {
        let u = Array(text.utf8)
        guard u.count >= 2, u.count <= 16, u[0] == UInt8(ascii: "R") else { return nil }
        var v = 0
        for b in u.dropFirst() {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v > 0 && v <= maxNumber ? v : nil
    }

    /// The row as written to ratings.csv, with its line break.
    public var csvLine: String {
        CSV.line([idText, date.description, interview.site, String(interview.round), interview.respondentKind,
                  interview.respondent, item, rater, score.map(String.init) ?? Rating.void, note])
    }
}
