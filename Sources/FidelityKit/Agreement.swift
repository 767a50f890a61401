import CurriculumKit
import KitbagCore

/// Agreement between the two raters of double-rated interviews: percent agreement and
/// Cohen's kappa with linear weights, per item and over all items, and the ratings that
/// differ by more than one point for the raters to settle.
///
/// Linear weights: w(a, b) = 1 - |a - b| / (highest - lowest score). Po is the mean weight
/// over the pairs; Pe the weight expected from the two raters' own score distributions,
/// sum over a, b of w(a, b) pA(a) pB(b); kappa = (Po - Pe) / (1 - Pe), undefined (nil) when
/// Pe is 1 (every rating the same score). The first rater of a pair is the one whose
/// pseudonym sorts first; with symmetric weights the order does not change kappa.
public struct Agreement: Sendable {
    /// Two raters' scores of one item in one interview.
    public struct Pair: Sendable, Equatable {
        public var interview: Interview
        public var item: String
        public var raters: (String, String)
        public var scores: (Int, Int)
        /// Whether a settled rating is already recorded for it.
        public var settled: Bool

        public static func == (a: Pair, b: Pair) -> Bool {
            a.interview == b.interview && a.item == b.item && a.raters == b.raters && a.scores == b.scores && a.settled == b.settled
        }
    }

    /// Agreement over a set of pairs.
    public struct Figures: Sendable, Equatable {
        public var pairs: Int
        /// Share of pairs with the same score (0...1).
        public var percent: Double
        /// Linear-weighted kappa; nil when undefined.
        public var kappa: Double?
    }

    public var pairs: [Pair]
    public var perItem: [(item: String, figures: Figures)]
    public var overall: Figures?
    /// Pairs more than one point apart with no settled rating yet.
    public var toSettle: [Pair]

    /// Every double-rated interview in the ledger (or those of `site` / `round`).
    public static func compute(_ ledger: RatingsLedger, instrument: FidelityInstrument, curriculum c: Curriculum,
                               site: String? = nil, round: Int? = nil) -> Agreement {
        struct Key: Hashable { var interview: Interview; var item: String }
        var scores: [Key: [(rater: String, score: Int)]] = [:]
        var settled = Set<Key>()
        var ratersOf: [Interview: Set<String>] = [:]
        for r in ledger.live {
            guard let score = r.score else { continue }
            if let site, r.interview.site != site { continue }
            if let round, r.interview.round != round { continue }
            let key = Key(interview: r.interview, item: r.item)
            if r.isSettled { settled.insert(key); continue }
            scores[key, default: []].append((r.rater, score))
            ratersOf[r.interview, default: []].insert(r.rater)
        }
        var pairs: [Pair] = []
        for (interview, raters) in ratersOf where raters.count >= 2 {
            let two = raters.sorted()
            for item in c.fidelityItems.map(\.info.id) {
                let key = Key(interview: interview, item: item)
                let given = scores[key] ?? []
                guard let a = given.first(where: { $0.rater == two[0] }), let b = given.first(where: { $0.rater == two[1] }) else { continue }
                pairs.append(Pair(interview: interview, item: item, raters: (two[0], two[1]), scores: (a.score, b.score), settled: settled.contains(key)))
            }
        }
        pairs.sort { ($0.interview, naturalKey($0.item)) < ($1.interview, naturalKey($1.item)) }
        let scale = instrument.scores
        var perItem: [(String, Figures)] = []
        for item in c.fidelityItems.map(\.info.id) {
            let these = pairs.filter { $0.item == item }
            if let f = figures(these.map(\.scores), scale: scale) { perItem.append((item, f)) }
        }
        let toSettle = pairs.filter { abs($0.scores.0 - $0.scores.1) > 1 && !$0.settled }
        return Agreement(pairs: pairs, perItem: perItem, overall: figures(pairs.map(\.scores), scale: scale), toSettle: toSettle)
    }

    private static func naturalKey(_ id: String) -> String {
        let digits = id.drop { !$0.isNumber }
        return String(id.prefix(id.count - digits.count)) + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Percent agreement and linear-weighted kappa of score pairs on `scale`; nil for no pairs.
    public static func figures(_ pairs: [(Int, Int)], scale: [Int]) -> Figures? {
        guard !pairs.isEmpty, let low = scale.first, let high = scale.last else { return nil }
        let n = Double(pairs.count)
        let span = Double(high - low)
        func weight(_ a: Int, _ b: Int) -> Double { span == 0 ? 1 : 1 - Double(abs(a - b)) / span }
        let exact = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        let po = pairs.reduce(0.0) { $0 + weight($1.0, $1.1) } / n
        var pa: [Int: Double] = [:], pb: [Int: Double] = [:]
        for (a, b) in pairs { pa[a, default: 0] += 1 / n; pb[b, default: 0] += 1 / n }
        var pe = 0.0
        for (a, x) in pa { for (b, y) in pb { pe += weight(a, b) * x * y } }
        let kappa: Double? = abs(1 - pe) < 1e-12 ? nil : (po - pe) / (1 - pe)
        return Figures(pairs: pairs.count, percent: exact, kappa: kappa)
    }

    /// The text `fidelity agreement` prints.
    public func text() -> String {
        guard let overall else { return "no double-rated interviews\n" }
        var out = "Agreement between two raters (percent agreement; Cohen's kappa, linear weights)\n"
        let interviews = Set(pairs.map(\.interview)).sorted()
        for i in interviews {
            let p = pairs.first { $0.interview == i }
            out += "  interview \(i.description): \(p.map { "\($0.raters.0) and \($0.raters.1)" } ?? "")\n"
        }
        out += "\n  \("item".padded(8)) \("pairs".padded(6)) \("agree".padded(7)) kappa\n"
        func row(_ name: String, _ f: Figures) -> String {
            "  \(name.padded(8)) \(String(f.pairs).padded(6)) \((Agreement.percentText(f.percent) + "%").padded(7)) \(f.kappa.map { Agreement.kappaText($0) } ?? "n/a")\n"
        }
        for (item, f) in perItem { out += row(item, f) }
        out += row("overall", overall)
        if toSettle.isEmpty {
            out += "\nno ratings differ by more than one point\n"
        } else {
            out += "\nto settle (more than one point apart; record the agreed score with --rater settled):\n"
            for p in toSettle {
                out += "  \(p.item) in \(p.interview.description): \(p.raters.0) \(p.scores.0), \(p.raters.1) \(p.scores.1)\n"
            }
        }
        return out
    }

    /// 91.7 for 0.9166...
    public static func percentText(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Three decimals: "0.733", "-0.125".
    public static func kappaText(_ k: Double) -> String {
        let thousandths = Int((k * 1000).rounded())
        let a = abs(thousandths)
        let frac = String(a % 1000)
        return (thousandths < 0 ? "-" : "") + "\(a / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}
