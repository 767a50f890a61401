import CurriculumKit
import KitbagCore

/// `track history W`: a worker's ledger rows with their ids, in file order, voided rows marked
/// with the void that cancels them: the ids `record void` needs.
public struct History: Sendable {
    public var view: StatusView

    public init(view: StatusView) { self.view = view }

    public func text(worker w: Int) -> String {
        let cohort = view.cohort
        let ledger = cohort.ledger
        let catalog = cohort.catalog
        let limit = view.asOf.dayNumber
        var out = "History of \(view.label(w)) in cohort \(cohort.info.id), as of \(view.asOf)\n\n"
        var cancelledBy: [Int: Int] = [:]
        for r in ledger.rows(ofWorker: w).map(Int.init) where ledger.rows[r].event == .void && ledger.rows[r].item >= 0 {
            cancelledBy[Int(ledger.rows[r].item)] = r
        }
        var table: [[String]] = [["row", "date", "item", "event", "by", "note"]]
        for r in ledger.rows(ofWorker: w).map(Int.init) where Int(ledger.rows[r].day) <= limit {
            let row = ledger.rows[r]
            let by = view.anonymise ? "" : ledger.by(row)
            let note = view.anonymise ? "" : ledger.note(row).replacingNewlines()
            var item = ""
            var event = row.event.name
            if row.event == .void {
                item = row.item >= 0 ? ledger.rows[Int(row.item)].idText : ""
                event = "void"
            } else if row.item >= 0 {
                item = catalog.ids[Int(row.item)]
            }
            if let v = cancelledBy[r] {
                event += " (voided by \(ledger.rows[v].idText))"
            }
            table.append([row.idText, row.date.description, item, event, by, note])
        }
        if table.count == 1 { return out + "no ledger rows\n" }
        out += TableCell.align(table)
        return out
    }
}
