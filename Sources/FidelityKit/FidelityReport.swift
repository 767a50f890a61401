#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CurriculumKit
import KitbagCore

/// A cohort's training coverage of each principle, shown beside a site's fidelity score.
public struct SiteTraining: Sendable {
    /// The cohort's id (its folder).
    public var cohort: String
    /// Principle id -> share of the principle's linked required items met, averaged over the
    /// cohort's active workers (0...1).
    public var coverage: [String: Double]

    public init(cohort: String, coverage: [String: Double]) {
        self.cohort = cohort
        self.coverage = coverage
    }
}

/// `kitbag fidelity report`: one self-contained, printable page with a heat map of sites x
/// principles per round (the number in every cell, the shade only repeating it), the change
/// between rounds, links to each principle's traceability page and, where a cohort of the
/// site exists, its training coverage of the principle.
public struct FidelityReport {
    public var curriculum: Curriculum
    public var instrument: FidelityInstrument
    public var rounds: [SiteRound]
    /// Site id -> its cohort's training coverage.
    public var training: [String: SiteTraining]
    /// Where the built handbook is, as the report links to it (`_site/`).
    public var handbookBase: String

    public init(curriculum: Curriculum, instrument: FidelityInstrument, rounds: [SiteRound], training: [String: SiteTraining], handbookBase: String) {
        self.curriculum = curriculum
        self.instrument = instrument
        self.rounds = rounds
        self.training = training
        self.handbookBase = handbookBase.isEmpty || handbookBase.hasSuffix("/") ? handbookBase : handbookBase + "/"
    }

    /// Fill colours from the lowest score band to the highest, each with the text colour
    /// drawn on it (every pair at least 4.5:1, WCAG AA; checked by a test).
    public static let shades: [(fill: String, text: String)] = [
        ("#fbe3d6", "#1b1b1b"), ("#f6f0d2", "#1b1b1b"), ("#d7e8f3", "#1b1b1b"), ("#5b8fbf", "#000000"), ("#0b4f8a", "#ffffff"),
    ]
    /// An empty cell (nothing rated).
    public static let emptyShade = (fill: "#ffffff", text: "#4a4a4a")

    /// The shade of a mean on the instrument's scale: five equal bands.
    func shade(_ mean: Double?) -> (fill: String, text: String) {
        guard let mean, let low = instrument.scores.first, let high = instrument.scores.last, high > low else { return Self.emptyShade }
        let share = (mean - Double(low)) / Double(high - low)
        let band = min(Self.shades.count - 1, max(0, Int(share * Double(Self.shades.count))))
        return Self.shades[band]
    }

    var sites: [String] { Array(Set(rounds.map(\.site))).sorted() }
    var roundNumbers: [Int] { Array(Set(rounds.map(\.round))).sorted() }

    func cell(_ site: String, _ round: Int) -> SiteRound? { rounds.first { $0.site == site && $0.round == round } }

    func principleHref(_ id: String) -> String { HTML.escape(handbookBase + "curriculum/\(id).html") }

    public func html() -> String {
        var body = "<header>\n<h1>Fidelity to the principles</h1>\n"
        let scale = zip(instrument.scores, instrument.labels).map { "\($0) \($1)" }.joined(separator: ", ")
        body += "<p class=\"meta\">\(HTML.escape(instrument.name)) · scale: \(HTML.escape(scale)) · sites: \(HTML.escape(sites.joined(separator: ", ")))</p>\n</header>\n<main id=\"main\">\n"
        if rounds.isEmpty { body += "<p>No ratings yet.</p>\n" }
        body += "<p class=\"legend\">Each cell is a principle's fidelity score at a site: the mean of the scores of the items in the domains that serve it, with n, the number of interviews. Where a cohort of the site exists, its training coverage of the principle is shown beside the score. Each principle links to its page in the handbook: the sections, competencies, modules, assessments and fidelity items that serve it.</p>\n"
        for round in roundNumbers {
            body += "<section class=\"round\" aria-labelledby=\"round-\(round)\">\n<h2 id=\"round-\(round)\">Round \(round)</h2>\n"
            body += heatMap(round: round)
            body += "</section>\n"
        }
        if roundNumbers.count > 1 { body += changes() }
        body += "</main>"
        return HTML.standaloneDocument(title: "Fidelity to the principles", style: Self.style, content: body)
    }

    /// Sites by principles for one round, as inline SVG with the score in every cell.
    func heatMap(round: Int) -> String {
        let principles = curriculum.principles
        let labelW = 300, cellW = 170, cellH = 50, top = 30
        let width = labelW + cellW * max(sites.count, 1) + 4
        let height = top + cellH * principles.count + 4
        var svg = "<figure>\n<svg class=\"heatmap\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"group\" aria-labelledby=\"heat-\(round)\">\n"
        svg += "<title id=\"heat-\(round)\">Fidelity score per principle and site, round \(round)</title>\n"
        for (k, site) in sites.enumerated() {
            svg += "<text x=\"\(labelW + k * cellW + cellW / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"#1b1b1b\">\(HTML.escape(site))</text>\n"
        }
        for (r, p) in principles.enumerated() {
            let y = top + r * cellH
            var title = p.info.title
            if title.count > 38 { title = String(title.prefix(37)) + "…" }
            svg += "<a class=\"principle\" href=\"\(principleHref(p.info.id))\"><title>\(HTML.escape(p.info.id)): \(HTML.escape(p.info.title)) (what serves it)</title>"
            svg += "<text x=\"4\" y=\"\(y + 21)\" font-size=\"13\" font-weight=\"600\" fill=\"#0a4f8f\" text-decoration=\"underline\">\(HTML.escape(p.info.id))</text>"
            svg += "<text x=\"34\" y=\"\(y + 21)\" font-size=\"12\" fill=\"#0a4f8f\" text-decoration=\"underline\">\(HTML.escape(title))</text></a>\n"
            for (k, site) in sites.enumerated() {
                let x = labelW + k * cellW
                let score = cell(site, round)?.principle(p.info.id)
                let (fill, ink) = shade(score?.mean)
                let number = score?.mean == nil ? "not rated" : FidelityScores.text(score?.mean)
                var detail = "n \(score?.n ?? 0)"
                if let t = training[site], let c = t.coverage[p.info.id] { detail += " · training \(Int((c * 100).rounded()))%" }
                svg += "<g><title>\(HTML.escape(site)), \(HTML.escape(p.info.id)), round \(round): \(number) (\(detail))</title>"
                svg += "<rect x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"\(cellW - 2)\" height=\"\(cellH - 2)\" fill=\"\(fill)\" stroke=\"#8a8f98\" stroke-width=\"0.5\"/>"
                svg += "<text x=\"\(x + cellW / 2)\" y=\"\(y + 22)\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\" fill=\"\(ink)\">\(number)</text>"
                svg += "<text x=\"\(x + cellW / 2)\" y=\"\(y + 40)\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(ink)\">\(HTML.escape(detail))</text></g>\n"
            }
        }
        let low = instrument.scores.first ?? 0, high = instrument.scores.last ?? 0
        svg += "</svg>\n<figcaption class=\"legend\">Scores run from \(low) to \(high); the shade darkens in five equal bands from the lowest to the highest score and only repeats the number. "
        let withTraining = sites.filter { training[$0] != nil }
        if !withTraining.isEmpty {
            svg += "Training coverage: " + withTraining.map { "\(HTML.escape($0)) from cohort \(HTML.escape(training[$0]?.cohort ?? ""))" }.joined(separator: "; ") + ". "
        }
        svg += "</figcaption>\n</figure>\n"
        return svg
    }

    /// The change in each principle's score between consecutive rounds, per site.
    func changes() -> String {
        let rs = roundNumbers
        var out = "<section aria-labelledby=\"changes\">\n<h2 id=\"changes\">Change between rounds</h2>\n<table>\n<thead><tr><th scope=\"col\">Principle</th>"
        for site in sites {
            for (a, b) in zip(rs, rs.dropFirst()) { out += "<th scope=\"col\">\(HTML.escape(site))<br>round \(a) to \(b)</th>" }
        }
        out += "</tr></thead>\n<tbody>\n"
        for p in curriculum.principles {
            out += "<tr><th scope=\"row\"><a href=\"\(principleHref(p.info.id))\">\(HTML.escape(p.info.id)) \(HTML.escape(p.info.title))</a></th>"
            for site in sites {
                for (a, b) in zip(rs, rs.dropFirst()) {
                    guard let x = cell(site, a)?.principle(p.info.id)?.mean, let y = cell(site, b)?.principle(p.info.id)?.mean else {
                        out += "<td class=\"num\">-</td>"
                        continue
                    }
                    let d = y - x
                    let text = FidelityScores.text(d)
                    let word = abs(d) < 0.005 ? "no change" : d > 0 ? "up" : "down"
                    out += "<td class=\"num\">\(d > 0.005 ? "+" : "")\(text) <span class=\"note\">(\(word); \(FidelityScores.text(x)) to \(FidelityScores.text(y)))</span></td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    // MARK: - Contrast (WCAG 2 relative luminance)

    /// The contrast ratio of two `#rrggbb` colours (1...21).
    public static func contrast(_ a: String, _ b: String) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let digits = Array(hex.utf8.dropFirst())
        guard digits.count == 6 else { return 0 }
        func channel(_ i: Int) -> Double {
            let text = String(decoding: digits[i..<(i + 2)], as: UTF8.self)
            let c = Double(Int(text, radix: 16) ?? 0) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    static let style = """
    :root { --text: #1b1b1b; --muted: #4a4a4a; --link: #0a4f8f; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; line-height: 1.45; }
    a { color: var(--link); }
    .skip { position: absolute; left: -999px; }
    .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .25rem .5rem; }
    .meta, .legend, .note { color: var(--muted); }
    .legend { font-size: .9rem; max-width: 60rem; }
    figure { margin: 0 0 1.5rem; overflow-x: auto; }
    svg a:focus text { outline: 2px solid #b45309; }
    table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
    th, td { border: 1px solid #8a939c; padding: .3rem .6rem; text-align: left; vertical-align: top; }
    td.num { text-align: right; white-space: nowrap; }
    .note { font-size: .85rem; }
    @page { size: A4; margin: 15mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; }
      .skip { display: none; }
      section.round { break-inside: avoid; }
      figure { overflow: visible; }
      a { color: var(--text); }
      svg rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    }
    """
}
