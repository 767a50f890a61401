import KitbagCore

/// The targets a page may show, with their hrefs and text worked out once (rendering on
/// several cores only reads them), and who refers to each.
package struct TargetIndex: Sendable {
    package let targets: [String: Target]
    package let strings: [String: TargetStrings]
    package let backReferences: [String: [BackReference]]

    package init(targets: [String: Target], backReferences: [String: [BackReference]]) {
        self.targets = targets
        self.backReferences = backReferences
        // Each target's strings are made on every core (a target's strings read only it).
        let ids = Array(targets.keys)
        let made = ids.concurrentMap(lanes: ids.count > 64 ? processorCount : 1) { id in targets[id].map(TargetStrings.init) }
        var strings: [String: TargetStrings] = [:]
        strings.reserveCapacity(ids.count)
        for (id, made) in zip(ids, made) { strings[id] = made }
        self.strings = strings
    }
}

/// What rendering one unit reads from the resolved book. A build takes it from the
/// `Handbook` (`Handbook.context(of:)`); the fast rebuild takes it from the build cache's
/// record of the last build's resolution and resolves nothing. `UnitRenderer` reads only this.
package struct UnitContext: Sendable {
    package var unit: ParsedUnit
    /// Its headings' IDs and numbers, parallel to `unit.headings`.
    package var headings: [ResolvedHeading]
    /// Its links' targets, parallel to `unit.links`.
    package var links: [ResolvedLink?]
    /// Its numbered tables, by directive index.
    package var tables: [Int: TableDirective]
    package var index: TargetIndex
    /// Sections to mark as changed (`--since`).
    package var changesSince: ChangesSince?
    /// Renders a generated directive (`{principles}`, ...); nil when there is none to render.
    package var generated: (@Sendable (_ name: String, _ context: LinkContext) -> String)?

    package init(unit: ParsedUnit, headings: [ResolvedHeading], links: [ResolvedLink?], tables: [Int: TableDirective], index: TargetIndex,
                 changesSince: ChangesSince? = nil, generated: (@Sendable (_ name: String, _ context: LinkContext) -> String)? = nil) {
        self.unit = unit
        self.headings = headings
        self.links = links
        self.tables = tables
        self.index = index
        self.changesSince = changesSince
        self.generated = generated
    }

    /// Its `##` headings as a chapter's contents panel lists them, numbered as in the text.
    package var sections: [(id: String, text: String)] {
        zip(unit.headings, headings).filter { $0.0.level == 2 && !$0.1.id.isEmpty }.map { written, resolved in
            (resolved.id, resolved.number.map { "\($0) \(written.title)" } ?? written.title)
        }
    }

    /// Its search entries on `page`: one per heading, with the text under it.
    package func searchEntries(sectionText texts: [String], page: String) -> [(title: String, url: String, text: String)] {
        zip(unit.headings, headings).enumerated().map { i, heading in
            let (written, resolved) = heading
            let text = i + 1 < texts.count ? texts[i + 1] : ""
            return (index.strings[resolved.id]?.text ?? written.title, page + "#" + resolved.id, text)
        }
    }
}
