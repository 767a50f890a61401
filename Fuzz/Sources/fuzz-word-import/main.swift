// `kitbag proposals import FILE.docx` after pandoc: pandoc's JSON of a Word document with
// tracked changes and comments becomes the proposal's details and its CriticMarkup copy of the
// readable text, whose edits are mapped back onto the source (the sample's first snapshot);
// the result is read as a proposal's CriticMarkup would be.
// With KITBAG_FUZZ_SEEDS=DIR it writes seeds instead: the snapshot's readable text as pandoc
// JSON, plain and with tracked changes, so that mutations start from texts that map back.
import Foundation
import FuzzSupport
import KitbagCore
@testable import ProposalsKit

let paths = ProjectPaths(root: Fuzz.repository)
let snapshots = FileSystem.list(paths.path(Snapshots.folder)).filter { $0.hasSuffix(".md") }.sorted()
let snapshot = snapshots.first.flatMap { try? FileSystem.readBytes(paths.path("\(Snapshots.folder)/\($0)")) } ?? Array("A short text.\n".utf8)
let view = ReferenceTexts.load(paths).readable(snapshot)

if let dir = ProcessInfo.processInfo.environment["KITBAG_FUZZ_SEEDS"] {
    func inlines(_ text: Substring) -> [Any] {
        text.split(separator: " ").enumerated().flatMap { i, word -> [Any] in
            (i == 0 ? [] : [["t": "Space"]]) + [["t": "Str", "c": String(word)]]
        }
    }
    func span(_ kind: String, _ content: [Any]) -> [String: Any] {
        ["t": "Span", "c": [["", [kind], [["author", "Word Group"]]], content]]
    }
    let paragraphs = view.text.split(separator: "\n", omittingEmptySubsequences: true)
    for edited in [false, true] {
        let blocks: [Any] = paragraphs.enumerated().map { i, p in
            var content = inlines(p)
            if edited && i % 2 == 1 && content.count > 2 {
                content[2] = span("deletion", [content[2]])
                content.insert(span("insertion", [["t": "Str", "c": "newly"], ["t": "Space"]]), at: 2)
            }
            return ["t": "Para", "c": content]
        }
        let json = try JSONSerialization.data(withJSONObject: ["pandoc-api-version": [1, 23, 1], "meta": [String: Any](), "blocks": blocks])
        Fuzz.write(Array(json), to: FileSystem.join(dir, "readable-\(edited ? "edited" : "plain").json"))
    }
    exit(0)
}

Fuzz.run { bytes in
    guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
          let blocks = document["blocks"]?.array else { return }
    let (details, copy) = WordRoundTrip.convert(blocks)
    _ = details?.round
    _ = CriticMarkup.read(SourceFile(displayPath: "word.md", text: copy))
    let mapped = ReadableEdits.sourceCopy(marked: copy, snapshot: snapshot, view: view)
    _ = CriticMarkup.read(SourceFile(displayPath: "mapped.md", bytes: mapped.copy))
}
