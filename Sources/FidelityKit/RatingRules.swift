import CurriculumKit
import KitbagCore

/// What every rating is checked against: the instrument, the sites and today's date.
public struct FidelityContext: Sendable {
    public var instrument: FidelityInstrument
    public var curriculum: Curriculum
    /// Site ids: the stems of `Handbook/sites/*.md`.
    public var sites: [String]
    public var today: ISODate
    let items: [String: FidelityItem]

    public init(curriculum: Curriculum, instrument: FidelityInstrument, sites: [String], today: ISODate) {
        self.curriculum = curriculum
        self.instrument = instrument
        self.sites = sites
        self.today = today
        var items: [String: FidelityItem] = [:]
        for item in curriculum.fidelityItems { items[item.info.id] = item }
        self.items = items
    }
}

/// The rules every rating obeys, whether it is already in ratings.csv, comes from an import
/// sheet or from `fidelity record`: one place, so the three agree.
enum RatingRules {
    static let highestRound = 99

    /// Checks one row's fields (all but `id`) and returns the rating, or nil with the
    /// problems in `bag` at the column they are in.
    static func decode(_ value: (RatingColumn) -> String, at: (RatingColumn) -> SourceLocation?, line: Int,
                       context c: FidelityContext, into bag: inout DiagnosticBag) -> Rating? {
        var ok = true
        func fail(_ code: Diagnostic.Code, _ column: RatingColumn, _ message: String, notes: [Diagnostic.Note] = []) {
            bag.error(code, message, at: at(column), notes: notes)
            ok = false
        }
        let dateText = value(.date)
        let date = ISODate(dateText)
        if date == nil {
            fail(.invalidDate, .date, dateText.isEmpty ? "the date is empty; expected YYYY-MM-DD" : "date '\(dateText)' is not a valid YYYY-MM-DD date")
        } else if let date, date > c.today {
            fail(.futureDate, .date, "date \(date) is after today (\(c.today))")
        }
        let site = value(.site)
        if !c.sites.contains(site) {
            var notes: [Diagnostic.Note] = []
            if c.sites.isEmpty {
                notes.append(.init("there are no sites: a site is the stem of a file Handbook/sites/<site>.md"))
            } else if let guess = DidYouMean.closest(to: site, in: c.sites) {
                notes.append(.init("did you mean '\(guess)'?"))
            } else {
                notes.append(.init("the sites are \(c.sites.joined(separator: ", ")) (Handbook/sites/<site>.md)"))
            }
            fail(.unknownSite, .site, site.isEmpty ? "the site is empty" : "unknown site '\(site)'", notes: notes)
        }
        let roundText = value(.round)
        let round = Int(roundText).flatMap { (1...highestRound).contains($0) ? $0 : nil }
        if round == nil {
            fail(.invalidRound, .round, "round '\(roundText)' is not a whole number from 1 to \(highestRound)")
        }
        let kind = value(.respondentKind)
        let kindKnown = c.instrument.respondentKinds.contains(kind)
        if !kindKnown {
            var notes: [Diagnostic.Note] = [.init("the respondent kinds are \(c.instrument.respondentKinds.joined(separator: ", "))")]
            if let guess = DidYouMean.closest(to: kind, in: c.instrument.respondentKinds) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
            fail(.unknownRespondentKind, .respondentKind, "unknown respondent kind '\(kind)'", notes: notes)
        }
        let respondent = value(.respondent)
        if respondent.isEmpty { fail(.missingValue, .respondent, "the respondent is empty: give the respondent's pseudonym") }
        let rater = value(.rater)
        if rater.isEmpty { fail(.missingValue, .rater, "the rater is empty: give the rater's pseudonym, or 'settled' for an agreed rating") }
        let scoreText = value(.score)
        let item = value(.item)
        var score: Int?
        if scoreText == Rating.void {
            if RowID.number(item) == nil {
                fail(.unknownVoidTarget, .item, "a void names the row it cancels in the item column (R000012), found '\(item)'")
            }
        } else {
            let scale = c.instrument.scores.map(String.init).joined(separator: ", ")
            if let s = Int(scoreText), c.instrument.scores.contains(s) {
                score = s
            } else {
                fail(.scoreOutsideScale, .score, scoreText.isEmpty ? "the score is empty; the scale is \(scale) (or 'void')" : "score '\(scoreText)' is not on the scale \(scale)")
            }
            if let fi = c.items[item] {
                if kindKnown, !fi.respondents.contains(where: { $0.id == kind }) {
                    fail(.itemNotAsked, .item, "\(item) is not asked of a \(kind); it is asked of \(fi.respondents.map(\.id).joined(separator: ", "))",
                         notes: [.init("see \(fi.info.relativePath)", at: fi.info.location)])
                }
            } else {
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: item, in: c.curriculum.fidelityItems.map(\.info.id)) { notes.append(.init("did you mean '\(guess)'?")) }
                fail(.unknownFidelityItem, .item, item.isEmpty ? "the item is empty" : "unknown fidelity item '\(item)'", notes: notes)
            }
        }
        guard ok, let date, let round else { return nil }
        return Rating(number: 0, date: date, interview: Interview(site: site, round: round, respondentKind: kind, respondent: respondent),
                      item: item, rater: rater, score: score, note: value(.note), line: line)
    }

    /// The rules between rows: ids rise, a void cancels one earlier rating of the same
    /// interview, and no interview has two live ratings of an item by one rater. Rows from
    /// `checkFrom` on are the ones being checked (earlier ones are known to be sound);
    /// returns which rows are voided.
    static func audit(_ rows: [Rating], locations: [SourceLocation?], checkFrom: Int = 0, into bag: inout DiagnosticBag) -> [Bool] {
        var voided = [Bool](repeating: false, count: rows.count)
        var byNumber: [Int: Int] = [:]
        var lastNumber = 0
        for (k, r) in rows.enumerated() {
            if k >= checkFrom {
                if r.number <= lastNumber {
                    bag.error(.duplicateRecordID, "row id \(r.idText) does not follow \(RowID.text(lastNumber)); ids rise by one from R000001", at: locations[k])
                }
            }
            lastNumber = max(lastNumber, r.number)
            byNumber[r.number] = k
            guard r.isVoid else { continue }
            guard let n = RowID.number(r.item), let t = byNumber[n], t < k else {
                if k >= checkFrom { bag.error(.unknownVoidTarget, "there is no earlier row '\(r.item)' to void", at: locations[k]) }
                continue
            }
            let target = rows[t]
            if target.isVoid {
                if k >= checkFrom { bag.error(.voidOfVoid, "'\(r.item)' is itself a void; record the rating again instead", at: locations[k]) }
            } else if voided[t] {
                if k >= checkFrom { bag.error(.alreadyVoided, "row '\(r.item)' is already voided", at: locations[k]) }
            } else if target.interview != r.interview {
                if k >= checkFrom {
                    bag.error(.voidInterviewMismatch, "row '\(r.item)' rates the interview \(target.interview.description), not \(r.interview.description)", at: locations[k])
                }
            } else {
                voided[t] = true
            }
        }
        struct Key: Hashable { var interview: Interview; var item: String; var rater: String }
        var first: [Key: Int] = [:]
        for (k, r) in rows.enumerated() where !r.isVoid && !voided[k] {
            let key = Key(interview: r.interview, item: r.item, rater: r.rater)
            if let f = first[key] {
                if k >= checkFrom {
                    let place = f >= checkFrom ? locations[f].map { "at \($0.description)" } ?? "on the command line" : "row \(rows[f].idText)"
                    let who = r.isSettled ? "a settled rating" : "a rating by '\(r.rater)'"
                    bag.error(.duplicateRating, "\(r.item) already has \(who) for the interview \(r.interview.description) (\(place)); void that row first to correct it",
                              at: locations[k])
                }
            } else {
                first[key] = k
            }
        }
        return voided
    }
}
