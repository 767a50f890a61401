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

/// A piece of a spliced output: new bytes, or a range copied from the file as it is now.
package enum SplicePiece: Sendable {
    case bytes([UInt8])
    case copy(offset: Int, length: Int)
}
