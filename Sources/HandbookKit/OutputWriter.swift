import Dispatch
import KitbagCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The identity of a file on disk: when it matches, its recorded content hash still holds.
package struct FileStamp: Equatable, Sendable {
    package var size: Int
    package var seconds: Int
    package var nanoseconds: Int
    package var inode: Int

    package init(size: Int, seconds: Int, nanoseconds: Int, inode: Int) {
        self.size = size
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.inode = inode
    }

    /// The stamp of `path`, or nil when it does not exist or is not a regular file.
    package static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        return FileStamp(size: Int(st.st_size), seconds: Int(st.st_mtimespec.tv_sec), nanoseconds: Int(st.st_mtimespec.tv_nsec), inode: Int(st.st_ino))
        #else
        return FileStamp(size: Int(st.st_size), seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec), inode: Int(st.st_ino))
        #endif
    }
}

/// An output file as last written: the key of what it was rendered from, the hash of its
/// bytes and its stamp (a page is only trusted while the file on disk still has that stamp).
package struct OutputRecord: Sendable {
    package var key: Fingerprint
    package var hash: Fingerprint
    package var stamp: FileStamp

    package init(key: Fingerprint, hash: Fingerprint, stamp: FileStamp) {
        self.key = key
        self.hash = hash
        self.stamp = stamp
    }
}

/// Writes output files: a temporary file in the same folder, then a rename, so a reader never
/// sees half a page. Unlike ledger writes, site pages are not synced to disk one by one: they
/// are rebuilt from the sources at any time, and syncing 20 MB would dominate a rebuild.
package enum OutputWriter {
    package static func put(_ bytes: [UInt8], to path: String) throws(FileError) {
        try put([.bytes(bytes)], to: path)
    }
}

extension OutputWriter {
    /// Writes all of `bytes` to `fd`; false when a write fails.
    static func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var written = 0
        while written < bytes.count {
            let n = write(fd, base + written, bytes.count - written)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            written += n
        }
        return true
    }

    /// Writes a spliced output: new bytes from memory, copied ranges straight from the file
    /// being replaced (kernel to kernel, never through this process's memory); then renames.
    package static func put(_ pieces: [SplicePiece], to path: String) throws(FileError) {
        func failure(_ what: String) -> FileError {
            FileError(path: path, reason: "\(what) (\(String(cString: strerror(errno))))")
        }
        let needsOld = pieces.contains { if case .copy = $0 { return true } else { return false } }
        let old = needsOld ? open(path, O_RDONLY) : -1
        if needsOld && old < 0 { throw failure("cannot read the previous file") }
        defer { if old >= 0 { close(old) } }
        let temp = TemporaryFiles.path(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot write file") }
        var ok = true
        pieces: for piece in pieces {
            switch piece {
            case .bytes(let bytes):
                if !bytes.withUnsafeBytes({ writeFully(fd, $0) }) { ok = false; break pieces }
            case .text(var text):
                if !text.withUTF8({ writeFully(fd, UnsafeRawBufferPointer($0)) }) { ok = false; break pieces }
            case .copy(let offset, let length):
                var from = off_t(offset)
                var left = length
                while left > 0 {
                    let n = sendfile(fd, old, &from, left)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { ok = false; break pieces }  // the old file is shorter than recorded
                    left -= n
                }
            }
        }
        close(fd)
        guard ok else {
            let error = failure("cannot write file")
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let error = failure("cannot replace file")
            unlink(temp)
            throw error
        }
    }
}

/// Writes changed output files and records what each file on disk now holds.
package struct SiteWriter: Sendable {
    package let out: String
    package let previous: [String: OutputRecord]
    package var records: [String: OutputRecord] = [:]
    package var written: [String] = []

    package init(out: String, previous: [String: OutputRecord]) {
        self.out = out
        self.previous = previous
    }

    /// Writes `files` on every core (creating files is mostly kernel time, which overlaps),
    /// each core with its own writer. The largest files go first and each core takes the next
    /// file when it is done with one, so the 30 MB one-page edition does not leave one core
    /// writing alone at the end.
    package static func writeAll(_ files: [OutputFile], out: String, previous: [String: OutputRecord], keys: [String: Fingerprint]) throws(FileError) -> SiteWriter {
        let lanes = files.count > 64 ? processorCount : 1
        let order = files.indices.sorted { files[$0].size > files[$1].size }
        let next = Mutex(0)
        let results = Array(0..<lanes).concurrentMap(lanes: lanes) { _ -> Result<SiteWriter, FileError> in
            var writer = SiteWriter(out: out, previous: previous)
            do {
                while true {
                    let claimed = next.withLock { n in defer { n += 1 }; return n }
                    guard claimed < order.count else { break }
                    let file = files[order[claimed]]
                    if let pieces = file.splice, let hash = file.fingerprint {
                        try writer.write(pieces, size: file.spliceSize, to: file.path, key: keys[file.path] ?? .zero, hash: hash)
                    } else {
                        try writer.write(file.bytes, to: file.path, key: keys[file.path] ?? .zero, hash: file.fingerprint)
                    }
                }
                return .success(writer)
            } catch {
                return .failure((error as Any as? FileError) ?? FileError(path: out, reason: "cannot write the site"))
            }
        }
        var merged = SiteWriter(out: out, previous: previous)
        var written: Set<String> = []
        for result in results {
            let w = try result.get()
            merged.records.merge(w.records) { a, _ in a }
            written.formUnion(w.written)
        }
        // Keep the order the pages were produced in.
        merged.written = files.map(\.path).filter { written.contains($0) }
        return merged
    }

    /// Writes a spliced output (pieces copied from the file it replaces), unless the file
    /// is already what it would be.
    package mutating func write(_ pieces: [SplicePiece], size: Int, to relative: String, key: Fingerprint, hash: Fingerprint) throws(FileError) {
        let path = FileSystem.join(out, relative)
        let stamp = FileStamp.of(path)
        if keepIfRecorded(relative, path: path, key: key, hash: hash, stamp: stamp) { return }
        let copies = pieces.contains { if case .copy = $0 { return true } else { return false } }
        if !copies, keepIfSame(relative, path: path, key: key, hash: hash, stamp: stamp, size: size, as: { Self.equal($0, pieces) }) { return }
        try OutputWriter.put(pieces, to: path)
        recordWritten(relative, path: path, key: key, hash: hash)
    }

    package mutating func write(_ bytes: [UInt8], to relative: String, key: Fingerprint, hash known: Fingerprint? = nil) throws(FileError) {
        let path = FileSystem.join(out, relative)
        let hash = known ?? FingerprintHasher.of(bytes)
        let stamp = FileStamp.of(path)
        if keepIfRecorded(relative, path: path, key: key, hash: hash, stamp: stamp) { return }
        if keepIfSame(relative, path: path, key: key, hash: hash, stamp: stamp, size: bytes.count, as: { $0 == bytes }) { return }
        try OutputWriter.put(bytes, to: path)
        recordWritten(relative, path: path, key: key, hash: hash)
    }

    /// No record of the file as it is (first build, cache lost, file changed by someone
    /// else): compare with what is there, and leave it when it holds the same bytes. With a
    /// record, a different hash means different bytes.
    private mutating func keepIfSame(_ relative: String, path: String, key: Fingerprint, hash: Fingerprint, stamp: FileStamp?,
                                     size: Int, as same: ([UInt8]) -> Bool) -> Bool {
        let recorded = previous[relative].map { $0.stamp == stamp } ?? false
        guard !recorded, let stamp, stamp.size == size, let existing = try? FileSystem.readBytes(path), same(existing) else { return false }
        records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
        return true
    }

    /// Whether `bytes` are the new bytes and texts of `pieces`, one after the other.
    private static func equal(_ bytes: [UInt8], _ pieces: [SplicePiece]) -> Bool {
        bytes.withUnsafeBytes { file in
            var offset = 0
            func matches(_ part: UnsafeRawBufferPointer) -> Bool {
                guard part.count <= file.count - offset else { return false }
                defer { offset += part.count }
                return part.isEmpty || memcmp(file.baseAddress! + offset, part.baseAddress!, part.count) == 0
            }
            for piece in pieces {
                switch piece {
                case .bytes(let b): if !b.withUnsafeBytes(matches) { return false }
                case .text(var t): if !t.withUTF8({ matches(UnsafeRawBufferPointer($0)) }) { return false }
                case .copy: return false
                }
            }
            return offset == file.count
        }
    }

    /// The file is what we wrote last time, and the new content is the same: leave it.
    private mutating func keepIfRecorded(_ relative: String, path: String, key: Fingerprint, hash: Fingerprint, stamp: FileStamp?) -> Bool {
        guard let record = previous[relative], record.hash == hash, let stamp, stamp == record.stamp else { return false }
        records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
        return true
    }

    private mutating func recordWritten(_ relative: String, path: String, key: Fingerprint, hash: Fingerprint) {
        written.append(relative)
        if let stamp = FileStamp.of(path) {
            records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
        }
    }
}
