import KitbagCore

/// Temporary files a killed `accept` (or `propose`) left behind. kitbag writes every file
/// through `NAME.kitbag-tmp-PID` and a rename; when the process dies between the two, the next
/// proposals command removes the temporary file (the original was never touched).
public enum InterruptedWrites {
    /// Removes, under `Proposals/`, `Handbook/` and `Curriculum/`, every temporary file of a
    /// process that is no longer running (`TemporaryFiles`). Returns the project-relative
    /// paths removed.
    @discardableResult
    public static func clean(_ paths: ProjectPaths) -> [String] {
        ["Proposals", "Handbook", "Curriculum"].filter { FileSystem.isDirectory(paths.path($0)) }.flatMap { folder in
            TemporaryFiles.removeLeftovers(in: paths.path(folder)).map { folder + "/" + $0 }
        }
    }
}
