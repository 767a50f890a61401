import KitbagCore

/// A keyed part of a large output file (a chapter's part of `handbook.html`, a page's entries
/// in `search-index.js`) and where its bytes lie in the file as written. The next build copies
/// a part whose key still matches straight from the old file instead of rendering it again
/// (the render plan hands such an old segment back as a reusable part).
package struct Segment: Sendable, Equatable {
    package var page: String
    package var key: Fingerprint
    package var offset: Int
    package var length: Int
    /// The fingerprint of the part's bytes.
    package var hash: Fingerprint
}

/// A piece of a spliced output: new bytes or text, or a range copied from the file as it is now.
package enum SplicePiece: Sendable {
    case bytes([UInt8])
    /// Text written as its UTF-8 bytes (a part rendered ahead, never copied into one buffer).
    case text(String)
    case copy(offset: Int, length: Int)
}

/// A part of a spliced output made before the output is put together, on the core that
/// rendered it: its text and the fingerprint of its bytes. Putting `handbook.html` or
/// `search-index.js` together then neither copies nor hashes the parts again.
package struct RenderedPart: Sendable {
    package let text: String
    package let hash: Fingerprint

    package init(_ text: String) {
        self.text = text
        hash = FingerprintHasher.of(text)
    }
}

extension SiteBuilder {
    /// An output assembled from parts, some keyed: a keyed part is recorded with its place,
    /// so that the next build can copy it from this file when its key is unchanged. Each
    /// part stays a piece of its own (the writer writes the pieces one after the other); the
    /// short texts between parts are gathered into one piece.
    struct SplicedOutput {
        var pieces: [SplicePiece] = []
        var pending = ""
        var size = 0
        var segments: [Segment] = []
        /// Fingerprint of the content, part by part: a copied or ready part brings its
        /// fingerprint, so only the texts between parts are hashed. Equal fingerprints, equal files.
        var hasher = FingerprintHasher()

        mutating func append(_ text: String) {
            pending += text
            size += text.utf8.count
            hasher.add(text)
        }

        /// A keyed part: copied from the old file (`old`), or new (`fresh`, asked for only then).
        mutating func append(page: String, key: Fingerprint?, old: Segment?, fresh: () -> RenderedPart) {
            let start = size
            let hash: Fingerprint
            flushPending()
            if let old {
                pieces.append(.copy(offset: old.offset, length: old.length))
                size += old.length
                hash = old.hash
            } else {
                let part = fresh()
                if !part.text.isEmpty { pieces.append(.text(part.text)) }
                size += part.text.utf8.count
                hash = part.hash
            }
            hasher.add(hash)
            if let key { segments.append(Segment(page: page, key: key, offset: start, length: size - start, hash: hash)) }
        }

        private mutating func flushPending() {
            if !pending.isEmpty { pieces.append(.text(pending)); pending = "" }
        }

        /// The pieces, the pending text last.
        var allPieces: [SplicePiece] { pending.isEmpty ? pieces : pieces + [.text(pending)] }
    }

    mutating func emit(_ path: String, _ output: SplicedOutput) {
        files.append(OutputFile(path: path, bytes: [], fingerprint: output.hasher.finish(), splice: output.allPieces, spliceSize: output.size))
        if !output.segments.isEmpty { segments[path] = output.segments }
    }
}
