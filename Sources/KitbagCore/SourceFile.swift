#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The text of one input file, decoded once, with a line table for turning byte offsets
/// into the 1-based line and scalar column a user sees.
public struct SourceFile: Sendable {
    /// The path shown in diagnostics.
    public let displayPath: String
    /// The text without a leading byte order mark. CRLF line ends are kept.
    public let text: String
    /// Whether the file began with a UTF-8 byte order mark.
    public let hadByteOrderMark: Bool
    /// Whether the bytes were not valid UTF-8 (invalid sequences became U+FFFD).
    public let hadInvalidUTF8: Bool
    /// Byte offset in `text.utf8` where each line starts.
    public let lineStarts: [Int]

    public init(displayPath: String, bytes: some Collection<UInt8>) {
        self.displayPath = displayPath
        var slice = Array(bytes)[...]
        hadByteOrderMark = slice.starts(with: [0xEF, 0xBB, 0xBF])
        if hadByteOrderMark { slice = slice.dropFirst(3) }
        let valid = String(validating: slice, as: UTF8.self)
        hadInvalidUTF8 = valid == nil
        var text = valid ?? String(decoding: slice, as: UTF8.self)
        var starts = [0]
        text.withUTF8 { bytes in  // `memchr` from line end to line end: much faster than a byte loop
            var from = 0
            while let newline = bytes.firstIndex(of: UInt8(ascii: "\n"), from: from) {
                starts.append(newline + 1)
                from = newline + 1
            }
        }
        self.text = text
        lineStarts = starts
    }

    public init(displayPath: String, text: String) {
        self.init(displayPath: displayPath, bytes: Array(text.utf8))
    }

    /// The number of lines (a final line without a newline counts).
    public var lineCount: Int { lineStarts.count }

    /// The text of 1-based `line`, without its line end.
    public func line(_ line: Int) -> Substring {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[line - 1])
        var end = line < lineStarts.count
            ? utf8.index(utf8.startIndex, offsetBy: lineStarts[line] - 1)
            : utf8.endIndex
        if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") {
            end = utf8.index(before: end)
        }
        return text[start..<end]
    }

    /// A location from a 1-based line and a 1-based column counted in UTF-8 bytes (as cmark does).
    public func location(line: Int, byteColumn: Int) -> SourceLocation {
        // Scalars before the column = lead bytes among the first (byteColumn - 1) bytes.
        let before = max(byteColumn - 1, 0)
        let counted: Int? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard line >= 1, line <= lineStarts.count else { return before }
            let start = lineStarts[line - 1]
            var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count  // the line's "\n"
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let limit = min(start + before, end)
            var scalars = 0
            var i = start
            // Eight bytes a step: a scalar starts at every byte that is not a continuation
            // byte (10xxxxxx); `continuationBytes` counts those in a word.
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i + 8 <= limit {
                    scalars += 8 - Self.continuationBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    i += 8
                }
            }
            while i < limit {
                if bytes[i] & 0xC0 != 0x80 { scalars += 1 }
                i += 1
            }
            return scalars + (before - (limit - start))  // past the line's end: count as columns
        }
        if let counted {
            return SourceLocation(file: displayPath, line: max(line, 1), column: counted + 1)
        }
        var scalars = 0
        var seen = 0
        for byte in self.line(line).utf8 {
            if seen >= before { break }
            seen += 1
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        scalars += before - seen  // past the end of the line (a line end): count as columns
        return SourceLocation(file: displayPath, line: max(line, 1), column: scalars + 1)
    }

    /// How many of the eight bytes of `word` are UTF-8 continuation bytes (10xxxxxx): each
    /// byte's top bit set and its next bit (shifted up into the top bit) clear.
    static func continuationBytes(_ word: UInt64) -> Int {
        (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    /// A location from a byte offset in `text.utf8`.
    public func location(ofByteOffset offset: Int) -> SourceLocation {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return location(line: low + 1, byteColumn: offset - lineStarts[low] + 1)
    }

    /// The start of the file.
    public var start: SourceLocation { SourceLocation(file: displayPath, line: 1, column: 1) }

    /// A location at a line and scalar column, as given.
    public func at(line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(file: displayPath, line: line, column: column)
    }
}
