import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore

/// What the last successful build resolved, for `FastRebuild`. The core cache file keeps
/// the chapter list; each chapter's render context (its heading IDs and numbers, link targets,
/// and the targets and back-references it shows) is a record of the contexts file, read only
/// for the chapters an edit touched.
struct ResolvedSnapshot: Sendable {
    struct Chapter: Sendable {
        var relativePath: String
        var page: String
        /// The chapter heading's title (what previous/next links show).
        var title: String
        var origin: String?
        /// `id:` in front matter.
        var explicitID: String?
        /// The file content it was built from (`UnitStore.fileKey`) and its unit key.
        var fileKey: Fingerprint
        var unitKey: Fingerprint
        /// Its headings, links, directives and front matter values (`ParsedUnit.structureKey`).
        var structureKey: Fingerprint
    }

    struct TargetInfo: Sendable {
        var kind: String
        var text: String
        var page: String
        var anchor: String?
        var isSuffixedSlug: Bool
        var runningText: String? = nil
    }

    /// Options and tool the snapshot holds for (`FastRebuild.optionsKey`).
    var optionsKey: Fingerprint
    var chapters: [Chapter]
    var hasGlossary: Bool

    /// The snapshot of a resolved handbook and each chapter's render context, or nil when a
    /// chapter's file key is unknown.
    static func make(_ h: Handbook, paths: ProjectPaths, inputs: InputScan,
                     options: HandbookCompiler.Options) -> (ResolvedSnapshot, [(String, ChapterContext)])? {
        // The IDs each unit defines (its headings and tables).
        var own: [Int: [String]] = [:]
        own.reserveCapacity(h.units.count)
        for (id, t) in h.targets { if let u = t.unit { own[u, default: []].append(id) } }
        func info(_ id: String) -> TargetInfo? {
            h.targets[id].map { TargetInfo(kind: $0.kind.rawValue, text: $0.text, page: $0.page, anchor: $0.anchor, isSuffixedSlug: $0.isSuffixedSlug, runningText: $0.runningText) }
        }
        var chapters: [Chapter] = []
        var contexts: [(String, ChapterContext)] = []
        chapters.reserveCapacity(h.chapterUnits.count)
        contexts.reserveCapacity(h.chapterUnits.count)
        for (index, u) in h.chapterUnits.enumerated() {
            let unit = h.units[u]
            let headings = h.headings(u)
            let file = h.sources.chapters[index]
            guard let hash = inputs.records[file.relativePath]?.hash, let unitKey = unit.contentKey else { return nil }
            let fileKey = UnitKey.chapterFile(index: index, relativePath: file.relativePath, displayPath: paths.display(file.relativePath),
                                            unsafeHTML: options.unsafeHTML, contentHash: hash)
            chapters.append(Chapter(
                relativePath: file.relativePath, page: file.pageName,
                title: h.chapterHeading(index).map { unit.headings[$0].title } ?? file.stem,
                origin: h.chapterOrigins[index], explicitID: h.chapterExplicitIDs[index],
                fileKey: fileKey, unitKey: unitKey, structureKey: unit.structureKey))
            var context = ChapterContext(structureKey: unit.structureKey)
            context.headingIDs = headings.map(\.id)
            context.headingNumbers = headings.map(\.number)
            let links = u < h.linkTargets.count ? h.linkTargets[u] : []
            let defined = own[u] ?? []
            // Sized once for every target it may show (links, its own IDs, who refers to them).
            context.targets.reserveCapacity(links.count + defined.reduce(defined.count) { $0 + (h.backReferences[$1]?.count ?? 0) })
            context.linkKinds.reserveCapacity(links.count)
            context.linkValues.reserveCapacity(links.count)
            for link in links {
                switch link {
                case .target(let id)?:
                    context.linkKinds.append(1); context.linkValues.append(id)
                    context.targets[id] = info(id)
                case .image(let name)?:
                    context.linkKinds.append(2); context.linkValues.append(name)
                case nil:
                    context.linkKinds.append(0); context.linkValues.append("")
                }
            }
            for id in defined {
                context.targets[id] = info(id)
                let refs = (h.backReferences[id] ?? []).map(\.fromID)
                if !refs.isEmpty { context.backReferences[id] = refs }
                for from in refs { context.targets[from] = info(from) }
            }
            contexts.append((file.relativePath, context))
        }
        let snapshot = ResolvedSnapshot(optionsKey: FastRebuild.optionsKey(paths: paths, options: options),
                                        chapters: chapters, hasGlossary: h.glossaryUnit != nil)
        return (snapshot, contexts)
    }
}

/// What rendering one chapter needs from the resolved book.
struct ChapterContext: Sendable {
    var structureKey: Fingerprint
    var headingIDs: [String] = []
    var headingNumbers: [String?] = []
    /// Per link: 0 left alone, 1 a target ID, 2 an image under images/.
    var linkKinds: [Int] = []
    var linkValues: [String] = []
    /// The targets it links to or defines, and those that refer to what it defines.
    var targets: [String: ResolvedSnapshot.TargetInfo] = [:]
    /// Who refers to each ID it defines.
    var backReferences: [String: [String]] = [:]

    init(structureKey: Fingerprint) { self.structureKey = structureKey }
}
