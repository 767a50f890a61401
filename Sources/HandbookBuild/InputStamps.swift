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

    mutating func visit(_ directory: String, relative: String) {
        for name in FileSystem.list(directory) {
            let path = FileSystem.join(directory, name)
            let rel = relative + "/" + name
            if FileSystem.isDirectory(path) {
                visit(path, relative: rel)
                continue
            }
            guard let stamp = FileStamp.of(path) else { continue }
            if let old = previous[rel], old.stamp == stamp {
                records[rel] = old
            } else if let bytes = try? FileSystem.readBytes(path) {
                records[rel] = InputRecord(stamp: stamp, hash: FingerprintHasher.of(bytes))
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
