import CurriculumKit
import KitbagCore

/// `cohort.md`: the cohort's identity.
public struct CohortInfo: Sendable {
    public var id: String
    public var name: String
    public var site: String
    public var coordinator: String
    public var start: ISODate?
    /// The site whose edition the cohort trains with: the stem of `Handbook/sites/<site>.md`.
    public var edition: String?
}

/// A worker's place on the roster.
public enum RosterStatus: String, Sendable, CaseIterable {
    case active, reserve, withdrawn
}

/// One line of `roster.csv`. The id is the worker's pseudonym; the name appears only in
/// outputs that are not anonymised.
public struct Worker: Sendable {
    public var id: String
    public var name: String
    public var site: String
    public var status: RosterStatus
    public var joined: ISODate
    /// 1-based line in roster.csv.
    public var line: Int
    /// Byte range of the whole record in roster.csv, line break included (for erasure).
    var byteRange: Range<Int>
}

/// What a ledger row records.
public enum LedgerEvent: UInt8, Sendable, CaseIterable {
    case attended, absent, waived, passed, failed, void

    public var name: String {
        switch self {
        case .attended: "attended"
        case .absent: "absent"
        case .waived: "waived"
        case .passed: "passed"
        case .failed: "failed"
        case .void: "void"
        }
    }

    public init?(name: String) {
        guard let e = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = e
    }

    /// The kind of item the event applies to (nil for `void`).
    public var itemKind: CurriculumKind? {
        switch self {
        case .attended, .absent, .waived: .module
        case .passed, .failed: .assessment
        case .void: nil
        }
    }
}

/// The modules and assessments rows may name, with what the status engine needs about each.
public struct ItemCatalog: Sendable {
    public var ids: [String] = []
    public var titles: [String] = []
    public var kinds: [CurriculumKind] = []
    /// Attended sessions a module needs (ceil(attendance share x sessions)); 0 for assessments.
    public var sessionsNeeded: [Int] = []
    public var sessions: [Int] = []
    public var validForMonths: [Int?] = []
    /// Attempts allowed for an assessment (nil: no limit).
    public var attempts: [Int?] = []
    /// Indexes of required items, modules first, in pathway order.
    public var required: [Int] = []
    /// Principle IDs in order, and for each principle the required items linked to it.
    public var principleIDs: [String] = []
    public var principleTitles: [String] = []
    public var principleItems: [[Int]] = []
    public var index: [String: Int] = [:]
    /// For each module, the modules it names as prerequisites (empty for assessments).
    public var prerequisites: [[Int]] = []
    /// The sites a cohort's `edition:` may name (the stems of `Handbook/sites/*.md`).
    public var sites: [String] = []
    /// For a site's local module, the site and the file that declares it; nil for programme items.
    public var localSite: [String?] = []
    public var localFile: [String?] = []
    /// For a local module, the programme module it stands in for; nil for programme items.
    public var standsInFor: [Int?] = []
    /// For each programme module, the local modules that stand in for it.
    public var standIns: [[Int]] = []

    /// The curriculum's modules and assessments, then every site's local modules (each one
    /// standing in for a programme module; see docs/editions.md).
    public init(curriculum: Curriculum, sites: SiteSet) {
        func add(_ id: String, _ title: String, _ kind: CurriculumKind, sessions: Int, needed: Int, valid: Int?, attempts: Int?) {
            index[id] = ids.count
            ids.append(id)
            titles.append(title)
            kinds.append(kind)
            self.sessions.append(sessions)
            sessionsNeeded.append(needed)
            validForMonths.append(valid)
            self.attempts.append(attempts)
            localSite.append(nil)
            localFile.append(nil)
            standsInFor.append(nil)
            standIns.append([])
        }
        let share = curriculum.attendanceShare
        for m in curriculum.modules {
            let needed = max(1, min(m.sessions, Int((share * Double(m.sessions) - 1e-9).rounded(.up))))
            add(m.info.id, m.info.title, .module, sessions: m.sessions, needed: needed, valid: m.validForMonths, attempts: nil)
        }
        for a in curriculum.assessments {
            add(a.info.id, a.info.title, .assessment, sessions: 0, needed: 0, valid: a.validForMonths, attempts: a.attempts)
        }
        prerequisites = curriculum.modules.map { $0.prerequisites.compactMap { index[$0.id] } }
            + Array(repeating: [], count: curriculum.assessments.count)
        self.sites = sites.ids
        // A local module is a module of its own (its title, its sessions) that counts as the
        // programme module it stands in for; it has that module's prerequisites and validity.
        // One whose ID is taken, or whose programme module is unknown, is left out here:
        // `kitbag check` reports it from the handbook.
        for local in sites.localModules {
            guard let id = local.localID, index[id] == nil, let m = index[local.target], kinds[m] == .module else { continue }
            let needed = max(1, min(local.sessions, Int((share * Double(local.sessions) - 1e-9).rounded(.up))))
            add(id, local.title ?? id, .module, sessions: local.sessions, needed: needed, valid: validForMonths[m], attempts: nil)
            let i = ids.count - 1
            localSite[i] = local.site
            localFile[i] = local.relativePath
            standsInFor[i] = m
            standIns[m].append(i)
            prerequisites.append(prerequisites[m])
        }
        required = (curriculum.requiredModules.map(\.info.id) + curriculum.requiredAssessments.map(\.info.id))
            .compactMap { index[$0] }
        for p in curriculum.principles {
            principleIDs.append(p.info.id)
            principleTitles.append(p.info.title)
            principleItems.append(required.filter { curriculum.principleIDs(servedBy: ids[$0]).contains(p.info.id) })
        }
    }
}

/// A field's bytes in the ledger file, decoded only when shown.
struct TextRef: Sendable {
    var start: Int32
    var end: Int32
    var quoted: Bool
    static let empty = TextRef(start: 0, end: 0, quoted: false)
}

/// One row of `records.csv`, compact: a million of these must fit in little memory.
public struct LedgerRow: Sendable {
    /// The number in the row id (`R000042` is 42).
    public var number: Int
    /// Days since 1970-01-01.
    public var day: Int32
    /// Index into the cohort's workers (-1 when unknown).
    public var worker: Int32
    /// Index into the item catalog; for a `void`, the index in `Ledger.rows` of the row it cancels (-1 when unresolved).
    public var item: Int32
    public var event: LedgerEvent
    /// 1-based line in records.csv.
    public var line: Int32
    var by: TextRef
    var note: TextRef

    public var date: ISODate { ISODate(dayNumber: Int(day)) }
    public var idText: String { RowID.text(number) }
}

/// The parsed ledger: rows in file order, the bytes their texts live in, and indexes.
public struct Ledger: Sendable {
    public var rows: [LedgerRow] = []
    /// Whether each row is cancelled by a later `void` row.
    public var voided: [Bool] = []
    /// Rows of each worker, in file order: `workerRows[workerStart[w]..<workerStart[w + 1]]`.
    public var workerStart: [Int] = []
    public var workerRows: [Int32] = []
    /// The file's bytes (texts of `by` and `note` are read from here).
    var bytes: [UInt8] = []
    /// Where a torn last line starts, when there is one.
    public var tornOffset: Int?
    /// Whether the file exists and is not empty.
    public var exists = false
    /// Whether the file starts with its header line.
    public var hasHeader = false
    /// Whether the file uses CRLF line ends.
    public var crlf = false
    /// The highest row number in the file.
    public var highestNumber = 0

    public func by(_ row: LedgerRow) -> String { text(row.by) }
    public func note(_ row: LedgerRow) -> String { text(row.note) }

    func text(_ ref: TextRef) -> String {
        guard ref.end > ref.start else { return "" }
        return bytes.withUnsafeBufferPointer {
            CSVScanner.string($0, Int(ref.start)..<Int(ref.end), quoted: ref.quoted)
        }
    }

    /// The index of the row numbered `number` (rows are in increasing number order).
    public func index(ofNumber number: Int) -> Int? {
        var low = 0, high = rows.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let v = rows[mid].number
            if v == number { return mid }
            if v < number { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// Row indexes of one worker, in file order.
    public func rows(ofWorker w: Int) -> ArraySlice<Int32> {
        guard w + 1 < workerStart.count else { return [] }
        return workerRows[workerStart[w]..<workerStart[w + 1]]
    }
}

/// A cohort on disk, loaded: its info, roster, ledger and the catalog of items.
public struct Cohort: Sendable {
    /// The folder name under the cohorts directory.
    public var folder: String
    /// File-system path of the cohort folder.
    public var path: String
    /// How the folder is shown in diagnostics.
    public var displayPath: String
    public var info: CohortInfo
    public var workers: [Worker] = []
    public var workerIndex: [String: Int] = [:]
    public var ledger = Ledger()
    public var catalog: ItemCatalog
    /// The highest row number erased (from erasures.csv), so ids are never reused.
    public var highestErasedNumber = 0

    public var recordsPath: String { FileSystem.join(path, "records.csv") }
    public var rosterPath: String { FileSystem.join(path, "roster.csv") }
    public var erasuresPath: String { FileSystem.join(path, "erasures.csv") }
    public var lockPath: String { FileSystem.join(path, "records.csv.lock") }
    public var recordsDisplay: String { FileSystem.join(displayPath, "records.csv") }
    public var rosterDisplay: String { FileSystem.join(displayPath, "roster.csv") }

    /// The next row number to assign.
    public var nextNumber: Int { max(ledger.highestNumber, highestErasedNumber) + 1 }
}
