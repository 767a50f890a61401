import CurriculumKit
import KitbagCore

/// `track summary --cohorts DIR`: per site and cohort, workers per overall state, workers with
/// a refresher due within 60 days (overdue included) and mean principle coverage of active
/// workers. With `minCell`, counts from 1 to minCell - 1 are shown as "<minCell" so that a
/// report that leaves the service does not single out a few people.
public struct CohortSummary: Sendable {
    public var cohorts: [Cohort]
    public var asOf: ISODate
    public var minCell: Int?
    public static let refresherDays = 60

    public init(cohorts: [Cohort], asOf: ISODate, minCell: Int?) {
        self.cohorts = cohorts.sorted { ($0.info.site, $0.info.id) < ($1.info.site, $1.info.id) }
        self.asOf = asOf
        self.minCell = minCell
    }

    static let states: [OverallState] = [.signedOff, .inTraining, .refresherDue, .notPassed, .reserve, .withdrawn]

    /// One line of the summary, counts before they are shown.
    struct Line {
        var site: String
        var cohort: String
        var workers = 0
        var states: [Int] = Array(repeating: 0, count: CohortSummary.states.count)
        var refreshersDue = 0
        var coverageSum: [Double] = []
        var coverageCount: [Int] = []

        mutating func add(_ other: Line) {
            workers += other.workers
            for k in states.indices { states[k] += other.states[k] }
            refreshersDue += other.refreshersDue
            for k in coverageSum.indices {
                coverageSum[k] += other.coverageSum[k]
                coverageCount[k] += other.coverageCount[k]
            }
        }
    }

    var principleIDs: [String] { cohorts.first?.catalog.principleIDs ?? [] }

    func line(for cohort: Cohort) -> Line {
        let view = StatusView(cohort: cohort, asOf: asOf, anonymise: true)
        let principles = cohort.catalog.principleIDs.count
        var line = Line(site: cohort.info.site, cohort: cohort.info.id,
                        coverageSum: Array(repeating: 0, count: principles), coverageCount: Array(repeating: 0, count: principles))
        let due = Set(ToDo(view: view).due(withinDays: Self.refresherDays).map(\.worker))
        for s in view.statuses {
            line.workers += 1
            if let k = Self.states.firstIndex(of: s.state) { line.states[k] += 1 }
            if due.contains(s.worker) { line.refreshersDue += 1 }
            guard cohort.workers[s.worker].status == .active else { continue }
            for (k, c) in s.coverage.enumerated() where k < principles {
                if let c {
                    line.coverageSum[k] += c
                    line.coverageCount[k] += 1
                }
            }
        }
        return line
    }

    /// The lines in order: each site's cohorts, a site total when a site has several, and
    /// a total for all when there are several cohorts.
    func lines() -> [Line] {
        var out: [Line] = []
        var all = Line(site: "all sites", cohort: "total", coverageSum: principleIDs.map { _ in 0 }, coverageCount: principleIDs.map { _ in 0 })
        var k = 0
        while k < cohorts.count {
            let site = cohorts[k].info.site
            var total = Line(site: site, cohort: "site total", coverageSum: principleIDs.map { _ in 0 }, coverageCount: principleIDs.map { _ in 0 })
            var count = 0
            while k < cohorts.count && cohorts[k].info.site == site {
                let l = line(for: cohorts[k])
                out.append(l)
                if l.coverageSum.count == total.coverageSum.count { total.add(l) }
                count += 1
                k += 1
            }
            if count > 1 { out.append(total) }
            all.add(total)
        }
        if cohorts.count > 1 { out.append(all) }
        return out
    }

    /// A count as shown: "<5" for 1 to 4 when `minCell` is 5.
    func count(_ n: Int) -> String {
        if let minCell, n > 0, n < minCell { return "<\(minCell)" }
        return String(n)
    }

    var header: [String] {
        ["site", "cohort", "workers"] + Self.states.map(\.rawValue) + ["due in \(Self.refresherDays)d"]
            + principleIDs.map { "\($0) %" }
    }

    func cells(_ l: Line) -> [String] {
        [l.site, l.cohort, count(l.workers)] + l.states.map(count) + [count(l.refreshersDue)]
            + l.coverageSum.indices.map { l.coverageCount[$0] == 0 ? "-" : (l.coverageSum[$0] / Double(l.coverageCount[$0])).percent }
    }

    public func table() -> String {
        var out = "Training across \(cohorts.count) cohort\(cohorts.count == 1 ? "" : "s"), as of \(asOf)\n\n"
        out += TableCell.align([header] + lines().map(cells))
        out += "\nstates: workers in each overall state; due in \(Self.refresherDays)d: workers with a refresher due within \(Self.refresherDays) days or overdue\n"
        out += "P columns: mean per cent of each principle's required items met, over active workers\n"
        if let minCell { out += "counts from 1 to \(minCell - 1) are shown as <\(minCell)\n" }
        return out
    }

    public func csv() -> String {
        var out = CSVWriter(neutralise: true)
        out.line(header)
        for l in lines() { out.line(cells(l)) }
        return out.text
    }
}
