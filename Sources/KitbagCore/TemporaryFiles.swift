#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of kitbag's atomic writes. Every file kitbag writes goes through
/// `NAME.kitbag-tmp-PID` in the same folder and a rename; a process killed between the two
/// leaves that file behind (the original was never touched), and the next command that
/// writes there removes it.
public enum TemporaryFiles {
    /// What a temporary file's name has between the name of the file it will replace and the
    /// writing process's ID (`page.html.kitbag-tmp-4242`).
    public static let marker = ".kitbag-tmp-"

    /// The temporary file this process writes before renaming it to `path`.
    public static func path(for path: String) -> String {
        path + marker + String(getpid())
    }

    /// The ID of the process that wrote a temporary file, from its name; nil for any other name.
    public static func writer(of name: String) -> Int32? {
        // Most names are not temporary files: a byte search first, the split only for those.
        guard name.containsBytes(marker) else { return nil }
        let parts = name.split(separator: marker, omittingEmptySubsequences: false)
        guard parts.count >= 2, let digits = parts.last, !digits.isEmpty, digits.count <= 10,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(digits)
    }

    /// Whether process `pid` is this one or still runs (its temporary files are in use).
    public static func isRunning(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        if pid <= 0 { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes, under `folder` and its subfolders (never through a symbolic link), every
    /// temporary file of a process that no longer runs. Returns the paths removed, relative
    /// to `folder`. A site of 1,400 files is looked through on every build: the directory
    /// listing gives each entry's kind, so no file is `stat`ed.
    @discardableResult
    public static func removeLeftovers(in folder: String) -> [String] {
        var removed: [String] = []
        func visit(_ relative: String, depth: Int) {
            guard depth < 12 else { return }
            let directory = relative.isEmpty ? folder : FileSystem.join(folder, relative)
            for (name, kind) in FileSystem.entries(directory) {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch kind {
                case .symbolicLink:
                    continue
                case .directory:
                    visit(child, depth: depth + 1)
                case .file, .other:
                    if let pid = writer(of: name), !isRunning(pid) {
                        FileSystem.remove(FileSystem.join(directory, name))
                        removed.append(child)
                    }
                }
            }
        }
        visit("", depth: 0)
        return removed
    }
}
