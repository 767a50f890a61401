// Source locations over any bytes (a BOM, CRLF, invalid UTF-8). Property: the location of
// each scalar's first byte, and of each line end, maps back to that byte (its line, and its
// column in scalars, counting a line end's bytes past the line's text as one column each);
// any line and column, however far out, gives a location without trapping.
import FuzzSupport
import KitbagCore

Fuzz.run { bytes in
    let file = SourceFile(displayPath: "fuzz.md", bytes: bytes)
    Fuzz.expect(file.hadByteOrderMark == bytes.starts(with: [0xEF, 0xBB, 0xBF]), "the BOM is not seen")
    let utf8 = Array(file.text.utf8)
    Fuzz.expect(file.lineCount == utf8.filter { $0 == 10 }.count + 1, "the line count")
    // Checks at most about 3000 bytes, spread over the file, so that big inputs stay fast.
    let stride = max(1, utf8.count / 3_000)
    var checked = 0
    for line in 1...file.lineCount {
        let start = file.lineStarts[line - 1]
        var offset = start
        var column = 1
        var expected: [(offset: Int, column: Int)] = []
        for scalar in file.line(line).unicodeScalars {
            expected.append((offset, column))
            offset += String(scalar).utf8.count
            column += 1
        }
        let end = line < file.lineCount ? file.lineStarts[line] : utf8.count
        while offset < end {  // "\r\n" or "\n": one column per byte
            expected.append((offset, column))
            offset += 1
            column += 1
        }
        for (i, e) in expected.enumerated() where (checked + i) % stride == 0 {
            let location = file.location(ofByteOffset: e.offset)
            Fuzz.expect(location.line == line && location.column == e.column,
                        "byte \(e.offset) is line \(line), column \(e.column), but its location is \(location)")
        }
        checked += expected.count
    }
    for line in 0...(file.lineCount + 1) { _ = file.line(line) }
    var k = 0
    while k + 2 <= bytes.count && k < 64 {
        let line = Int(Int8(bitPattern: bytes[k])), column = Int(Int8(bitPattern: bytes[k + 1])) * 1_000_003
        _ = file.location(line: line, byteColumn: column)
        k += 2
    }
    _ = file.location(ofByteOffset: utf8.count)
}
