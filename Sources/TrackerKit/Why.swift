import CurriculumKit
import KitbagCore

/// `track why W`: the sign-off rules for one worker as a tree, each leaf with the ledger
/// rows that satisfy it or the reason it is not met.
public struct WhyExplainer: Sendable {
    public var view: StatusView

    public init(view: StatusView) { self.view = view }

    var cohort: Cohort { view.cohort }

    /// One line of evidence for a ledger row: "R000012 attended 2026-03-04 (by Sam Reed)".
    func evidence(_ r: Int) -> String {
        let row = cohort.ledger.rows[r]
        var text = "\(row.idText) \(row.event.name) \(row.date)"
        if row.item >= 0, let site = cohort.catalog.localSite[Int(row.item)] {
            text += " (\(cohort.catalog.ids[Int(row.item)]), \(site)'s local module)"
        }
        let by = cohort.ledger.by(row)
        if !by.isEmpty && !view.anonymise { text += " by \(by)" }
        let note = cohort.ledger.note(row)
        if !note.isEmpty && row.event == .waived && !view.anonymise { text += ": \"\(note.replacingNewlines())\"" }
        return text
    }

    /// Rows of the worker about catalog item `item` or a local module standing in for it
    /// (voided ones marked), by date.
    func rows(of w: Int, item: Int) -> [Int] {
        let items = [item] + cohort.catalog.standIns[item]
        return cohort.ledger.rows(ofWorker: w).map(Int.init).filter {
            let row = cohort.ledger.rows[$0]
            return row.event != .void && items.contains(Int(row.item))
        }.sorted { (cohort.ledger.rows[$0].day, $0) < (cohort.ledger.rows[$1].day, $1) }
    }

    func voidRow(cancelling r: Int, worker w: Int) -> Int? {
        cohort.ledger.rows(ofWorker: w).map(Int.init).first {
            cohort.ledger.rows[$0].event == .void && Int(cohort.ledger.rows[$0].item) == r
        }
    }

    public func explain(worker w: Int) -> String {
        guard let status = view.statuses.first(where: { $0.worker == w }) else { return "" }
        let catalog = cohort.catalog
        let worker = cohort.workers[w]
        let asOf = view.asOf.dayNumber
        var out = "\(view.label(w)): \(status.state.rawValue), as of \(view.asOf)\n"
        out += "Sign-off: roster status active, every required module and assessment met, none expired\n"
        out += "├── roster status: \(worker.status.rawValue)" + (worker.status == .active ? " (met)" : " (\(worker.status.rawValue) takes precedence over training)") + "\n"
        let groups: [(String, CurriculumKind)] = [("required modules", .module), ("required assessments", .assessment)]
        for (g, (title, kind)) in groups.enumerated() {
            let items = status.items.filter { catalog.kinds[$0.item] == kind }
            let last = g == groups.count - 1
            let met = items.filter { $0.state.isMet }.count
            out += "\(last ? "└── " : "├── ")\(title): \(met) of \(items.count) met\n"
            let stem = last ? "    " : "│   "
            for (k, item) in items.enumerated() {
                let leafLast = k == items.count - 1
                let verdict = item.state.isMet ? "met" : "not met"
                out += "\(stem)\(leafLast ? "└── " : "├── ")[\(verdict)] \(catalog.ids[item.item]) \(catalog.titles[item.item]): \(reason(item))\n"
                let inner = stem + (leafLast ? "    " : "│   ")
                let rs = rows(of: w, item: item.item)
                for r in rs {
                    let row = cohort.ledger.rows[r]
                    var line = evidence(r)
                    if cohort.ledger.voided[r], let v = voidRow(cancelling: r, worker: w) {
                        let reason = view.anonymise ? "" : ": \(cohort.ledger.note(cohort.ledger.rows[v]).replacingNewlines())"
                        line += " (voided by \(cohort.ledger.rows[v].idText)\(reason); not counted)"
                    } else if Int(row.day) > asOf {
                        line += " (after \(view.asOf); not counted)"
                    }
                    out += "\(inner)· \(line)\n"
                }
                if rs.isEmpty { out += "\(inner)· no ledger rows\n" }
            }
        }
        out += "overall: \(status.state.rawValue): \(overallReason(status))\n"
        return out
    }

    /// Why an item is, or is not, met.
    func reason(_ item: ItemStatus) -> String {
        let catalog = cohort.catalog
        let i = item.item
        let expiry = item.expiresOn.map { view.asOf >= $0 ? "; expired on \($0), a refresher is due" : "; valid until \($0)" } ?? ""
        if catalog.kinds[i] == .module, let local = item.via {
            var own = item
            own.item = local
            own.via = nil
            return "through \(catalog.ids[local]) \(catalog.titles[local]), the local module standing in for it: " + reason(own)
        }
        if catalog.kinds[i] == .module {
            let needed = "attended \(item.attended) of \(item.needed) session\(item.needed == 1 ? "" : "s") needed" + (item.needed < catalog.sessions[i] ? " (out of \(catalog.sessions[i]))" : "")
            switch item.state {
            case .waived: return "waived on \(item.metOn.map(\.description) ?? "")"
            case .done, .expired: return "\(needed); last on \(item.metOn.map(\.description) ?? "")\(expiry)"
            default: return needed
            }
        }
        let attempts = item.attemptsAllowed.map { " of \($0) allowed" } ?? ""
        switch item.state {
        case .done: return "passed on \(item.metOn.map(\.description) ?? "")" + (item.failuresBeforePass > 0 ? " after \(item.failuresBeforePass) failed attempt\(item.failuresBeforePass == 1 ? "" : "s")" : "") + expiry
        case .expired: return "passed on \(item.metOn.map(\.description) ?? "")\(expiry)" + (item.failures > 0 ? "; \(item.failures) failed attempt\(item.failures == 1 ? "" : "s")\(attempts) since" : "")
        case .failed: return "failed \(item.failures) attempt\(item.failures == 1 ? "" : "s")\(attempts)" + (item.attemptsUsedUp ? "; no attempts left" : "; not passed yet")
        default: return "not attempted"
        }
    }

    func overallReason(_ s: WorkerStatus) -> String {
        let ids = cohort.catalog.ids
        let unmet = s.items.filter { !$0.state.isMet }.map { ids[$0.item] }
        switch s.state {
        case .withdrawn: return "withdrawn on the roster (comes first)"
        case .reserve: return "on the reserve list (comes before training states)"
        case .notPassed: return "attempts used up without a pass: " + s.items.filter { $0.state == .failed && $0.attemptsUsedUp }.map { ids[$0.item] }.joined(separator: ", ")
        case .refresherDue: return "expired: " + s.items.filter { $0.state == .expired }.map { ids[$0.item] }.joined(separator: ", ")
        case .signedOff: return "all \(s.items.count) required items met"
        case .inTraining: return "\(unmet.count) required item\(unmet.count == 1 ? "" : "s") not met: " + unmet.joined(separator: ", ")
        }
    }
}

extension String {
    /// The text on one line (line breaks in notes become spaces).
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}
