import Foundation
import KitbagCore
import Testing
import KitbagTestSupport

/// What `Handbook/` may hold: nothing outside the project is read into the site, and every
/// Markdown file that is not part of the book is reported.
@Suite struct SourceSafetyTests {
    /// A small project (the pipe-table fixture) in its own folder, beside a folder "outside".
    func project() -> (dir: String, outside: String) {
        let base = Support.temporaryFolder()
        let dir = base + "/project"
        Support.copy(Support.fixtures("diagnostics/pipe-table"), to: dir)
        Support.write("# Secret {#secret}\n\nOutside text.\n", to: base + "/outside/secret.md")
        Support.write("not really a png", to: base + "/outside/imgs/x.png")
        return (dir, base + "/outside")
    }

    func link(_ target: String, at path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    @Test(arguments: [("Handbook/03-secret.md", "secret.md"), ("Handbook/glossary2.md", "secret.md"),
                      ("Handbook/images/x.png", "imgs/x.png"), ("Handbook/images/more", "imgs"), ("Handbook/images", "imgs")])
    func aLinkOutOfTheProjectIsAnErrorAtItsPath(_ link: String, _ target: String) throws {
        let (dir, outside) = project()
        if link == "Handbook/images/more" || link == "Handbook/images/x.png" { try FileManager.default.createDirectory(atPath: dir + "/Handbook/images", withIntermediateDirectories: true) }
        try self.link(outside + "/" + target, at: dir + "/" + link)
        let out = dir + "/../site"
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("\(link):1:1: error: '\(link)' is a symbolic link to '"), "\(run.err)")
        #expect(run.err.contains("[link-outside-project]"))
        #expect(Support.files(under: out).isEmpty)
    }

    @Test func aLinkInsideTheProjectIsFollowed() throws {
        let (dir, _) = project()
        Support.write("# Shared {#shared}\n\nText.\n", to: dir + "/Shared/03-shared.md")
        try link("../Shared/03-shared.md", at: dir + "/Handbook/03-shared.md")
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(!run.err.contains("link-outside-project"))
    }

    @Test func aDanglingImageLinkIsAMissingImageAndNothingIsWritten() throws {
        let (dir, _) = project()
        try link("/nonexistent/kitbag.png", at: dir + "/Handbook/images/gone.png")
        let out = dir + "/../site"
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/images/gone.png:1:1: error: image 'Handbook/images/gone.png' is a symbolic link to nothing [missing-image]"))
        #expect(Support.files(under: out).isEmpty)
    }

    @Test func markdownThatIsNotPartOfTheBookIsReported() {
        let (dir, _) = project()
        Support.write("# Notes\n", to: dir + "/Handbook/notes/todo.md")
        Support.write("# Deep\n", to: dir + "/Handbook/notes/deeper/x.markdown")
        Support.write("# Upper\n", to: dir + "/Handbook/04-upper.MD")
        Support.write("# Long\n", to: dir + "/Handbook/05-long.markdown")
        Support.write("# No slug\n", to: dir + "/Handbook/06.md")
        Support.write("# Picture notes\n", to: dir + "/Handbook/images/readme.md")
        let run = Support.kitbag(["check"], in: dir)
        for path in ["Handbook/notes/todo.md", "Handbook/notes/deeper/x.markdown", "Handbook/04-upper.MD", "Handbook/05-long.markdown", "Handbook/06.md"] {
            #expect(run.err.contains("\(path):1:1: warning: ") && run.err.contains("[not-a-chapter]"), "\(path): \(run.err)")
        }
        #expect(!run.err.contains("images/readme.md"))
    }

    @Test func aDuplicateChapterNumberKeepsBothChapters() {
        let (dir, _) = project()
        Support.write("# Also first {#also}\n\nSee [](#intro).\n", to: dir + "/Handbook/01-also.md")
        Support.write("# More\n\nSee [](#also).\n", to: dir + "/Handbook/02-more.md")
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("[duplicate-chapter-number]"))
        #expect(!run.err.contains("unresolved-reference"), "\(run.err)")
    }
}
