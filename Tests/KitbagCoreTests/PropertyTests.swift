import KitbagCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagTestSupport

extension SeededGenerator {
    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &self)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
}

/// Bytes that make front matter and CSV interesting, plus anything at all.
let interestingBytes: [UInt8] = Array("-:\"'[],{}#|>&*!@ \t\r\n\\abcP1M0".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0x00]

func randomBytes(_ rng: inout SeededGenerator, maxCount: Int) -> [UInt8] {
    let count = Int.random(in: 0...maxCount, using: &rng)
    var bytes: [UInt8] = []
    if rng.chance(50) { bytes += Array("---\n".utf8) }
    for _ in 0..<count {
        bytes.append(rng.chance(70) ? rng.pick(interestingBytes) : UInt8.random(in: 0...255, using: &rng))
    }
    if rng.chance(40) { bytes += Array("\n---\n".utf8) }
    return bytes
}

/// Every diagnostic points into `file`: a real line, a column from 1 to just past the line's end.
func expectLocatedWithin(_ diagnostics: [Diagnostic], _ file: SourceFile, input: String,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for d in diagnostics {
        let line = d.location?.line ?? 0
        let inRange = line >= 1 && line <= file.lineCount && (d.location?.column ?? 0) >= 1
            && (d.location?.column ?? 0) <= file.line(line).unicodeScalars.count + 1
        #expect(inRange, "\(d.formatted) for input \(input.debugDescription)", sourceLocation: sourceLocation)
        #expect(d.location?.file == file.displayPath, sourceLocation: sourceLocation)
    }
}

@Suite struct FrontMatterPropertyTests {
    static let validBlocks = [
        "---\nid: M01\ntitle: First meetings\ncompetencies: [C01, C02]\nhours: 2.5\n---\nBody\n",
        "---\ntitle: \"A: quoted title\"\nauthors:\n  - 'Ann'\n  - Bo\nflag: true # note\nstart: 2026-01-05\n---\n",
        "---\r\nid: P1\r\ntitle: 'It''s'\r\nlist: []\r\n---\r\n\r\nText\r\n",
    ]

    @Test func randomBytesNeverCrashAndAreLocatedInTheFile() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<2000 {
            let bytes = randomBytes(&rng, maxCount: 120)
            let file = SourceFile(displayPath: "r.md", bytes: bytes)
            var bag = DiagnosticBag()
            let fm = FrontMatter.parse(file, into: &bag)
            expectLocatedWithin(bag.all, file, input: file.text)
            // The body always keeps the file's line count.
            if fm.isPresent && !bag.hasErrors {
                #expect(fm.body.utf8.filter { $0 == 10 }.count == file.text.utf8.filter { $0 == 10 }.count)
            }
        }
    }

    /// Random edits of valid blocks: never a crash, and every diagnostic inside the file.
    @Test func nearValidFrontMatterNeverCrashes() {
        var rng = SeededGenerator(seed: 2)
        let alphabet: [Character] = [":", "\"", "'", "[", "]", "-", "\t", "\r", "\n", "#", " ", "|", "&", "{"]
        for _ in 0..<2000 {
            var chars = Array(rng.pick(Self.validBlocks))
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<chars.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: chars.remove(at: at)
                case 1: chars.insert(rng.pick(alphabet), at: at)
                default: chars.insert(chars[at], at: at)
                }
                if chars.isEmpty { chars = ["-"] }
            }
            let text = String(chars)
            let file = SourceFile(displayPath: "n.md", text: text)
            var bag = DiagnosticBag()
            _ = FrontMatter.parse(file, into: &bag)
            expectLocatedWithin(bag.all, file, input: text)
        }
    }

    /// Edits that are certainly outside the subset always give an error on the edited line.
    @Test func knownInvalidEditsAreAlwaysReported() {
        var rng = SeededGenerator(seed: 3)
        let breakers = ["\"", "'", "|", ">", "&a ", "*a", "[", "{", "!t "]
        for _ in 0..<2000 {
            let block = rng.pick(Self.validBlocks)
            // Split on the scalar "\n" (a CRLF pair is one Character, so String.split would not).
            let lines = block.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            // Entry lines are those with "key: value" (a value after the colon).
            let entries = lines.indices.filter { i in
                let l = lines[i]
                return i > 0 && !l.hasPrefix("-") && !l.hasPrefix(" ") && l.contains(": ")
                    && lines[..<i].filter { $0.hasPrefix("---") }.count == 1
            }
            let i = rng.pick(entries)
            var edited = lines
            let kind = Int.random(in: 0..<4, using: &rng)
            switch kind {
            case 0:  // a value that starts with something outside the subset
                guard let colon = edited[i].firstRange(of: ": ") else { continue }
                let value = edited[i][colon.upperBound...]
                edited[i] = String(edited[i][..<colon.upperBound]) + rng.pick(breakers) + value.replacing("\"", with: "").replacing("'", with: "").replacing("[", with: "").replacing("]", with: "")
            case 1:  // tab indentation
                edited[i] = "\t" + edited[i]
            case 2:  // a nested map under an entry
                edited.insert("  nested: map", at: i + 1)
                edited[i] = String(edited[i].prefix { $0 != ":" }) + ":"
            default:  // a duplicate key
                edited.insert(edited[i], at: i + 1)
            }
            let text = edited.joined(separator: "\n")
            let file = SourceFile(displayPath: "k.md", text: text)
            var bag = DiagnosticBag()
            _ = FrontMatter.parse(file, into: &bag)
            let line = kind == 0 || kind == 1 ? i + 1 : i + 2
            #expect(bag.all.contains { $0.severity == .error && $0.location?.line == line },
                    "no error on line \(line) for \(text.debugDescription): \(bag.all.map(\.formatted))")
            expectLocatedWithin(bag.all, file, input: text)
        }
    }
}

@Suite struct CSVPropertyTests {
    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 4)
        for _ in 0..<2000 {
            let bytes = randomBytes(&rng, maxCount: 150)
            let lines = bytes.filter { $0 == 10 }.count + 1
            switch CSV.parse(bytes) {
            case .success(let records):
                #expect(records.allSatisfy { $0.line >= 1 && $0.line <= lines })
                #expect(records.dropLast().allSatisfy { !$0.unterminated })
            case .failure(let error):
                #expect(error.line >= 1 && error.line <= lines && error.column >= 1)
            }
        }
    }

    @Test func writtenRecordsParseBackIdentically() throws {
        var rng = SeededGenerator(seed: 5)
        let pieces = ["a", "Ann", " ", ",", "\"", "\n", "\r\n", "\r", "é", "=SUM(A1)", "-", "''", "\u{FEFF}", "#", "😀"]
        for _ in 0..<2000 {
            var records: [[String]] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                var fields: [String] = []
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    var field = ""
                    for _ in 0..<Int.random(in: 0...4, using: &rng) { field += rng.pick(pieces) }
                    fields.append(field)
                }
                records.append(fields)
            }
            let text = records.map { CSV.line($0) }.joined()
            let parsed = try CSV.parse(Array(text.utf8)).get()
            #expect(parsed.map(\.fields) == records, "\(text.debugDescription)")
            // Each record starts on the line after the previous record's last line.
            var line = 1
            for (record, fields) in zip(parsed, records) {
                #expect(record.line == line)
                line += CSV.line(fields).utf8.filter { $0 == 10 }.count
            }
            #expect(parsed.allSatisfy { !$0.unterminated })
        }
    }

    @Test func theScannerNeverCrashesAndAlwaysMovesOn() {
        var rng = SeededGenerator(seed: 6)
        for _ in 0..<2000 {
            let bytes = randomBytes(&rng, maxCount: 150)
            let lines = bytes.filter { $0 == 10 }.count + 1
            bytes.withUnsafeBufferPointer { buffer in
                var scanner = CSVScanner(buffer)
                var steps = 0
                loop: while steps <= bytes.count + 1 {
                    steps += 1
                    let before = scanner.position
                    switch scanner.next() {
                    case .end: break loop
                    case .error(_, let line, let column):
                        #expect(line >= 1 && line <= lines && column >= 1)
                    case .torn, .record:
                        #expect(scanner.recordLine >= 1 && scanner.recordLine <= lines)
                        for f in scanner.fields {
                            #expect(f.start <= f.end && f.end <= bytes.count)
                            _ = scanner.string(f)
                            #expect(scanner.column(of: f) >= 1)
                        }
                    }
                    #expect(scanner.position > before || scanner.position == bytes.count)
                }
                #expect(steps <= bytes.count + 1, "the scanner did not finish")
            }
        }
    }

    @Test func writtenBytesScanBackIdentically() {
        var rng = SeededGenerator(seed: 7)
        let pieces = ["a", " ", ",", "\"", "\n", "\r\n", "\r", "é", "=SUM(A1)", "-", "\u{FEFF}", "😀", ""]
        for _ in 0..<1000 {
            var writer = CSVWriter(neutralise: Bool.random(using: &rng))
            var expected: [[String]] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                var fields: [String] = []
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    var field = ""
                    for _ in 0..<Int.random(in: 0...3, using: &rng) { field += rng.pick(pieces) }
                    fields.append(field)
                }
                writer.line(fields)
                expected.append(fields.map { writer.neutralise ? CSV.neutralised($0) : $0 })
            }
            var got: [[String]] = []
            writer.bytes.withUnsafeBufferPointer { buffer in
                var scanner = CSVScanner(buffer)
                while scanner.next() == .record { got.append(scanner.fields.map { scanner.string($0) }) }
            }
            #expect(got == expected, "\(writer.text.debugDescription)")
        }
    }
}
