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
                     options: HandbookCompiler.Options) -> (ResolvedSnapshot, ContextsToWrite)? {
        // The IDs each unit defines (its headings and tables).
        var own: [Int: [String]] = [:]
        own.reserveCapacity(h.units.count)
        for (id, t) in h.targets { if let u = t.unit { own[u, default: []].append(id) } }
        let targets = EncodedTargets(h.targets)
        let backReferences = h.backReferences
        var chapters: [Chapter] = []
        var contexts: [ContextsToWrite.Record] = []
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
            context.linkKinds.reserveCapacity(links.count)
            context.linkValues.reserveCapacity(links.count)
            // The targets it shows, by their place in `targets` (an ID that is no target is left out).
            var shown: Set<Int> = []
            shown.reserveCapacity(links.count + 16)
            func show(_ id: String) { if let n = targets.ordinal[id] { shown.insert(n) } }
            for link in links {
                switch link {
                case .target(let id)?:
                    context.linkKinds.append(1); context.linkValues.append(id)
                    show(id)
                case .image(let name)?:
                    context.linkKinds.append(2); context.linkValues.append(name)
                case nil:
                    context.linkKinds.append(0); context.linkValues.append("")
                }
            }
            for id in own[u] ?? [] {
                show(id)
                let refs = (backReferences[id] ?? []).map(\.fromID)
                if !refs.isEmpty { context.backReferences[id] = refs }
                for from in refs { show(from) }
            }
            contexts.append(ContextsToWrite.Record(path: file.relativePath, context: context, shown: Array(shown)))
        }
        let snapshot = ResolvedSnapshot(optionsKey: FastRebuild.optionsKey(paths: paths, options: options),
                                        chapters: chapters, hasGlossary: h.glossaryUnit != nil)
        return (snapshot, ContextsToWrite(targets: targets, records: contexts))
    }
}

/// Every target's entry as a context record stores it (its ID, then its `TargetInfo`),
/// encoded once for the whole book: a chapter's record copies the bytes of the targets it
/// shows, instead of each chapter encoding them again.
struct EncodedTargets: Sendable {
    /// The entries, one after another.
    var bytes = ByteWriter()
    /// Each entry's bytes, by its place.
    var ranges: [Range<Int>] = []
    /// Each ID's place.
    var ordinal: [String: Int] = [:]

    init(_ targets: [String: Target]) {
        bytes.bytes.reserveCapacity(targets.count * 128)
        ranges.reserveCapacity(targets.count)
        ordinal.reserveCapacity(targets.count)
        for (id, t) in targets {
            let start = bytes.bytes.count
            bytes.write(targetID: id, ResolvedSnapshot.TargetInfo(kind: t.kind.rawValue, text: t.text, page: t.page, anchor: t.anchor,
                                                                  isSuffixedSlug: t.isSuffixedSlug, runningText: t.runningText))
            ordinal[id] = ranges.count
            ranges.append(start..<bytes.bytes.count)
        }
    }
}

/// The contexts file as a build writes it: each chapter's context (its `targets` left
/// empty), and the targets it shows as places in `targets`. The file is the one
/// `ByteReader.readContexts` reads back into `ChapterContext`s.
struct ContextsToWrite: Sendable {
    struct Record: Sendable {
        var path: String
        var context: ChapterContext
        var shown: [Int]
    }

    var targets: EncodedTargets
    var records: [Record]
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
