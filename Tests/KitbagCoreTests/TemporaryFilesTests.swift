import Foundation
import KitbagCore
import KitbagTestSupport
import Testing

@Suite struct TemporaryFilesTests {
    /// A PID that no process has (above the kernel's limit), and so a dead writer's.
    static let dead: Int32 = 2_147_483_646

    @Test func removesADeadWritersFilesInEveryFolderAndNothingElse() throws {
        let folder = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mine = TemporaryFiles.path(for: "page.html")
        for name in ["a.html", "a.html.kitbag-tmp-\(Self.dead)", "sub/deeper/b.html.kitbag-tmp-\(Self.dead)", mine,
                     "c.html.kitbag-tmp-", "c.html.kitbag-tmp-12a", "d.kitbag-tmp-\(Self.dead).bak"] {
            Support.write("x", to: folder + "/" + name)
        }
        // A link to a folder outside is never followed.
        let outside = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        Support.write("x", to: outside + "/e.html.kitbag-tmp-\(Self.dead)")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: outside)

        let removed = TemporaryFiles.removeLeftovers(in: folder)
        #expect(removed == ["a.html.kitbag-tmp-\(Self.dead)", "sub/deeper/b.html.kitbag-tmp-\(Self.dead)"])
        #expect(!FileSystem.exists(folder + "/a.html.kitbag-tmp-\(Self.dead)"))
        #expect(FileSystem.exists(folder + "/a.html"))
        #expect(FileSystem.exists(folder + "/" + mine), "this process's own file is in use")
        #expect(FileSystem.exists(folder + "/c.html.kitbag-tmp-12a"))
        #expect(FileSystem.exists(folder + "/d.kitbag-tmp-\(Self.dead).bak"))
        #expect(FileSystem.exists(outside + "/e.html.kitbag-tmp-\(Self.dead)"))
    }

    @Test func readsTheWriterFromTheNameOnly() {
        #expect(TemporaryFiles.writer(of: "x.kitbag-tmp-42") == 42)
        #expect(TemporaryFiles.writer(of: "x.kitbag-tmp-1.kitbag-tmp-7") == 7)
        #expect(TemporaryFiles.writer(of: "x.kitbag-tmp-") == nil)
        #expect(TemporaryFiles.writer(of: "x.kitbag-tmp-99999999999") == nil)
        #expect(TemporaryFiles.writer(of: "x.html") == nil)
        #expect(TemporaryFiles.isRunning(getpid()))
        #expect(!TemporaryFiles.isRunning(Self.dead))
        #expect(!TemporaryFiles.isRunning(0))
    }
}
