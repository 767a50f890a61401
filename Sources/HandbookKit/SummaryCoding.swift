import KitbagCore

// How the load and write stages' values are kept in the build cache (HandbookBuild's
// `CacheCoding` decides which file holds what). Each value writes and reads its own fields in
// KitbagCore's byte encoding, so its fields stay private to this module's stages.

extension UnitSummary {
    package func encode(into w: inout ByteWriter) {
        w.int(headings.count)
        for h in headings {
            w.int(h.level); w.string(h.title); w.optionalString(h.explicitID); w.bool(h.unnumbered); w.location(h.location)
            w.bool(h.adaptable); w.int(h.gapsBefore.count); h.gapsBefore.forEach { w.int($0) }
        }
        w.int(links.count)
        for l in links { w.string(l.url); w.bool(l.isEmpty); w.location(l.location); w.int(l.section); w.bool(l.isImage) }
        w.int(directives.count)
        for d in directives { w.string(d.name); w.string(d.arguments); w.string(d.body); w.location(d.location); w.int(d.section) }
        w.int(diagnostics.count); diagnostics.forEach { w.diagnostic($0) }
    }

    package init(from r: inout ByteReader) throws(ByteFormatError) {
        self.init()
        for _ in 0..<(try r.count()) {
            var heading = ParsedHeading(level: try r.int(), title: try r.string(), explicitID: try r.optionalString(),
                                        unnumbered: try r.bool(), location: try r.location(), adaptable: try r.bool())
            for _ in 0..<(try r.count()) { heading.gapsBefore.append(try r.int()) }
            headings.append(heading)
        }
        for _ in 0..<(try r.count()) {
            links.append(ParsedLink(url: try r.string(), isEmpty: try r.bool(), location: try r.location(), section: try r.int(), isImage: try r.bool()))
        }
        for _ in 0..<(try r.count()) {
            directives.append(ParsedDirective(name: try r.string(), arguments: try r.string(), body: try r.string(),
                                              location: try r.location(), section: try r.int()))
        }
        for _ in 0..<(try r.count()) { diagnostics.append(try r.diagnostic()) }
    }
}

extension ChapterFileSummary {
    package func encode(into w: inout ByteWriter) {
        w.fingerprint(unitKey); w.optionalString(origin); w.optionalString(explicitID)
        w.bool(adaptable); w.int(placeholders.count); placeholders.forEach { w.string($0) }
        w.int(diagnostics.count); diagnostics.forEach { w.diagnostic($0) }
    }

    package init(from r: inout ByteReader) throws(ByteFormatError) {
        self.init(unitKey: try r.fingerprint(), origin: try r.optionalString(), explicitID: try r.optionalString(),
                  diagnostics: [], adaptable: try r.bool(), placeholders: [])
        for _ in 0..<(try r.count()) { placeholders.append(try r.string()) }
        for _ in 0..<(try r.count()) { diagnostics.append(try r.diagnostic()) }
    }
}

extension Segment {
    package func encode(into w: inout ByteWriter) {
        w.string(page); w.fingerprint(key); w.int(offset); w.int(length); w.fingerprint(hash)
    }

    package init(from r: inout ByteReader) throws(ByteFormatError) {
        self.init(page: try r.string(), key: try r.fingerprint(), offset: try r.int(), length: try r.int(), hash: try r.fingerprint())
    }
}
