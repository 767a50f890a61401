import KitbagCore

/// What reading a chapter file found besides its walk: the front matter's values and every
/// diagnostic of reading it. Keyed by the file's content, so an unchanged chapter is not read.
package struct ChapterFileSummary: Sendable {
    /// The unit's key before an edition's changes are folded in (`Fingerprint.salted`), so
    /// the record is the same in every edition.
    package var unitKey: Fingerprint
    package var origin: String?
    package var explicitID: String?
    package var diagnostics: [Diagnostic]
    /// `component: adaptable`.
    package var adaptable: Bool
    /// The site values the body names (`SiteValues.placeholderNames`).
    package var placeholders: [String]
}

/// The build cache as the load stage sees it (HandbookBuild's `UnitStore`): the walks of
/// units and chapter files an earlier build made, by content key, and a record of this
/// build's. Without one, every unit is read and parsed.
package protocol UnitCache: Sendable {
    /// The content hash of an input file, by project path (from the input scan).
    func contentHash(of relativePath: String) -> Fingerprint?
    /// An earlier walk of a unit with this key (marked as used by this build).
    func summary(for key: Fingerprint) -> UnitSummary?
    func record(_ summary: UnitSummary, for key: Fingerprint)
    /// A chapter file read in an earlier build (or by another edition of this run) with the
    /// same content, its unit's key in `edition`, and that unit's walk: the file need not be
    /// read again (both marked as used by this build).
    func unchangedChapter(_ fileKey: Fingerprint, edition: UnitEdition) -> (ChapterFileSummary, Fingerprint, UnitSummary)?
    func record(_ file: ChapterFileSummary, for fileKey: Fingerprint)
}

/// The keys a unit and a chapter file are cached under: everything their walk depends on.
package enum UnitKey {
    /// The key of a unit: its kind, place, how it is shown and its text.
    package static func unit(kind: UnitKind, source: SourceFile, relativePath: String, body: String, unsafeHTML: Bool) -> Fingerprint {
        var h = FingerprintHasher()
        h.add("unit-key-1")
        switch kind {
        case .chapter(let index): h.add("chapter"); h.add(index)
        case .glossary: h.add("glossary")
        case .preface: h.add("preface")
        case .curriculum(let id): h.add("curriculum"); h.add(id)
        case .pathway: h.add("pathway")
        case .framework: h.add("framework")
        }
        h.add(source.displayPath)
        h.add(relativePath)
        h.add(unsafeHTML)
        h.add(body)
        return h.finish()
    }

    /// The key of a chapter file: its content, place and how it is shown.
    package static func chapterFile(index: Int, relativePath: String, displayPath: String, unsafeHTML: Bool, contentHash: Fingerprint) -> Fingerprint {
        var h = FingerprintHasher()
        h.add("unit-key-1")
        h.add("chapter-file"); h.add(index); h.add(relativePath); h.add(displayPath); h.add(unsafeHTML)
        h.add(contentHash)
        return h.finish()
    }
}
