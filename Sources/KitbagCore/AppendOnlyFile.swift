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
    public static func append(_ bytes: [UInt8], to path: String, truncatingTo offset: Int?) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot open for appending (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        if let offset {
            guard ftruncate(fd, off_t(offset)) == 0 else { throw FileError(path: path, reason: "cannot remove a torn line (\(String(cString: strerror(errno))))") }
        }
        // Fault injection for the crash tests: write in small slices with pauses, so that a
        // SIGKILL lands in the middle of a row. Never set outside tests.
        let slow = getenv("KITBAG_TEST_SLOW_APPEND") != nil
        var written = 0
        while written < bytes.count {
            let chunk = slow ? min(5, bytes.count - written) : bytes.count - written
            if slow { usleep(300) }
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
