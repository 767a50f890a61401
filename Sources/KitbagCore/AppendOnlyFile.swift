#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way kitbag appends to a ledger (training records, fidelity ratings): cut a torn
/// tail left by an interrupted append, write the new rows, sync. The caller holds the
/// ledger's lock (`FileSystem.withLock`) and has checked every row first.
public enum AppendOnlyFile {
    /// Appends `bytes` to `path` (created if needed) after truncating it to `offset` when a
    /// torn last line starts there; a row is committed once this returns.
    ///
    /// `slice` and `proceed` are a seam for the crash tests: the bytes go out in slices of at
    /// most `slice`, and before each one `proceed(bytesWrittenSoFar)` is asked whether to go
    /// on; `false` stops right there, unsynced, as a process killed mid-row would, and throws.
    /// Production callers use the defaults (one write, never stopped).
    public static func append(_ bytes: [UInt8], to path: String, truncatingTo offset: Int?,
                              slice: Int = Int.max, proceed: (Int) -> Bool = { _ in true }) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot open for appending (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        if let offset {
            guard ftruncate(fd, off_t(offset)) == 0 else { throw FileError(path: path, reason: "cannot remove a torn line (\(String(cString: strerror(errno))))") }
        }
        var written = 0
        while written < bytes.count {
            let chunk = min(max(slice, 1), bytes.count - written)
            guard proceed(written) else { throw FileError(path: path, reason: "append stopped after \(written) bytes") }
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(fd, base + written, chunk)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: "cannot append (\(String(cString: strerror(errno))))")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw FileError(path: path, reason: "cannot sync (\(String(cString: strerror(errno))))") }
    }
}
