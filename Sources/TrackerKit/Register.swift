import CurriculumKit
import KitbagCore

/// `track register --module M --date D`: a sign-in sheet for one session, one row per active
/// or reserve worker. As HTML it is printed and signed; as CSV it is ticked in a spreadsheet
/// and read back by `record import` (a non-empty mark records `attended`).
public struct Register: Sendable {
    public var cohort: Cohort
    public var module: Int
    public var date: ISODate
    /// Who runs the session (the sheet's trainer field; may be filled in by hand).
    public var by: String
    public var anonymise: Bool

    public init(cohort: Cohort, module: Int, date: ISODate, by: String, anonymise: Bool) {
        self.cohort = cohort
        self.module = module
        self.date = date
        self.by = by
        self.anonymise = anonymise
    }

    var workers: [Int] { cohort.workers.indices.filter { cohort.workers[$0].status != .withdrawn } }

    public func csv() -> String {
        var out = CSVWriter(neutralise: true)
        out.line(["date", "worker"] + (anonymise ? [] : ["name"]) + ["item", "by", "attended"])
        for w in workers {
            out.line([date.description, cohort.workers[w].id] + (anonymise ? [] : [cohort.workers[w].name]) + [cohort.catalog.ids[module], by, ""])
        }
        return out.text
    }

    public func html() -> String {
        let view = StatusView(cohort: cohort, asOf: date, only: [], anonymise: anonymise)
        let writer = ReportWriter(view: view)
        let catalog = cohort.catalog
        let title = "Sign-in sheet: \(catalog.ids[module]) \(catalog.titles[module])"
        var body = "<header>\n<h1>\(HTML.escape(title))</h1>\n"
        body += "<p class=\"meta\">Cohort \(HTML.escape(cohort.info.id)) · \(HTML.escape(cohort.info.name)) · Session on \(date)</p>\n"
        body += "<p class=\"meta\">Trainer: \(by.isEmpty ? "<span class=\"blank\"></span>" : HTML.escape(by))</p>\n</header>\n<main id=\"main\">\n"
        body += "<table class=\"register\">\n<caption class=\"legend\">Tick the box and sign when you attend. The coordinator copies the ticks into the register's CSV (x in the attended column) and imports it with kitbag record import.</caption>\n"
        body += "<thead><tr>\(writer.workerHeads)<th scope=\"col\">Signature</th><th scope=\"col\">Attended</th></tr></thead>\n<tbody>\n"
        for w in workers {
            body += "<tr>\(writer.workerCell(w))<td class=\"signature\"></td><td class=\"tick\"><span class=\"box\" aria-label=\"tick box\"></span></td></tr>\n"
        }
        body += "</tbody>\n</table>\n"
        body += "<div class=\"sign\"><div>Trainer signature</div><div>Date</div></div>\n</main>"
        return writer.page(title: title, body: body, style: Self.css)
    }

    static let css = """
    .register td { height: 2.4rem; vertical-align: middle; }
    .register td.signature { width: 40%; }
    .register td.tick { width: 6rem; text-align: center; }
    .box { display: inline-block; width: 1.3rem; height: 1.3rem; border: 2px solid #1b1b1b; }
    .blank { display: inline-block; min-width: 16rem; border-bottom: 1px solid #1b1b1b; }
    """
}
