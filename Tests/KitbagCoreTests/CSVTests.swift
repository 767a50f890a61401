import KitbagCore
import Testing

@Suite struct CSVTests {
    func records(_ text: String) throws -> [CSV.Record] { try CSV.parse(Array(text.utf8)).get() }

    @Test func quotedCommasAndDoubledQuotes() throws {
        let r = try records("id,note\nR1,\"a, b\"\nR2,\"she said \"\"hi\"\"\"\n")
        #expect(r.map(\.fields) == [["id", "note"], ["R1", "a, b"], ["R2", "she said \"hi\""]])
    }

    @Test func lineBreaksInsideQuotesKeepLaterLineNumbers() throws {
        let r = try records("h1,h2\nR1,\"first\nsecond\nthird\"\nR2,x\n")
        #expect(r.map(\.line) == [1, 2, 5])
        #expect(r[1].fields == ["R1", "first\nsecond\nthird"])
    }

    @Test func crlfLineEnds() throws {
        let r = try records("a,b\r\nc,\"d\r\ne\"\r\nf,g\r\n")
        #expect(r.map(\.fields) == [["a", "b"], ["c", "d\r\ne"], ["f", "g"]])
        #expect(r.map(\.line) == [1, 2, 4])
        #expect(r.allSatisfy { !$0.unterminated })
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let r = try CSV.parse([0xEF, 0xBB, 0xBF] + Array("id,name\nW01,Ann\n".utf8)).get()
        #expect(r.first?.fields == ["id", "name"])
    }

    @Test func blankLinesAreSkippedAndEmptyFieldsKept() throws {
        let r = try records("a,,c\n\n\r\n,\n")
        #expect(r.map(\.fields) == [["a", "", "c"], ["", ""]])
        #expect(r.map(\.line) == [1, 4])
    }

    @Test func unterminatedQuoteIsAnErrorAtTheRecordsLine() {
        guard case .failure(let error) = CSV.parse(Array("a,b\nc,\"never closed\nmore\n".utf8)) else { Issue.record("no error"); return }
        #expect(error.message == "a quoted field is not closed")
        #expect((error.line, error.column) == (2, 3))
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        guard case .failure(let error) = CSV.parse(Array("x\n\"a\"b,c\n".utf8)) else { Issue.record("no error"); return }
        #expect((error.line, error.column) == (2, 4))
    }

    @Test func quoteInsideAnUnquotedFieldIsAnError() {
        guard case .failure(let error) = CSV.parse(Array("ab\"c\n".utf8)) else { Issue.record("no error"); return }
        #expect((error.line, error.column) == (1, 3))
        #expect(error.message.contains("quote"))
    }

    @Test func lastRecordWithoutNewlineIsFlaggedUnterminated() throws {
        let r = try records("R000001,2026-04-02\nR000002,2026-04")
        #expect(r.map(\.unterminated) == [false, true])
        #expect(r[1].fields == ["R000002", "2026-04"])
    }

    @Test func streamingStopsWhenAsked() {
        var seen: [Int] = []
        CSV.parse(Array("a\nb\nc\n".utf8)) { record in
            seen.append(record.line)
            return record.line < 2
        } onError: { _ in Issue.record("unexpected error") }
        #expect(seen == [1, 2])
    }

    @Test func writingQuotesOnlyWhenNeeded() {
        #expect(CSV.line(["plain", "a,b", "say \"x\"", "two\nlines", ""]) == "plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",\n")
        #expect(CSV.line([""]) == "\"\"\n")
        #expect(CSV.escape("\u{FEFF}x") == "\"\u{FEFF}x\"")
    }

    @Test(arguments: ["=SUM(A1:A9)", "+44 1234", "-2+3", "@cmd", "\tx", "\rx"])
    func formulaLikeCellsAreNeutralised(_ cell: String) {
        #expect(CSV.neutralised(cell) == "'" + cell)
    }

    @Test func ordinaryCellsAreLeftAlone() {
        for cell in ["", "Ann", "2026-04-02", "a=b", "'quoted", "x-y"] { #expect(CSV.neutralised(cell) == cell) }
        #expect(CSV.line(["=1+1", "ok"], neutralise: true) == "'=1+1,ok\n")
    }

    // MARK: - One reader, one writer: the cases where the two old readers disagreed

    @Test func columnsCountCharactersNotBytes() {
        guard case .failure(let error) = CSV.parse(Array("é€,ab\"c\n".utf8)) else { Issue.record("no error"); return }
        #expect((error.line, error.column) == (1, 6))
    }

    @Test func theWriterQuotesALeadingByteOrderMarkWithOrWithoutNeutralising() {
        var w = CSVWriter(neutralise: true)
        w.line(["\u{FEFF}x", "=1"])
        #expect(w.text == "\"\u{FEFF}x\",'=1\n")
        let back = try? CSV.parse(w.bytes).get()
        #expect(back?.first?.fields == ["\u{FEFF}x", "'=1"])
    }

    @Test func aLoneEmptyFieldSurvivesEitherWriter() throws {
        var w = CSVWriter()
        w.line([""])
        w.line(["a"])
        #expect(w.text == CSV.line([""]) + "a\n")
        #expect(try CSV.parse(w.bytes).get().map(\.fields) == [[""], ["a"]])
    }

    @Test func theScannerCarriesOnAfterAnErrorAndGivesFieldPlaces() {
        let bytes = Array("a,b\nx\"y,z\n\"q\",é,w\n".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer)
            #expect(scanner.next() == .record)
            #expect(scanner.next() == .error(message: "a quote inside an unquoted field; quote the whole field and double the quote", line: 2, column: 2))
            #expect(scanner.next() == .record)
            #expect(scanner.fields.map { scanner.string($0) } == ["q", "é", "w"])
            #expect(scanner.fields.map { scanner.column(of: $0) } == [1, 5, 7])
            #expect(scanner.recordLine == 3)
            #expect(scanner.next() == .end)
        }
    }

    @Test func anOpenQuoteAtTheEndIsTornWithItsPlace() {
        let bytes = Array("a\nb,\"open".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer)
            #expect(scanner.next() == .record)
            #expect(scanner.next() == .torn)
            #expect(scanner.unclosedQuote?.line == 2 && scanner.unclosedQuote?.column == 3)
            #expect(scanner.next() == .end)
        }
    }
}
