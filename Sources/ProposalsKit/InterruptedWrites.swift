#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KitbagCore

/// Temporary files a killed `accept` (or `propose`) left behind. kitbag writes every file
/// through `NAME.kitbag-tmp-PID` and a rename; when the process dies between the two, the next
/// proposals command removes the temporary file (the original was never touched).
public enum InterruptedWrites {
    static let marker = ".kitbag-tmp-"

    /// Removes, under `Proposals/`, `Handbook/` and `Curriculum/`, every temporary file of a
    /// process that is no longer running. Returns the project-relative paths removed.
    @discardableResult
    public static func clean(_ paths: ProjectPaths) -> [String] {
        var removed: [String] = []
        func walk(_ relative: String, depth: Int) {
            guard depth < 12 else { return }
            for name in FileSystem.list(paths.path(relative)) {
                let child = relative + "/" + name
                let path = paths.path(child)
                if FileSystem.isSymbolicLink(path) { continue }
                if FileSystem.isDirectory(path) {
                    walk(child, depth: depth + 1)
                } else if let pid = leftover(name), !isRunning(pid) {
                    FileSystem.remove(path)
                    removed.append(child)
                }
            }
        }
        for folder in ["Proposals", "Handbook", "Curriculum"] where FileSystem.isDirectory(paths.path(folder)) {
            walk(folder, depth: 0)
        }
        return removed
    }

    /// The process id in a temporary file's name, if it is one.
    static func leftover(_ name: String) -> Int32? {
        let parts = name.split(separator: ".kitbag-tmp-", omittingEmptySubsequences: false)
        guard parts.count >= 2, let digits = parts.last else { return nil }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(digits)
    }

    static func isRunning(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        if pid <= 0 { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
