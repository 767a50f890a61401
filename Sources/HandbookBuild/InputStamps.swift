import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore

/// An input file as last seen: its stamp and the hash of its bytes.
struct InputRecord: Sendable {
    var stamp: FileStamp
    var hash: Fingerprint
}

/// Every input file's stamp and content hash, re-reading only files whose stamp changed.
struct InputScan {
    let previous: [String: InputRecord]
    var records: [String: InputRecord] = [:]

    init(previous: [String: InputRecord]) {
        self.previous = previous
    }

    /// Stamps every file under `directory` (named `relative/...`) and hashes those whose
    /// stamp changed, on every core; the records are the same as one core's.
    mutating func visit(_ directory: String, relative: String) {
        var files: [(path: String, relative: String)] = []
        Self.listFiles(directory, relative: relative, into: &files)
        let previous = previous
        let seen = files.concurrentMap { file -> InputRecord? in
            guard let stamp = FileStamp.of(file.path) else { return nil }
            if let old = previous[file.relative], old.stamp == stamp { return old }
            guard let bytes = try? FileSystem.readBytes(file.path) else { return nil }
            return InputRecord(stamp: stamp, hash: FingerprintHasher.of(bytes))
        }
        records.reserveCapacity(records.count + files.count)
        for (file, record) in zip(files, seen) {
            if let record { records[file.relative] = record }
        }
    }

    /// Every file under `directory`, depth first in name order, with its path and its name
    /// relative to the project.
    private static func listFiles(_ directory: String, relative: String, into files: inout [(path: String, relative: String)]) {
        for (name, kind) in FileSystem.entries(directory) {
            let path = FileSystem.join(directory, name)
            let rel = relative + "/" + name
            // A link is followed, as everywhere the handbook is read (the load stage reports
            // one that leads outside the project); a file's own `stat` comes with its stamp.
            if kind == .directory || (kind == .symbolicLink && FileSystem.isDirectory(path)) {
                listFiles(path, relative: rel, into: &files)
            } else {
                files.append((path, rel))
            }
        }
    }

    /// The fingerprint of the whole build: every input, option and the kitbag binary.
    func key(paths: ProjectPaths, options: HandbookCompiler.Options) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(FastRebuild.optionsKey(paths: paths, options: options))
        for (path, record) in records.sorted(by: { $0.key < $1.key }) {
            h.add(path)
            h.add(record.hash)
        }
        return h.finish()
    }

    /// The fingerprint of the curriculum files alone (for generated directives).
    var curriculumKey: Fingerprint {
        var h = FingerprintHasher()
        for (path, record) in records.sorted(by: { $0.key < $1.key }) where path.hasPrefix("Curriculum/") {
            h.add(path)
            h.add(record.hash)
        }
        return h.finish()
    }
}
