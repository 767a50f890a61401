import Foundation
import KitbagTestSupport
import Testing

/// An incremental build is never stale: after renaming, deleting and adding chapters and
/// images, and after builds killed part-way, the output folder is byte for byte what a clean
/// build of the same sources gives, with nothing left over.
@Suite(.serialized) struct NeverStaleTests {
    /// The output of a clean build of `project`'s sources, in a fresh project with no cache.
    func cleanBuild(of project: String) -> [String: [UInt8]] {
        let fresh = Support.temporaryFolder()
        for part in Support.sampleParts where FileManager.default.fileExists(atPath: project + "/" + part) {
            Support.copy(project + "/" + part, to: fresh + "/" + part)
        }
        let run = Support.kitbag(["build", "--out", fresh + "/site"], in: fresh)
        #expect(run.status == 0, "\(run.err)")
        return Support.tree(fresh + "/site")
    }

    /// Same files as the clean build, with the same bytes.
    func expectSame(_ built: [String: [UInt8]], _ clean: [String: [UInt8]], _ step: String) {
        #expect(built.keys.sorted() == clean.keys.sorted(), "\(step): files differ")
        for (file, bytes) in clean where built[file] != bytes { Issue.record("\(step): \(file) differs from a clean build") }
    }

    /// On `Fixtures/never-stale`: three chapters, a glossary, an image and a curriculum that
    /// refer to each other, so that a change to one file reaches pages made from others, and
    /// small, so that the clean builds are cheap. A step that undoes the one before it brings
    /// back the sources of the first build, which had no cache: that build is the clean one.
    @Test func renamingDeletingAndAddingChaptersAndImagesMatchesACleanBuild() throws {
        let dir = Support.temporaryFolder()
        for part in ["Handbook", "Curriculum"] { Support.copy(Support.fixtures("never-stale/" + part), to: dir + "/" + part) }
        let out = dir + "/site", h = dir + "/Handbook", fm = FileManager.default
        let first = Support.kitbag(["build", "--out", out], in: dir)
        try #require(first.status == 0, "\(first.err)")
        let firstBuild = Support.tree(out)
        let steps: [(name: String, undoesTheOneBefore: Bool, change: () throws -> Void)] = [
            ("add a chapter that refers to another", false, { Support.write("# Extra notes {#extra-notes}\n\nMore on [](#cover).\n", to: h + "/04-extra-notes.md") }),
            ("delete that chapter", true, { try fm.removeItem(atPath: h + "/04-extra-notes.md") }),
            ("add an image", false, { try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: URL(fileURLWithPath: h + "/images/added.png")) }),
            ("remove that image", true, { try fm.removeItem(atPath: h + "/images/added.png") }),
            ("rename a chapter that other pages refer to", false, { try fm.moveItem(atPath: h + "/03-absence.md", toPath: h + "/03-cover.md") }),
            ("rename an image and its reference", false, {
                try fm.moveItem(atPath: h + "/images/timeline.svg", toPath: h + "/images/support-timeline.svg")
                Support.write(Support.read(h + "/01-start.md").replacingOccurrences(of: "images/timeline.svg", with: "images/support-timeline.svg"), to: h + "/01-start.md")
            }),
        ]
        for step in steps {
            let before = Support.tree(out), beforeStamps = Support.stamps(out)
            usleep(20_000)  // so a rewrite would show in the mtime
            try step.change()
            let run = Support.kitbag(["build", "--out", out], in: dir)
            #expect(run.status == 0, "\(step.name): \(run.err)")
            let after = Support.tree(out)
            expectSame(after, step.undoesTheOneBefore ? firstBuild : cleanBuild(of: dir), step.name)
            // A page whose bytes did not change was not rewritten.
            let afterStamps = Support.stamps(out)
            for (file, bytes) in after where before[file] == bytes {
                #expect(afterStamps[file] == beforeStamps[file], "\(step.name): \(file) rewritten with the same bytes")
            }
        }
        for gone in ["04-extra-notes.html", "03-absence.html", "images/added.png", "images/timeline.svg"] {
            #expect(!fm.fileExists(atPath: out + "/" + gone), "\(gone)")
        }
        #expect(fm.fileExists(atPath: out + "/03-cover.html"))
    }

    @Test func aBuildKilledAtRandomPointsLeavesNoTraceAfterTheNextBuild() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = Support.sampleProject()
        let out = dir + "/site"
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        // The kill comes at a random point within a build: up to the time the shortest build
        // seen to finish took (a quarter of a second until one finishes).
        var window = 0.25
        for k in 0..<8 {
            // A new section each time: every build has pages to write, and none takes the
            // prose-only fast path, which would finish before most kills.
            let chapter = dir + "/Handbook/01-what-is-enrich.md"
            Support.write(Support.read(chapter) + "\n## Added section \(k)\n\nAdded paragraph \(k).\n", to: chapter)
            if k == 2 { Support.write("# Extra notes {#extra-notes}\n\nA short added chapter.\n", to: dir + "/Handbook/16-extra-notes.md") }
            if k == 5 { try? FileManager.default.removeItem(atPath: dir + "/Handbook/16-extra-notes.md") }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["-C", dir, "build", "--out", out]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let started = Date()
            try p.run()
            let delay = Double.random(in: 0.002...max(0.003, window), using: &generator)
            while p.isRunning && Date().timeIntervalSince(started) < delay { usleep(500) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
            } else {
                window = min(window, Date().timeIntervalSince(started))
            }
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killed += 1 }
        }
        // The next build is made by the same executable: a cache written by another one (as
        // this test process would be) is not trusted, and the build starts afresh.
        let (next, _) = try Support.start(binary, ["-C", dir, "build", "--out", out])
        next.waitUntilExit()
        #expect(next.terminationStatus == 0)
        for folder in [out, dir + "/.build-kitbag"] {
            let leftovers = Support.files(under: folder).filter { $0.contains(".kitbag-tmp-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
        expectSame(Support.tree(out), cleanBuild(of: dir), "after kills")
        #expect(killed > 0)
    }

    /// A build killed after writing a new chapter's page but before saving its cache; the
    /// chapter is then deleted. The next build removes the page, which no cache listed.
    @Test func aPageOfAKilledBuildWhoseChapterIsDeletedGoes() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = Support.sampleProject()
        let out = dir + "/site", page = out + "/16-extra-notes.html", chapter = dir + "/Handbook/16-extra-notes.md"
        let first = Support.kitbag(["build", "--out", out], in: dir)
        try #require(first.status == 0, "\(first.err)")
        let caches = { Support.files(under: dir + "/.build-kitbag").filter { $0.hasSuffix(".cache") }.map { dir + "/.build-kitbag/" + $0 } }
        let cacheStamp = { caches().map { path -> String in
            var s = stat()
            return stat(path, &s) == 0 ? "\(s.st_ino) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec)" : "none"
        } }
        // Kill the build as soon as the page appears; retry until one dies before its cache is saved.
        var caught = false
        for attempt in 0..<12 where !caught {
            Support.write("# Extra notes {#extra-notes}\n\nA short added chapter, take \(attempt).\n", to: chapter)
            let before = cacheStamp()
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["-C", dir, "build", "--out", out]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            while p.isRunning && !FileManager.default.fileExists(atPath: page) { usleep(200) }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            caught = FileManager.default.fileExists(atPath: page) && cacheStamp() == before
            if !caught {
                // The build finished: start again from a site without the chapter.
                try? FileManager.default.removeItem(atPath: chapter)
                #expect(Support.kitbag(["build", "--out", out], in: dir).status == 0)
            }
        }
        try #require(caught, "no build was killed between writing the page and saving its cache")
        try FileManager.default.removeItem(atPath: chapter)
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: page))
        expectSame(Support.tree(out), cleanBuild(of: dir), "after a killed build's chapter was deleted")
    }
}
