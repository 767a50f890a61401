import CurriculumKit
import KitbagCore

/// Where a worker stands on one required item.
public enum ItemState: String, Sendable {
    /// Attendance reached the share, or the assessment is passed, and it has not expired.
    case done
    /// Met by other means (prior or local training); the note says why.
    case waived
    /// Was done, but `valid-for-months` has passed since: a refresher is due.
    case expired
    /// Failed and not passed since (attempts counted).
    case failed
    /// Nothing, or not enough, recorded yet.
    case missing

    /// Whether the item counts as met for sign-off and coverage.
    public var isMet: Bool { self == .done || self == .waived }
}

/// The overall state of a worker, in order of precedence.
public enum OverallState: String, Sendable, CaseIterable {
    case withdrawn
    case reserve
    case notPassed = "not passed"
    case refresherDue = "refresher due"
    case signedOff = "signed off"
    case inTraining = "in training"
}

/// One worker's standing on one required item, as of a date.
public struct ItemStatus: Sendable {
    /// Index into the catalog.
    public var item: Int
    public var state: ItemState
    /// Modules: sessions attended (not voided, on or before the date) and sessions needed.
    public var attended = 0
    public var needed = 0
    /// Assessments: failed attempts that count (since the last pass, when it has expired).
    public var failures = 0
    public var attemptsAllowed: Int?
    /// Assessments: failed attempts before the last pass (shown, not counted against the limit).
    public var failuresBeforePass = 0
    /// Whether every allowed attempt is used without a pass.
    public var attemptsUsedUp = false
    /// The last qualifying session, the passing date or the waiver date.
    public var metOn: ISODate?
    /// When a refresher falls due (met date + valid-for-months), if the item expires.
    public var expiresOn: ISODate?
    /// The site's local module (catalog index) whose rows this standing comes from, when it
    /// stands in for the programme module; nil when it comes from the module's own rows.
    public var via: Int?

    /// A short cell for tables: `done`, `waived`, `expired`, `failed 1/2`, `missing`, `1/2 sessions`.
    public var cell: String {
        switch state {
        case .done, .waived, .expired: return state.rawValue
        case .failed: return "failed " + (attemptsAllowed.map { "\(failures)/\($0)" } ?? "\(failures)")
        case .missing: return attended > 0 ? "\(attended)/\(needed) sessions" : "missing"
        }
    }
}

/// One worker's status as of a date.
public struct WorkerStatus: Sendable {
    public var worker: Int
    public var items: [ItemStatus]
    /// Share of each principle's linked required items met (nil when a principle has none).
    public var coverage: [Double?]
    public var state: OverallState
    public var metCount: Int { items.filter { $0.state.isMet }.count }
}

/// Works out statuses from the ledger: pure, deterministic, and fast enough for a
/// million rows (per-worker buckets, no strings).
public struct StatusEngine: Sendable {
    public let cohort: Cohort
    public let asOf: ISODate

    public init(cohort: Cohort, asOf: ISODate) {
        self.cohort = cohort
        self.asOf = asOf
    }

    /// Every worker's status, in roster order.
    public func all() -> [WorkerStatus] {
        var scratch = Scratch(count: cohort.catalog.ids.count)
        return cohort.workers.indices.map { status(of: $0, scratch: &scratch) }
    }

    /// One worker's status.
    public func status(of worker: Int) -> WorkerStatus {
        var scratch = Scratch(count: cohort.catalog.ids.count)
        return status(of: worker, scratch: &scratch)
    }

    struct Scratch {
        var attended: [Int]
        var lastAttended: [Int32]
        var waived: [Int32]
        var lastPass: [Int32]
        var failures: [Int]
        var earlier: [Int]
        init(count: Int) {
            attended = Array(repeating: 0, count: count)
            lastAttended = Array(repeating: Int32.min, count: count)
            waived = Array(repeating: Int32.min, count: count)
            lastPass = Array(repeating: Int32.min, count: count)
            failures = Array(repeating: 0, count: count)
            earlier = Array(repeating: 0, count: count)
        }
        mutating func reset() {
            for i in attended.indices {
                attended[i] = 0
                lastAttended[i] = .min
                waived[i] = .min
                lastPass[i] = .min
                failures[i] = 0
                earlier[i] = 0
            }
        }
    }

    func status(of w: Int, scratch s: inout Scratch) -> WorkerStatus {
        s.reset()
        let ledger = cohort.ledger
        let catalog = cohort.catalog
        let limit = Int32(asOf.dayNumber)
        let rows = ledger.rows(ofWorker: w)
        for r in rows {
            let row = ledger.rows[Int(r)]
            guard row.day <= limit, !ledger.voided[Int(r)], row.item >= 0 else { continue }
            let i = Int(row.item)
            switch row.event {
            case .attended:
                s.attended[i] += 1
                s.lastAttended[i] = max(s.lastAttended[i], row.day)
            case .waived:
                if s.waived[i] == .min || row.day < s.waived[i] { s.waived[i] = row.day }
            case .passed:
                s.lastPass[i] = max(s.lastPass[i], row.day)
            case .absent, .failed, .void:
                break
            }
        }
        // Failures count from the last pass (a refresher's attempts), or from the start.
        for r in rows {
            let row = ledger.rows[Int(r)]
            guard row.event == .failed, row.day <= limit, !ledger.voided[Int(r)], row.item >= 0 else { continue }
            if row.day > s.lastPass[Int(row.item)] { s.failures[Int(row.item)] += 1 } else { s.earlier[Int(row.item)] += 1 }
        }
        var items: [ItemStatus] = []
        items.reserveCapacity(catalog.required.count)
        var anyUsedUp = false, anyExpired = false, allMet = true
        var met = [Bool](repeating: false, count: catalog.ids.count)
        for i in catalog.required {
            var st = ItemStatus(item: i, state: .missing)
            let valid = catalog.validForMonths[i]
            if catalog.kinds[i] == .module {
                st = moduleStatus(i, s)
                // A local module counts as the programme module it stands in for: the better
                // standing of the two is the module's.
                for local in catalog.standIns[i] {
                    var other = moduleStatus(local, s)
                    other.item = i
                    other.via = local
                    if Self.rank(other) > Self.rank(st) { st = other }
                }
            } else {
                st.attemptsAllowed = catalog.attempts[i]
                st.failures = s.failures[i]
                st.failuresBeforePass = s.earlier[i]
                st.attemptsUsedUp = st.attemptsAllowed.map { st.failures >= $0 } ?? false
                if s.lastPass[i] != .min {
                    let passed = ISODate(dayNumber: Int(s.lastPass[i]))
                    st.metOn = passed
                    st.expiresOn = valid.map { passed.adding(months: $0) }
                    if st.expiresOn.map({ asOf >= $0 }) ?? false {
                        st.state = st.attemptsUsedUp ? .failed : .expired
                    } else {
                        st.state = .done
                        st.attemptsUsedUp = false
                    }
                } else if st.failures > 0 {
                    st.state = .failed
                }
            }
            if st.state == .failed && st.attemptsUsedUp { anyUsedUp = true }
            if st.state == .expired { anyExpired = true }
            if st.state.isMet { met[i] = true } else { allMet = false }
            items.append(st)
        }
        let coverage: [Double?] = catalog.principleItems.map { linked in
            guard !linked.isEmpty else { return nil }
            return Double(linked.filter { met[$0] }.count) / Double(linked.count)
        }
        let state: OverallState
        switch cohort.workers[w].status {
        case .withdrawn: state = .withdrawn
        case .reserve: state = .reserve
        case .active:
            if anyUsedUp { state = .notPassed }
            else if anyExpired { state = .refresherDue }
            else if allMet { state = .signedOff }
            else { state = .inTraining }
        }
        return WorkerStatus(worker: w, items: items, coverage: coverage, state: state)
    }

    /// A module's standing from its own rows: waived, done (or expired) when attendance
    /// reaches the share, else missing with the sessions attended so far.
    func moduleStatus(_ i: Int, _ s: Scratch) -> ItemStatus {
        let catalog = cohort.catalog
        var st = ItemStatus(item: i, state: .missing)
        st.attended = s.attended[i]
        st.needed = catalog.sessionsNeeded[i]
        if s.waived[i] != .min {
            st.state = .waived
            st.metOn = ISODate(dayNumber: Int(s.waived[i]))
        } else if st.attended >= st.needed {
            let last = ISODate(dayNumber: Int(s.lastAttended[i]))
            st.metOn = last
            st.expiresOn = catalog.validForMonths[i].map { last.adding(months: $0) }
            st.state = (st.expiresOn.map { asOf >= $0 } ?? false) ? .expired : .done
        }
        return st
    }

    /// Orders two standings on one module: met before expired before partly attended before
    /// nothing; between two of a kind, the later (met, or expiring) or the further along.
    static func rank(_ st: ItemStatus) -> (Int, Int) {
        switch st.state {
        case .done, .waived: return (3, st.metOn?.dayNumber ?? 0)
        case .expired: return (2, st.expiresOn?.dayNumber ?? 0)
        default: return (st.attended > 0 ? 1 : 0, st.needed > 0 ? st.attended * 1000 / st.needed : 0)
        }
    }
}

extension Double {
    /// A share as a whole percentage: 0.666 -> "67".
    var percent: String { String(Int((self * 100).rounded())) }
}
