import CurriculumKit
import KitbagCore

/// `track export --xapi`: the ledger as xAPI 1.0.3 statements for a learning record store.
/// A worker appears only as an account whose name is the worker id; never by name or e-mail.
public struct XAPIExport: Sendable {
    public var cohort: Cohort
    /// The account's `homePage` (the system that issues the worker ids).
    public var homePage: String
    /// Leave out the `by` names and notes (instructor names and free text).
    public var anonymise: Bool
    /// Only rows on or before this date.
    public var asOf: ISODate

    /// Only these workers (nil: everyone).
    public var workers: [Int]?
    /// The IRI that activity ids and extension keys start with (`xapi-base:` in book.md).
    public var base: String
    /// The language of names and displays (`language:` in book.md).
    public var language: String

    /// The base used when book.md has no `xapi-base:`.
    public static let defaultBase = "https://kitbag.invalid/xapi/"

    public init(cohort: Cohort, homePage: String, anonymise: Bool, asOf: ISODate, workers: [Int]? = nil,
                base: String? = nil, language: String? = nil) {
        self.workers = workers
        let b = base ?? XAPIExport.defaultBase
        self.base = b.hasSuffix("/") ? b : b + "/"
        self.language = language ?? "en"
        self.cohort = cohort
        self.homePage = homePage
        self.anonymise = anonymise
        self.asOf = asOf
    }

    static let verbs = "http://adlnet.gov/expapi/verbs/"
    static let moduleType = "http://adlnet.gov/expapi/activities/module"
    static let assessmentType = "http://adlnet.gov/expapi/activities/assessment"

    /// A stable statement id: a version 5 UUID of the account's home page, the cohort and the
    /// row, so a second export of the same row is recognised by the store instead of counted twice.
    func uuid(_ name: String) -> String {
        NameBasedUUID.make(namespace: NameBasedUUID.statements, name: homePage + "|" + name)
    }

    /// Extension keys are IRIs under the base.
    var extensionBase: String { base + "extensions/" }

    /// The activity of a curriculum item: the same id in every cohort.
    public func activityID(_ item: Int) -> String { base + cohort.catalog.ids[item] }

    func activity(_ item: Int) -> String {
        let catalog = cohort.catalog
        let type = catalog.kinds[item] == .module ? XAPIExport.moduleType : XAPIExport.assessmentType
        return "{\"objectType\": \"Activity\", \"id\": \(JSON.quote(activityID(item))), "
            + "\"definition\": {\"name\": {\(JSON.quote(language)): \(JSON.quote(catalog.titles[item]))}, \"type\": \"\(type)\"}}"
    }

    func statement(id: String, worker: Int, verb: String, item: Int, date: ISODate, result: String?, extra: [String]) -> String {
        let actor = "{\"objectType\": \"Agent\", \"account\": {\"homePage\": \(JSON.quote(homePage)), \"name\": \(JSON.quote(cohort.workers[worker].id))}}"
        var s = "  {\"id\": \"\(uuid(id))\", \"actor\": \(actor),\n   \"verb\": {\"id\": \"\(XAPIExport.verbs)\(verb)\", \"display\": {\(JSON.quote(language)): \"\(verb)\"}},\n"
        s += "   \"object\": \(activity(item)),\n"
        if let result { s += "   \"result\": \(result),\n" }
        var ext = ["\"\(extensionBase)cohort\": \(JSON.quote(cohort.info.id))"]
        ext += extra
        s += "   \"context\": {\"platform\": \"kitbag\", \"language\": \(JSON.quote(language)), \"extensions\": {\(ext.joined(separator: ", "))}},\n"
        s += "   \"timestamp\": \"\(date)T00:00:00Z\"}"
        return s
    }

    /// The statements as a JSON array: one per attended, passed and failed row (voided rows
    /// and `absent` rows left out), and one `completed` when a module is completed by
    /// attendance or waived.
    public func render() -> String {
        "[\n" + statements().joined(separator: ",\n") + "\n]\n"
    }

    /// Each statement as JSON text, in ledger order per worker.
    public func statements() -> [String] {
        let ledger = cohort.ledger
        let catalog = cohort.catalog
        var statements: [String] = []
        let limit = Int32(asOf.dayNumber)
        for w in workers ?? Array(cohort.workers.indices) {
            var attended = [Int](repeating: 0, count: catalog.ids.count)
            let rows = ledger.rows(ofWorker: w).map(Int.init).sorted { (ledger.rows[$0].day, $0) < (ledger.rows[$1].day, $1) }
            for r in rows {
                let row = ledger.rows[r]
                guard row.event != .void, !ledger.voided[r], row.day <= limit, row.item >= 0 else { continue }
                let item = Int(row.item)
                let key = "\"\(extensionBase)row\": \"\(row.idText)\""
                var extra = [key]
                if !anonymise {
                    let by = ledger.by(row)
                    if !by.isEmpty { extra.append("\"\(extensionBase)by\": \(JSON.quote(by))") }
                }
                let id = "\(cohort.info.id)/\(row.idText)"
                switch row.event {
                case .attended:
                    statements.append(statement(id: id, worker: w, verb: "attended", item: item, date: row.date, result: nil, extra: extra))
                    attended[item] += 1
                    if attended[item] == catalog.sessionsNeeded[item] {
                        statements.append(statement(id: id + "/completed", worker: w, verb: "completed", item: item, date: row.date,
                                                    result: "{\"completion\": true}", extra: extra))
                    }
                case .waived:
                    var e = extra
                    e.append("\"\(extensionBase)waived\": true")
                    if !anonymise { e.append("\"\(extensionBase)note\": \(JSON.quote(ledger.note(row)))") }
                    statements.append(statement(id: id, worker: w, verb: "completed", item: item, date: row.date, result: "{\"completion\": true}", extra: e))
                case .passed:
                    statements.append(statement(id: id, worker: w, verb: "passed", item: item, date: row.date, result: "{\"success\": true, \"completion\": true}", extra: extra))
                case .failed:
                    statements.append(statement(id: id, worker: w, verb: "failed", item: item, date: row.date, result: "{\"success\": false, \"completion\": true}", extra: extra))
                case .absent, .void:
                    break
                }
            }
        }
        return statements
    }
}
