// Front matter: kitbag's YAML subset, then every typed read a schema does.
// Properties: the body keeps the file's line count (so cmark's lines stay true), and every
// diagnostic points inside the file.
import FuzzSupport
import KitbagCore

let keys = ["id", "title", "hours", "sessions", "valid-for-months", "attempts", "round", "number",
            "numbering-depth", "attendance", "competencies", "prerequisites", "submitted", "joined", "origin"]
let schema = FrontMatterSchema(kind: "a fuzzed file", required: ["id", "title"], optional: Array(keys.dropFirst(2)))

Fuzz.run { bytes in
    let file = SourceFile(displayPath: "fuzz.md", bytes: bytes)
    var bag = DiagnosticBag()
    let frontMatter = FrontMatter.parse(file, into: &bag)
    var reader = FrontMatterReader(frontMatter, file: file, schema: schema)
    for key in Set(frontMatter.entries.map(\.key) + keys) {
        _ = reader.string(key)
        _ = reader.integer(key)
        _ = reader.integer(key, range: 1...600)
        _ = reader.number(key)
        _ = reader.number(key, range: 0...10_000)
        _ = reader.boolean(key)
        _ = reader.date(key)
        _ = reader.list(key)
        _ = reader.location(of: key)
    }
    for entry in frontMatter.entries { _ = entry.value.text }
    let body = SourceFile(displayPath: "body", text: frontMatter.body)
    Fuzz.expect(body.lineCount == file.lineCount, "the body has \(body.lineCount) lines, the file \(file.lineCount)")
    Fuzz.expectInside(bag.all + reader.diagnostics, file)
}
