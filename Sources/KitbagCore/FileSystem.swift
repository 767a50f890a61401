#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure, with the path it concerns.
public struct FileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(reason): '\(path)'" }
}

/// File access in one place: reading, listing, atomic writes and locks.
public enum FileSystem {
    public static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot read file (\(errnoText()))") }
        defer { close(fd) }
        var result: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size > 0 {
            // The usual case: read the whole regular file straight into its array.
            let size = Int(st.st_size)
            var filled = 0
            var failed = false
            result = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                guard let base = buffer.baseAddress else { count = 0; return }
                while filled < size {
                    let n = read(fd, base + filled, size - filled)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { failed = true }
                    if n <= 0 { break }
                    filled += n
                }
                count = filled
            }
            if failed { throw FileError(path: path, reason: "cannot read file (\(errnoText()))") }
            if filled < size { return result }  // shorter than stat said: it ended early
            // The usual end: one more byte is not there. (Only a growing file reads on.)
            var probe: UInt8 = 0
            var extra = read(fd, &probe, 1)
            while extra < 0 && errno == EINTR { extra = read(fd, &probe, 1) }
            if extra == 0 { return result }
            if extra < 0 { throw FileError(path: path, reason: "cannot read file (\(errnoText()))") }
            result.append(probe)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: "cannot read file (\(errnoText()))")
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
        }
        return result
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// The absolute path with every symbolic link resolved, for a path that may not exist yet:
    /// the longest existing ancestor is resolved and the rest appended.
    public static func canonical(_ path: String) -> String {
        var head = path.isEmpty ? "." : path
        var tail: [String] = []
        while true {
            if let resolved = realpath(head, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                return tail.reversed().reduce(base) { path, part in
                    switch part {
                    case "", ".": return path
                    case "..": return path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? path
                    default: return join(path, part)
                    }
                }
            }
            guard let slash = head.lastIndex(of: "/") else {
                tail.append(head)
                head = "."
                continue
            }
            tail.append(String(head[head.index(after: slash)...]))
            head = slash == head.startIndex ? "/" : String(head[..<slash])
        }
    }

    /// The path of `target` as a link from a page in `folder` would write it (both canonical),
    /// for example `../_site` from `/p/reports` to `/p/_site`.
    public static func relativePath(from folder: String, to target: String) -> String {
        let from = folder.split(separator: "/", omittingEmptySubsequences: true)
        let to = target.split(separator: "/", omittingEmptySubsequences: true)
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// Whether `path` is `folder` or lies under it (both canonical).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Names in a directory, sorted by byte order; empty when it does not exist.
    public static func list(_ path: String) -> [String] {
        entries(path).map(\.name)
    }

    /// What a directory entry is, as the directory itself records it (`lstat`'s view: a
    /// symbolic link is a link, whatever it points at).
    public enum EntryKind: Sendable, Equatable {
        case file, directory, symbolicLink, other
    }

    /// The entries of a directory, sorted by byte order, with their kinds; empty when it does
    /// not exist. The kind comes with the name from `readdir`, so looking through a folder of
    /// a thousand files costs no `stat` per file (one `lstat` only where the file system does
    /// not record types).
    public static func entries(_ path: String) -> [(name: String, kind: EntryKind)] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var found: [(name: String, kind: EntryKind)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != "." && name != ".." else { continue }
            let kind: EntryKind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = entryKind(join(path, name))
            default: kind = .other
            }
            found.append((name, kind))
        }
        return found.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// An entry's kind from `lstat` (`.other` when it cannot be read).
    static func entryKind(_ path: String) -> EntryKind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    public static func makeDirectories(_ path: String) throws(FileError) {
        if isDirectory(path) { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: path, reason: "cannot create directory")
        }
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then renamed.
    public static func writeAtomically(_ bytes: some Collection<UInt8>, to path: String) throws(FileError) {
        let temp = TemporaryFiles.path(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot write file (\(errnoText()))") }
        let data = Array(bytes)
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                close(fd)
                unlink(temp)
                throw FileError(path: path, reason: "cannot write file (\(errnoText()))")
            }
            written += n
        }
        fsync(fd)
        close(fd)
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw FileError(path: path, reason: "cannot replace file (\(errnoText()))")
        }
    }

    /// Writes text atomically.
    public static func writeAtomically(_ text: String, to path: String) throws(FileError) {
        try writeAtomically(Array(text.utf8), to: path)
    }

    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `body` while holding an exclusive advisory lock on `lockPath` (created if needed).
    public static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        try holdingLock(open(lockPath, O_RDWR | O_CREAT, 0o644), on: lockPath, opening: "lock file", body)
    }

    /// Runs `body` holding an exclusive advisory lock on a directory (no lock file is left behind).
    public static func withDirectoryLock<T>(_ directory: String, _ body: () throws -> T) throws -> T {
        try holdingLock(open(directory, O_RDONLY | O_DIRECTORY), on: directory, opening: "directory to lock it", body)
    }

    /// Locks the open `fd` (waiting for other holders), runs `body`, unlocks and closes it.
    private static func holdingLock<T>(_ fd: Int32, on path: String, opening what: String, _ body: () throws -> T) throws -> T {
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot open \(what) (\(errnoText()))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw FileError(path: path, reason: "cannot lock (\(errnoText()))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Joins path components with "/".
    public static func join(_ parts: String...) -> String {
        var result = ""
        for part in parts where !part.isEmpty {
            if result.isEmpty || part.hasPrefix("/") { result = part; continue }
            result += result.hasSuffix("/") ? part : "/" + part
        }
        return result
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
