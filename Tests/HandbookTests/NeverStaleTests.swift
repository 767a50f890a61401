import Foundation
import KitbagCLI
import KitbagCore
import Testing

/// An incremental build is never stale: after renaming, deleting and adding chapters and
/// images, and after builds killed part-way, the output folder is byte for byte what a clean
/// build of the same sources gives, with nothing left over.
@Suite(.serialized) struct NeverStaleTests {
    /// Every file under `dir`, relative, with its bytes.
    func tree(_ dir: String) -> [String: Data] {
        var result: [String: Data] = [:]
        for file in Support.files(under: dir) {
            result[file] = FileManager.default.contents(atPath: dir + "/" + file)
        }
        return result
    }

    /// The output of a clean build of `project`'s sources, in a fresh project with no cache.
    func cleanBuild(of project: String) -> [String: Data] {
        let fresh = Support.temporaryFolder()
        for part in ["Handbook", "Curriculum", "Proposals", "Cohorts"] where FileManager.default.fileExists(atPath: project + "/" + part) {
            Support.copy(project + "/" + part, to: fresh + "/" + part)
        }
        let run = Support.kitbag(["build", "--out", fresh + "/site"], in: fresh)
        #expect(run.status == 0, "\(run.err)")
        return tree(fresh + "/site")
    }

    /// Same files as a clean build, with the same bytes.
    func expectSame(_ out: String, _ project: String, _ step: String) {
        let built = tree(out), clean = cleanBuild(of: project)
        #expect(built.keys.sorted() == clean.keys.sorted(), "\(step): files differ")
        for (file, data) in clean where built[file] != data { Issue.record("\(step): \(file) differs from a clean build") }
    }

    /// (inode, mtime) of every file, to tell a rewritten file from one left alone.
    func stamps(_ dir: String) -> [String: String] {
        var result: [String: String] = [:]
        for file in Support.files(under: dir) {
            var s = stat()
            if stat(dir + "/" + file, &s) == 0 { result[file] = "\(s.st_ino) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec)" }
        }
        return result
    }

    @Test func renamingDeletingAndAddingChaptersAndImagesMatchesACleanBuild() throws {
        let dir = Support.sampleProject()
        let out = dir + "/site"
        let h = dir + "/Handbook"
        let fm = FileManager.default
        var steps: [(String, () throws -> Void)] = []
        steps.append(("add a chapter", { Support.write("# Extra notes {#extra-notes}\n\nA short added chapter.\n", to: h + "/16-extra-notes.md") }))
        steps.append(("rename a chapter", { try fm.moveItem(atPath: h + "/15-peer-worker-absence.md", toPath: h + "/15-absence-cover.md") }))
        steps.append(("delete a chapter", { try fm.removeItem(atPath: h + "/16-extra-notes.md") }))
        steps.append(("add an image", { try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: URL(fileURLWithPath: h + "/images/added.png")) }))
        steps.append(("remove an image", { try fm.removeItem(atPath: h + "/images/added.png") }))
        let first = Support.kitbag(["build", "--out", out], in: dir)
        try #require(first.status == 0, "\(first.err)")
        for (step, change) in steps {
            let before = tree(out), beforeStamps = stamps(out)
            usleep(20_000)  // so a rewrite would show in the mtime
            try change()
            let run = Support.kitbag(["build", "--out", out], in: dir)
            #expect(run.status == 0, "\(step): \(run.err)")
            expectSame(out, dir, step)
            // A page whose bytes did not change was not rewritten.
            let after = tree(out), afterStamps = stamps(out)
            for (file, bytes) in after where before[file] == bytes {
                #expect(afterStamps[file] == beforeStamps[file], "\(step): \(file) rewritten with the same bytes")
            }
        }
        #expect(!fm.fileExists(atPath: out + "/16-extra-notes.html"))
        #expect(!fm.fileExists(atPath: out + "/15-peer-worker-absence.html"))
        #expect(!fm.fileExists(atPath: out + "/images/added.png"))
    }

    @Test func aBuildKilledAtRandomPointsLeavesNoTraceAfterTheNextBuild() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = Support.sampleProject()
        let out = dir + "/site"
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for k in 0..<8 {
            // A change each time, so every build has pages to write.
            let chapter = dir + "/Handbook/01-what-is-enrich.md"
            Support.write(Support.read(chapter) + "\nAdded paragraph \(k).\n", to: chapter)
            if k == 2 { Support.write("# Extra notes {#extra-notes}\n\nA short added chapter.\n", to: dir + "/Handbook/16-extra-notes.md") }
            if k == 5 { try? FileManager.default.removeItem(atPath: dir + "/Handbook/16-extra-notes.md") }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["-C", dir, "build", "--out", out]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 5_000...250_000, using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killed += 1 }
        }
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        for folder in [out, dir + "/.build-kitbag"] {
            let leftovers = Support.files(under: folder).filter { $0.contains(".kitbag-tmp-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
        expectSame(out, dir, "after kills")
        #expect(killed > 0)
    }
}
