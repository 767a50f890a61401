import KitbagCore

/// The texts `propose` copied, kept in `Proposals/.snapshots/<hex>.md` where `<hex>` is the
/// fingerprint's SHA-256 digits. They are kitbag's own files, committed with the proposals and
/// never edited by a group, so that kitbag can always tell what a group changed. Closing a round
/// keeps the re-anchored texts here too.
public enum Snapshots {
    /// The project-relative folder.
    public static let folder = "Proposals/.snapshots"

    /// The project-relative path of the snapshot a fingerprint names, if the fingerprint is well formed.
    public static func relativePath(_ fingerprint: String) -> String? {
        guard fingerprint.hasPrefix("sha256:") else { return nil }
        let hex = fingerprint.dropFirst(7)
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return "\(folder)/\(hex).md"
    }

    /// Keeps `bytes` (unless an identical snapshot is there) and returns its fingerprint.
    @discardableResult
    public static func save(_ bytes: [UInt8], paths: ProjectPaths) throws(FileError) -> String {
        let fingerprint = Proposal.fingerprint(of: bytes)
        guard let relative = relativePath(fingerprint) else { return fingerprint }
        let path = paths.path(relative)
        if (try? FileSystem.readBytes(path)) == bytes { return fingerprint }
        try FileSystem.makeDirectories(paths.path(folder))
        try FileSystem.writeAtomically(bytes, to: path)
        return fingerprint
    }

    /// The snapshot a fingerprint names: nil when there is none (a proposal from before
    /// snapshots), a warning when the file is a link or does not match its name.
    public static func load(_ fingerprint: String, paths: ProjectPaths) -> (bytes: [UInt8]?, problem: String?) {
        guard let relative = relativePath(fingerprint) else { return (nil, nil) }
        let path = paths.path(relative)
        guard FileSystem.exists(path) else { return (nil, nil) }
        if FileSystem.isSymbolicLink(path) || FileSystem.isSymbolicLink(paths.path(folder)) {
            return (nil, "the snapshot '\(relative)' is a symbolic link; kitbag ignores it")
        }
        guard let bytes = try? FileSystem.readBytes(path) else { return (nil, "cannot read the snapshot '\(relative)'") }
        guard Proposal.fingerprint(of: bytes) == fingerprint else {
            return (nil, "the snapshot '\(relative)' was changed (it no longer matches its fingerprint); changes typed without marks cannot be found")
        }
        return (bytes, nil)
    }
}
