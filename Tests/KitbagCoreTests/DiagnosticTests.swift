import Foundation
import KitbagCore
import Testing

@Suite struct DiagnosticTests {
    let here = SourceLocation(file: "Handbook/01-a.md", line: 3, column: 7)

    @Test func aPlacedDiagnosticIsPrintedCompilerStyle() {
        let d = Diagnostic.error(.duplicateID, "duplicate ID 'x'", at: here, notes: [.init("first here", at: here), .init("loose")])
        #expect(d.formatted == """
            Handbook/01-a.md:3:7: error: duplicate ID 'x' [duplicate-id]
            Handbook/01-a.md:3:7: note: first here
                note: loose
            """)
    }

    @Test func aCommandLineProblemHasNoFakeLocation() {
        let d = Diagnostic.error(.wrongItemKind, "use --module", at: nil)
        #expect(d.formatted == "kitbag: error: use --module [wrong-item-kind]")
        #expect([d].jsonText().contains("\"file\": null, \"line\": null, \"column\": null"))
    }

    @Test func commandLineProblemsComeFirstThenFileOrder() {
        let later = Diagnostic.warning(.rawHTML, "b", at: SourceLocation(file: "b.md", line: 1, column: 1))
        let earlier = Diagnostic.warning(.rawHTML, "a", at: here)
        let loose = Diagnostic.error(.unknownWorker, "w", at: nil)
        #expect([later, earlier, loose, earlier].inReportOrder == [loose, earlier, later])
    }

    @Test func strictFailsOnAnyWarningAndOnlyThen() {
        let warning = Diagnostic.warning(.rawHTML, "w", at: here)
        let error = Diagnostic.error(.rawHTML, "e", at: here)
        #expect(![warning].failRun(strict: false))
        #expect([warning].failRun(strict: true))
        #expect([error].failRun(strict: false))
        #expect(![Diagnostic]().failRun(strict: true))
    }

    /// Every code is declared once in the catalog, and no source file spells a code as a string.
    @Test func everyCodeIsDeclaredOnceAndUsedByName() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let catalog = try String(contentsOf: root.appendingPathComponent("Sources/KitbagCore/DiagnosticCatalog.swift"), encoding: .utf8)
        let raw = catalog.split(separator: "\n").compactMap { line -> Substring? in
            guard line.contains("Self(rawValue: \""), let open = line.firstIndex(of: "\"") else { return nil }
            let rest = line[line.index(after: open)...]
            return rest.firstIndex(of: "\"").map { rest[..<$0] }
        }
        #expect(raw.count > 80)
        #expect(Set(raw).count == raw.count, "a code is declared twice")
        #expect(raw.allSatisfy { $0.allSatisfy { $0 == "-" || $0.isLowercase || $0.isNumber } })
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        let codes = Set(raw.map { Array($0.utf8) })
        for file in files where !file.hasSuffix("DiagnosticCatalog.swift") {
            let bytes = Array(try Data(contentsOf: sources.appendingPathComponent(file)))
            // Each string literal that spells a code where a diagnostic is made or tested.
            var i = 0
            while i < bytes.count {
                guard bytes[i] == UInt8(ascii: "\""), let end = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "\"")) else { i += 1; continue }
                let before = String(decoding: bytes[max(0, i - 8)..<i], as: UTF8.self)
                if codes.contains(Array(bytes[(i + 1)..<end])), ["error(", "warning(", "code: ", "code == ", "code != "].contains(where: before.hasSuffix) {
                    Issue.record("\(file) spells the code '\(String(decoding: bytes[(i + 1)..<end], as: UTF8.self))' instead of using the catalog")
                }
                i = end + 1
            }
        }
    }
}
