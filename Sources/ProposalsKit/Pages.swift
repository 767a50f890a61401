import KitbagCore

/// The HTML pages of the proposals workflow: the editors' review page and a group's
/// "you said, we did" report. Every text from a file passes through `HTML.escape`.
public enum ProposalPages {
    static let style = """
    :root { color-scheme: light; }
    body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
    a { color: #0b5394; }
    :focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
    h1 { font-size: 1.8rem; } h2 { border-bottom: 2px solid #ccc; padding-bottom: .2rem; margin-top: 2.5rem; }
    h3 { font-size: 1.1rem; margin-top: 1.8rem; }
    .suggestion { border: 1px solid #bbb; border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; break-inside: avoid; }
    .meta { font-size: .9rem; color: #444; margin: 0 0 .4rem; }
    .context { background: #f6f6f6; padding: .5rem .7rem; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
    ins { background: #d4f4d4; color: #0a3d0a; text-decoration: underline; }
    del { background: #fbdada; color: #6b0000; text-decoration: line-through; }
    mark { background: #fff2a8; color: #1a1a1a; }
    .note { border-left: 4px solid #7a5c00; padding-left: .6rem; margin: .5rem 0 0; font-style: italic; }
    .conflict { border: 2px solid #a34700; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
    .conflict > h4 { margin: .2rem 0 .5rem; color: #7a3500; }
    .side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
    .support { font-weight: 600; color: #0a4d0a; }
    .state { font-weight: 600; }
    .before-after { margin: .3rem 0; } .before-after dt { font-weight: 600; font-size: .9rem; margin-top: .3rem; } .before-after dd { margin: .2rem 0 0; }
    .we-did { margin: .5rem 0 0; } .tally { padding-left: 1.2rem; }
    table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
    @media print { body { max-width: none; font-size: 11pt; } .skip { display: none; } a { color: inherit; } }
    """

    static func page(title: String, body: String) -> String {
        HTML.standaloneDocument(title: title, style: style, content: "<main id=\"main\">\n\(body)\n</main>")
    }

    // MARK: - Review

    /// One review entry: a suggestion (with identical ones from other groups counted as support).
    struct Entry {
        var proposal: LoadedProposal
        var state: SuggestionState
        var supporters: [(proposal: LoadedProposal, state: SuggestionState)]
    }

    /// The review page: every open suggestion in context, grouped by target file and section,
    /// conflicts side by side, identical suggestions counted as support, stale ones listed apart.
    public static func review(_ workspace: ProposalsWorkspace, references: ReferenceTexts) -> String {
        var body = "<h1>Proposals for review</h1>\n"
        let usable = workspace.proposals.filter { $0.target != nil && $0.proposal.isValid }
        body += "<p>\(usable.count) proposal\(usable.count == 1 ? "" : "s") from \(Set(usable.map(\.proposal.group)).count) group(s). "
        body += "Each suggestion is shown in its sentence, before and after: insertions are <ins>underlined in green</ins>, deletions <del>struck through in red</del>. Numbers are the suggestion numbers used by <code>kitbag proposals accept FILE --only N</code>.</p>\n"
        body += summaryTable(workspace)

        // Group open, anchored suggestions by file, then section.
        var byFile: [String: [Entry]] = [:]
        var stale: [(LoadedProposal, SuggestionState)] = []
        var seen = Set<String>()
        for p in usable {
            for s in p.states where s.isOpen {
                if s.isStale { stale.append((p, s)); continue }
                let key = "\(p.relativePath)#\(s.suggestion.number)"
                if seen.contains(key) { continue }
                let supporters = workspace.supporters(of: p, s).filter { $0.state.isOpen }
                for other in supporters { seen.insert("\(other.proposal.relativePath)#\(other.state.suggestion.number)") }
                seen.insert(key)
                byFile[p.target?.relativePath ?? "", default: []].append(Entry(proposal: p, state: s, supporters: supporters))
            }
        }
        for file in byFile.keys.sorted() {
            let entries = (byFile[file] ?? []).sorted { ($0.state.anchor.range?.lowerBound ?? 0) < ($1.state.anchor.range?.lowerBound ?? 0) }
            guard let target = entries.first?.proposal.target else { continue }
            body += "<h2>\(HTML.escape(target.kind == .curriculumItem ? target.title : (target.headings.first { $0.level == 1 }?.title ?? file)))</h2>\n"
            var currentSection: String?
            var done = Set<String>()
            for entry in entries {
                let key = "\(entry.proposal.relativePath)#\(entry.state.suggestion.number)"
                if done.contains(key) { continue }
                let offset = entry.state.anchor.range?.lowerBound ?? 0
                let section = target.section(containing: offset)?.title ?? target.title
                if section != currentSection {
                    body += "<h3>\(HTML.escape(section))</h3>\n"
                    currentSection = section
                }
                let rivals = workspace.rivals(of: entry.proposal, entry.state)
                if rivals.isEmpty {
                    body += card(entry, workspace: workspace, references: references)
                    done.insert(key)
                } else {
                    body += "<section class=\"conflict\" aria-label=\"conflict\">\n<h4>Conflict: \(rivals.count + 1) suggestions change the same text; accept at most one, after rejecting the others</h4>\n<div class=\"side-by-side\">\n"
                    body += card(entry, workspace: workspace, references: references)
                    done.insert(key)
                    for rival in rivals {
                        let rivalKey = "\(rival.proposal.relativePath)#\(rival.state.suggestion.number)"
                        let supporters = workspace.supporters(of: rival.proposal, rival.state).filter { $0.state.isOpen }
                        body += card(Entry(proposal: rival.proposal, state: rival.state, supporters: supporters), workspace: workspace, references: references)
                        done.insert(rivalKey)
                        for s in supporters { done.insert("\(s.proposal.relativePath)#\(s.state.suggestion.number)") }
                    }
                    body += "</div>\n</section>\n"
                }
            }
        }
        if byFile.isEmpty { body += "<p>No open suggestions.</p>\n" }
        if !stale.isEmpty {
            body += "<h2>Stale suggestions</h2>\n<p>The text around these has changed since the proposal was made, so they cannot be accepted. Reject them with a reason, or ask the group to propose again.</p>\n"
            for (p, s) in stale {
                var why = ""
                if case .stale(let reason) = s.anchor { why = reason }
                body += "<div class=\"suggestion\">\n<p class=\"meta\">\(meta(p, s))</p>\n"
                body += "<p>\(HTML.escape(why)) (proposal line \(s.suggestion.location.line)).</p>\n"
                body += sentenceHTML(p, s.suggestion, references) + noteHTML(s.suggestion) + "</div>\n"
            }
        }
        return page(title: "Proposals for review", body: body)
    }

    static func summaryTable(_ workspace: ProposalsWorkspace) -> String {
        var html = "<table>\n<caption class=\"meta\">Every proposal</caption>\n<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Round</th><th scope=\"col\">Target</th><th scope=\"col\">Suggestions</th><th scope=\"col\">State</th><th scope=\"col\">File</th></tr></thead>\n<tbody>\n"
        for p in workspace.proposals {
            html += "<tr><td>\(HTML.escape(p.proposal.group))</td><td>\(p.proposal.round.map(String.init) ?? "")</td><td>\(HTML.escape(p.target?.title ?? p.proposal.target))</td>"
            html += "<td>\(p.states.count)</td><td class=\"state\">\(HTML.escape(p.state.rawValue))</td><td>\(HTML.escape(p.relativePath))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func meta(_ p: LoadedProposal, _ s: SuggestionState) -> String {
        var text = "<strong>\(HTML.escape(p.proposal.group))</strong>"
        if let round = p.proposal.round { text += ", round \(round)" }
        text += " &middot; suggestion \(s.suggestion.number) of <code>\(HTML.escape(p.relativePath))</code> &middot; \(HTML.escape(kindName(s.suggestion.kind)))"
        if s.suggestion.typed { text += " &middot; typed without marks" }
        if case .alreadyApplied = s.anchor { text += " &middot; already in the text" }
        return text
    }

    static func card(_ entry: Entry, workspace: ProposalsWorkspace, references: ReferenceTexts) -> String {
        let s = entry.state
        var html = "<div class=\"suggestion\">\n<p class=\"meta\">\(meta(entry.proposal, s))</p>\n"
        if !entry.supporters.isEmpty {
            let groups = entry.supporters.map { "\(HTML.escape($0.proposal.proposal.group)) (suggestion \($0.state.suggestion.number))" }
            var kinds = ([entry.proposal] + entry.supporters.map(\.proposal)).compactMap { workspace.groups.group($0.proposal.group)?.kind }
            kinds = kinds.uniqued()
            let across = kinds.isEmpty ? "" : " (\(kinds.count) kind\(kinds.count == 1 ? "" : "s") of group: \(HTML.escape(kinds.joined(separator: ", "))))"
            html += "<p class=\"support\">Support: \(entry.supporters.count + 1) groups make this suggestion\(across); also \(groups.joined(separator: ", ")).</p>\n"
        }
        html += sentenceHTML(entry.proposal, s.suggestion, references) + noteHTML(s.suggestion) + "</div>\n"
        return html
    }

    /// The suggestion in its sentence, before and after, as a reader sees it.
    static func sentenceHTML(_ p: LoadedProposal, _ s: Suggestion, _ references: ReferenceTexts) -> String {
        let q = QuotedSentence.of(s, in: p.proposal, references: references)
        guard let after = q.after else { return "<p class=\"context\">\(q.before)</p>\n" }
        return "<dl class=\"before-after\"><dt>Before</dt><dd class=\"context\">\(q.before)</dd><dt>After</dt><dd class=\"context\">\(after)</dd></dl>\n"
    }

    static func kindName(_ kind: CriticKind) -> String {
        switch kind {
        case .addition: "insertion"
        case .deletion: "deletion"
        case .substitution: "replacement"
        case .comment: "comment"
        case .highlight: "highlight"
        }
    }

    static func noteHTML(_ s: Suggestion) -> String {
        guard let note = s.note else { return "" }
        return "<p class=\"note\">\(HTML.escape(note))</p>\n"
    }

    // MARK: - Report

    /// Plain words for a decision's category, as the group reads it.
    static func categoryWords(_ d: Decision) -> String {
        switch d.category {
        case "accepted-with-changes": "Accepted with changes"
        case "out-of-scope": "Not taken forward: outside what the handbook covers"
        case "conflicts-with-principle": "Not taken forward: it would conflict with a principle of peer support"
        case "not-supported-by-evidence": "Not taken forward: the evidence does not support it"
        case "already-covered": "Not taken forward: the handbook already covers this"
        case "other": d.isAccepted ? "Accepted" : "Not taken forward"
        default: d.isAccepted ? "Accepted" : "Not taken forward"
        }
    }

    /// "You said, we did": each of the group's suggestions quoted in its sentence, grouped by
    /// decision, with the reason. No file names and no markup: it is written for the group.
    public static func report(_ workspace: ProposalsWorkspace, group: String, today: ISODate, references: ReferenceTexts) -> String {
        let mine = workspace.proposals.filter { $0.proposal.group.lowercased() == group.lowercased() && $0.proposal.isValid }
        let name = mine.first?.proposal.group ?? group
        var body = "<h1>You said, we did</h1>\n<p>A report for <strong>\(HTML.escape(name))</strong>, \(today). Thank you for your suggestions. "
        body += "Here is what happened to each of them.</p>\n"
        struct Item { var proposal: LoadedProposal; var state: SuggestionState }
        var groups: [(title: String, items: [Item])] = [("Accepted", []), ("Accepted with changes", []), ("Taken on board", []),
                                                        ("Not taken forward", []), ("Still being considered", [])]
        for p in mine {
            for s in p.states {
                let index: Int
                if let d = s.decision {
                    if d.isAccepted { index = !s.suggestion.changesText ? 2 : d.category == "accepted-with-changes" ? 1 : 0 } else { index = 3 }
                } else {
                    index = 4
                }
                groups[index].items.append(Item(proposal: p, state: s))
            }
        }
        body += "<ul class=\"tally\">" + groups.map { "<li>\(HTML.escape($0.title)): \($0.items.count)</li>" }.joined() + "</ul>\n"
        for (title, items) in groups where !items.isEmpty {
            body += "<h2>\(HTML.escape(title))</h2>\n"
            for item in items {
                let s = item.state, p = item.proposal
                var place = p.target?.title ?? "the handbook"
                if let h = p.target?.section(containing: s.anchor.range?.lowerBound ?? p.target?.region.lowerBound ?? 0)?.title { place = h }
                body += "<div class=\"suggestion\">\n<p class=\"meta\">\(HTML.escape(place))"
                if let round = p.proposal.round { body += " &middot; round \(round)" }
                body += "</p>\n"
                let q = QuotedSentence.of(s.suggestion, in: p.proposal, references: references)
                if let after = q.after {
                    body += "<dl class=\"before-after\"><dt>You said: change</dt><dd class=\"context\">\(q.before)</dd><dt>to</dt><dd class=\"context\">\(after)</dd></dl>\n"
                } else {
                    body += "<p class=\"context\">\(q.before)</p>\n"
                }
                if let note = s.suggestion.note { body += "<p class=\"note\">You wrote: \(HTML.escape(note))</p>\n" }
                var did: String
                if let d = s.decision {
                    did = "<strong>\(HTML.escape(s.suggestion.changesText || !d.isAccepted ? categoryWords(d) : "Taken on board"))</strong> on \(d.date)"
                    if !d.reason.isEmpty { did += ". \(HTML.escape(d.reason))" }
                } else if s.isStale {
                    did = "<strong>Still being considered</strong>: the text has changed since you saw it, so we may ask you to look again."
                } else {
                    did = "<strong>Still being considered</strong>."
                }
                body += "<p class=\"we-did\">We did: \(did)</p>\n</div>\n"
            }
        }
        if mine.isEmpty { body += "<p>No proposals from this group.</p>\n" }
        return page(title: "You said, we did: \(name)", body: body)
    }
}
