import KitbagCore
import Markdown

/// `Curriculum/fidelity/instrument.md`: the rating scale and who is interviewed.
public struct FidelityInstrument: Sendable {
    public var name: String
    /// The scale, lowest first: `scores: [0, 1, 2, 3, 4]`.
    public var scores: [Int]
    /// One label per score, in the same order.
    public var labels: [String]
    /// Who is interviewed: `respondent-kinds: [participant, peer worker, coordinator]`.
    public var respondentKinds: [String]
    public var body: String
    public var source: SourceFile
    /// Where `scores:` is given (where a scale problem is reported).
    public var scoresLocation: SourceLocation

    /// The label of `score`, or the score itself when it has none.
    public func label(of score: Int) -> String {
        guard let i = scores.firstIndex(of: score), i < labels.count else { return String(score) }
        return labels[i]
    }
}

/// `Curriculum/fidelity/domains/D1.md`: a group of items that serves one or more principles.
public struct FidelityDomain: Sendable {
    public var info: ItemInfo
    public var principles: [Reference]
}

/// `Curriculum/fidelity/items/F01.md`: one question, the domain it belongs to, whom it is
/// asked of, and in its body one `## <score>` section per score saying what that score looks like.
public struct FidelityItem: Sendable {
    public var info: ItemInfo
    public var domain: Reference
    public var respondents: [Reference]
    /// Each `## <score>` heading: its text and where it is.
    public var scoreSections: [Reference]
}

extension Curriculum {
    public func domain(_ id: String) -> FidelityDomain? { domains.first { $0.info.id == id } }
    public func fidelityItem(_ id: String) -> FidelityItem? { fidelityItems.first { $0.info.id == id } }

    /// Domains that serve principle `id`.
    public func domains(serving principleID: String) -> [FidelityDomain] {
        domains.filter { $0.principles.contains { $0.id == principleID } }
    }

    /// Items of domain `id`.
    public func fidelityItems(in domainID: String) -> [FidelityItem] {
        fidelityItems.filter { $0.domain.id == domainID }
    }

    /// Items whose domain serves principle `id`.
    public func fidelityItems(serving principleID: String) -> [FidelityItem] {
        let ids = Set(domains(serving: principleID).map(\.info.id))
        return fidelityItems.filter { ids.contains($0.domain.id) }
    }
}

/// Reads and checks the fidelity instrument: the loader calls `loadInstrument`, the
/// validator calls `validate`.
public enum FidelityInstrumentRules {
    static let instrumentSchema = FrontMatterSchema(kind: "the fidelity instrument", required: ["name", "scores", "labels", "respondent-kinds"], optional: ["origin"])
    static let domainSchema = FrontMatterSchema(kind: "a fidelity domain", required: ["id", "title", "principles"], optional: ["origin"])
    static let itemSchema = FrontMatterSchema(kind: "a fidelity item", required: ["id", "title", "domain", "respondents"], optional: ["origin"])

    static func schema(_ kind: CurriculumKind) -> FrontMatterSchema? {
        switch kind {
        case .domain: domainSchema
        case .fidelityItem: itemSchema
        default: nil
        }
    }

    /// Reads `instrument.md` when it exists.
    static func loadInstrument(_ paths: ProjectPaths, into bag: inout DiagnosticBag) -> FidelityInstrument? {
        guard let file = paths.source("Curriculum/fidelity/instrument.md") else { return nil }
        let fm = FrontMatter.parse(file, into: &bag)
        var r = FrontMatterReader(fm, file: file, schema: instrumentSchema)
        defer { bag.add(contentsOf: r.diagnostics) }
        var scores: [Int] = []
        for s in r.list("scores") ?? [] {
            guard let v = Int(s.text), (-1000...1000).contains(v) else {
                r.diagnostics.append(.error(.fidelityScale, "a score must be a whole number between -1000 and 1000, found '\(s.text)'", at: s.location))
                continue
            }
            if let last = scores.last, v <= last {
                r.diagnostics.append(.error(.fidelityScale, "scores must rise from lowest to highest without repeats; \(v) follows \(last)", at: s.location))
                continue
            }
            scores.append(v)
        }
        let labels = (r.list("labels") ?? []).map(\.text)
        if fm["labels"] != nil, labels.count != scores.count {
            r.diagnostics.append(.error(.fidelityScale, "\(labels.count) label\(labels.count == 1 ? "" : "s") for \(scores.count) score\(scores.count == 1 ? "" : "s"): give one label per score", at: r.location(of: "labels")))
        }
        let kinds = (r.list("respondent-kinds") ?? []).map(\.text)
        return FidelityInstrument(name: r.string("name") ?? "Fidelity instrument", scores: scores, labels: labels,
                                  respondentKinds: kinds, body: fm.body, source: file, scoresLocation: r.location(of: "scores"))
    }

    /// The `## <score>` headings of an item's body.
    static func scoreSections(_ body: String, file: SourceFile) -> [Reference] {
        let doc = MarkdownDocument(parsing: body)
        return doc.rootNode.children.filter { $0.kind == .heading && $0.headingLevel == 2 }.map { h in
            Reference(id: h.plainText.trimmed(), location: file.location(line: h.startLine, byteColumn: max(h.startColumn, 1)))
        }
    }

    /// The instrument's rules: every reference known, every score section on the scale,
    /// every domain serving a principle; a principle no domain serves is a warning.
    static func validate(_ c: Curriculum, into bag: inout DiagnosticBag) {
        guard c.fidelity != nil || !c.domains.isEmpty || !c.fidelityItems.isEmpty else { return }
        guard let instrument = c.fidelity else {
            let at = (c.domains.first?.info.location ?? c.fidelityItems.first?.info.location)
            if let at {
                bag.error(.missingFile, "fidelity domains and items need Curriculum/fidelity/instrument.md (name, scores, labels, respondent-kinds)", at: at)
            }
            return
        }
        let principleIDs = c.principles.map(\.info.id)
        let domainIDs = c.domains.map(\.info.id)
        func unknown(_ ref: Reference, _ what: String, _ known: [String], code: Diagnostic.Code, in owner: String) {
            var notes: [Diagnostic.Note] = []
            if let other = c.item(ref.id) {
                notes.append(.init("'\(ref.id)' is \(other.kind.article), not \(what == "principle" ? "a principle" : "a \(what)")", at: other.location))
            } else if let guess = DidYouMean.closest(to: ref.id, in: known) {
                notes.append(.init("did you mean '\(guess)'?"))
            }
            bag.error(code, "unknown \(what) '\(ref.id)' in \(owner)", at: ref.location, notes: notes)
        }
        for d in c.domains {
            for p in d.principles where !principleIDs.contains(p.id) {
                unknown(p, "principle", principleIDs, code: .unknownPrinciple, in: d.info.id)
            }
            if d.principles.isEmpty {
                bag.error(.domainWithoutPrinciple, "fidelity domain '\(d.info.id)' serves no principle", at: d.info.location,
                          notes: [.init("add 'principles: [P1, ...]'")])
            }
            if c.fidelityItems(in: d.info.id).isEmpty {
                bag.warning(.domainWithoutItems, "fidelity domain '\(d.info.id)' has no items", at: d.info.location)
            }
        }
        let scoreTexts = instrument.scores.map(String.init)
        for item in c.fidelityItems {
            if !domainIDs.contains(item.domain.id) {
                unknown(item.domain, "fidelity domain", domainIDs, code: .unknownDomain, in: item.info.id)
            }
            if item.respondents.isEmpty {
                bag.error(.unknownRespondentKind, "fidelity item '\(item.info.id)' is asked of no one: list its respondents", at: item.info.location)
            }
            for r in item.respondents where !instrument.respondentKinds.contains(r.id) {
                unknown(r, "respondent kind", instrument.respondentKinds, code: .unknownRespondentKind, in: item.info.id)
            }
            var seen = Set<String>()
            for s in item.scoreSections {
                if !scoreTexts.contains(s.id) {
                    bag.error(.scoreOutsideScale, "'## \(s.id)' in \(item.info.id) is not a score on the scale (\(scoreTexts.joined(separator: ", ")))", at: s.location,
                              notes: [.init("the scale is set in \(instrument.source.displayPath)", at: instrument.scoresLocation)])
                } else if !seen.insert(s.id).inserted {
                    bag.error(.scoreOutsideScale, "score \(s.id) is described twice in \(item.info.id)", at: s.location)
                }
            }
            let missing = scoreTexts.filter { !seen.contains($0) }
            if !missing.isEmpty {
                bag.error(.missingScoreSection, "fidelity item '\(item.info.id)' does not say what score\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) look\(missing.count == 1 ? "s" : "") like: add a '## <score>' section for each",
                          at: item.info.location)
            }
        }
        for p in c.principles where c.domains(serving: p.info.id).isEmpty {
            bag.warning(.principleWithoutDomain, "no fidelity domain serves principle '\(p.info.id)'", at: p.info.location)
        }
    }
}
