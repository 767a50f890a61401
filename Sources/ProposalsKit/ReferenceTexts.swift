import HandbookKit
import KitbagCore

/// The text a reference to each ID shows ("8.4 Confidentiality", "Chapter 11: Supervision and
/// support", "C03: Keeping well at work"), worked out by the handbook's own resolver so that the
/// Word copy and the pages groups read say exactly what the handbook says.
public struct ReferenceTexts: Sendable {
    public var texts: [String: String] = [:]

    public init(texts: [String: String] = [:]) { self.texts = texts }

    /// The reference texts of a resolved handbook.
    public init(_ handbook: Handbook) {
        texts = handbook.targets.mapValues(\.text)
    }

    /// Resolves the project's handbook for its reference texts.
    public static func load(_ paths: ProjectPaths) -> ReferenceTexts {
        ReferenceTexts(HandbookCompiler.resolve(paths, options: .init()).0)
    }

    /// The text a reference to `id` shows, if the ID is known.
    public func text(_ id: String) -> String? { texts[id] }

    /// The readable form of Markdown `source`.
    public func readable(_ source: [UInt8]) -> ReadableText {
        let texts = self.texts
        return ReadableText(source: source) { texts[$0] }
    }
}
