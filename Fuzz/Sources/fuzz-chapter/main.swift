// A whole chapter through a full build of a small project (the sample's book.md, glossary and
// curriculum, and the fuzzed chapter): front matter, libcmark (not instrumented, so it is
// reached without coverage guidance), headings and IDs, references, directives including
// `{table}`, rendering and the incremental cache.
import FuzzSupport
import HandbookBuild
import HandbookKit
import KitbagCore

let root = FileSystem.join(Fuzz.scratch, "project")
for file in ["Handbook/book.md", "Handbook/glossary.md"] { Fuzz.copySample(file, to: FileSystem.join(root, file)) }
for folder in ["principles", "competencies", "modules", "assessments"] {
    for name in FileSystem.list(FileSystem.join(Fuzz.repository, "Curriculum", folder)) where name.hasSuffix(".md") {
        Fuzz.copySample("Curriculum/\(folder)/\(name)", to: FileSystem.join(root, "Curriculum", folder, name))
    }
}
for file in ["Curriculum/framework.md", "Curriculum/pathway.md"] { Fuzz.copySample(file, to: FileSystem.join(root, file)) }
let paths = ProjectPaths(root: root)
let options = HandbookCompiler.Options(outDirectory: FileSystem.join(root, "_site"))

Fuzz.run { bytes in
    Fuzz.write(bytes, to: FileSystem.join(root, "Handbook/01-fuzzed.md"))
    let result = SiteBuild.build(paths, options: options)
    _ = result
}
