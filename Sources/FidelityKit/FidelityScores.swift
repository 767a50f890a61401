import CurriculumKit
import KitbagCore

/// One score: an item's, a domain's or a principle's, at one site in one round.
public struct FidelityScore: Sendable, Equatable {
    public enum Level: String, Sendable { case item, domain, principle }
    public var level: Level
    public var id: String
    public var title: String
    /// The mean on the instrument's scale; nil when nothing was rated.
    public var mean: Double?
    /// Interviews that contributed.
    public var n: Int
}

/// The scores of one site in one round.
public struct SiteRound: Sendable {
    public var site: String
    public var round: Int
    public var items: [FidelityScore]
    public var domains: [FidelityScore]
    public var principles: [FidelityScore]

    public func principle(_ id: String) -> FidelityScore? { principles.first { $0.id == id } }
}

/// Scores from live ratings. An interview's value for an item is its settled rating when one
/// is recorded, else the mean of its raters' scores; an item's score is the mean of those
/// values over the interviews that rated it (n = interviews); a domain's is the mean of its
/// items' scores; a principle's the mean of the item scores of the domains that serve it.
public enum FidelityScores {
    public static func compute(_ ledger: RatingsLedger, curriculum c: Curriculum, site: String? = nil, round: Int? = nil) -> [SiteRound] {
        // (site, round) -> item -> interview -> (settled, raters' scores)
        struct Cell { var settled: Int?; var sum = 0; var count = 0 }
        struct Key: Hashable { var site: String; var round: Int }
        var groups: [Key: [String: [Interview: Cell]]] = [:]
        for (k, r) in ledger.rows.enumerated() where !r.isVoid && !ledger.voided[k] {
            guard let score = r.score else { continue }
            if let site, r.interview.site != site { continue }
            if let round, r.interview.round != round { continue }
            let key = Key(site: r.interview.site, round: r.interview.round)
            var cell = groups[key, default: [:]][r.item, default: [:]][r.interview, default: Cell()]
            if r.isSettled { cell.settled = score } else { cell.sum += score; cell.count += 1 }
            groups[key, default: [:]][r.item, default: [:]][r.interview] = cell
        }
        var result: [SiteRound] = []
        for key in groups.keys.sorted(by: { ($0.site, $0.round) < ($1.site, $1.round) }) {
            let byItem = groups[key] ?? [:]
            var itemMeans: [String: Double] = [:]
            var itemInterviews: [String: Set<Interview>] = [:]
            var items: [FidelityScore] = []
            for item in c.fidelityItems {
                let cells = byItem[item.info.id] ?? [:]
                var values: [Double] = []
                for cell in cells.values {
                    if let s = cell.settled { values.append(Double(s)) } else if cell.count > 0 { values.append(Double(cell.sum) / Double(cell.count)) }
                }
                let mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
                if let mean { itemMeans[item.info.id] = mean }
                itemInterviews[item.info.id] = Set(cells.keys)
                items.append(FidelityScore(level: .item, id: item.info.id, title: item.info.title, mean: mean, n: values.count))
            }
            func pooled(_ ids: [String]) -> (Double?, Int) {
                let means = ids.compactMap { itemMeans[$0] }
                let n = ids.reduce(into: Set<Interview>()) { $0.formUnion(itemInterviews[$1] ?? []) }.count
                return (means.isEmpty ? nil : means.reduce(0, +) / Double(means.count), n)
            }
            let domains = c.domains.map { d -> FidelityScore in
                let (mean, n) = pooled(c.fidelityItems(in: d.info.id).map(\.info.id))
                return FidelityScore(level: .domain, id: d.info.id, title: d.info.title, mean: mean, n: n)
            }
            let principles = c.principles.map { p -> FidelityScore in
                let (mean, n) = pooled(c.fidelityItems(serving: p.info.id).map(\.info.id))
                return FidelityScore(level: .principle, id: p.info.id, title: p.info.title, mean: mean, n: n)
            }
            result.append(SiteRound(site: key.site, round: key.round, items: items, domains: domains, principles: principles))
        }
        return result
    }

    /// A mean with two decimals ("2.75"), or "" for none.
    public static func text(_ mean: Double?) -> String {
        guard let mean, mean.isFinite else { return "" }
        let hundredths = Int((mean * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// `fidelity status` in its three formats.
public enum FidelityStatusOutput {
    /// `site,round,level,id,score,n`: one line per item, domain and principle.
    public static func csv(_ rounds: [SiteRound]) -> String {
        var out = CSVWriter(neutralise: true)
        out.line(["site", "round", "level", "id", "score", "n"])
        for r in rounds {
            for s in r.items + r.domains + r.principles {
                out.line([r.site, String(r.round), s.level.rawValue, s.id, FidelityScores.text(s.mean), String(s.n)])
            }
        }
        return out.text
    }

    public static func json(_ rounds: [SiteRound]) -> String {
        func scores(_ list: [FidelityScore]) -> String {
            list.map { s in
                "{\"id\": \(JSON.quote(s.id)), \"title\": \(JSON.quote(s.title)), \"score\": \(s.mean.map { FidelityScores.text($0) } ?? "null"), \"n\": \(s.n)}"
            }.joined(separator: ",\n      ")
        }
        var out = "[\n"
        out += rounds.map { r in
            "  {\"site\": \(JSON.quote(r.site)), \"round\": \(r.round),\n   \"principles\": [\n      \(scores(r.principles))],\n   \"domains\": [\n      \(scores(r.domains))],\n   \"items\": [\n      \(scores(r.items))]}"
        }.joined(separator: ",\n")
        return out + "\n]\n"
    }

    /// A table per site and round: principles, then domains, then items.
    public static func table(_ rounds: [SiteRound], instrument: FidelityInstrument) -> String {
        guard !rounds.isEmpty else { return "no ratings\n" }
        let low = instrument.scores.first ?? 0, high = instrument.scores.last ?? 0
        var out = ""
        for r in rounds {
            out += "\(r.site), round \(r.round) (scale \(low)-\(high))\n"
            for (heading, list) in [("principle", r.principles), ("domain", r.domains), ("item", r.items)] {
                out += "  \(heading.padded(10)) \("score".padded(6)) n\n"
                for s in list {
                    let score = s.mean == nil ? "-" : FidelityScores.text(s.mean)
                    var title = s.title
                    if title.count > 60 { title = String(title.prefix(59)) + "…" }
                    out += "  \(s.id.padded(10)) \(score.padded(6)) \(String(s.n).padded(3)) \(title)\n"
                }
            }
            out += "\n"
        }
        return out
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
