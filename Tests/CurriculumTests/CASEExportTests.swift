import CurriculumKit
import Foundation
import KitbagCLI
import KitbagCore
import Testing
import KitbagTestSupport

@Suite struct CASEExportTests {
    /// Runs `kitbag -C root curriculum export --case extra...` and returns the exit status and streams.
    func export(_ root: String, _ extra: [String] = []) -> Support.Run {
        Support.kitbag(["curriculum", "export", "--case"] + extra, in: root)
    }

    func parse(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func sampleExportHasOneItemPerPrincipleCompetencyAndModule() throws {
        let result = export(Support.repositoryRoot)
        #expect(result.status == 0, "\(result.err)")
        let package = try parse(result.out)
        let items = try #require(package["CFItems"] as? [[String: Any]])
        let types = items.compactMap { $0["CFItemType"] as? String }
        #expect(types.filter { $0 == "Principle" }.count == 5)
        #expect(types.filter { $0 == "Competency" }.count == 10)
        #expect(types.filter { $0 == "Module" }.count == 13)
        #expect(items.count == 28)
        let codes = items.compactMap { $0["humanCodingScheme"] as? String }
        #expect(codes.prefix(5) == ["P1", "P2", "P3", "P4", "P5"])
        for item in items {
            for key in ["identifier", "uri", "CFDocumentURI", "fullStatement", "humanCodingScheme", "CFItemType", "lastChangeDateTime"] {
                #expect(item[key] != nil, "CFItem without '\(key)'")
            }
        }
    }

    @Test func sampleExportHasOneAssociationPerLink() throws {
        let paths = ProjectPaths(root: Support.repositoryRoot)
        let (curriculum, _) = CurriculumLoader.load(paths)
        // Count the links straight from the model: principles of each competency, competencies
        // and prerequisites of each module.
        var expectedLinks = 0
        for competency in curriculum.competencies { expectedLinks += Set(competency.principles.map(\.id)).count }
        for module in curriculum.modules {
            expectedLinks += Set(module.competencies.map(\.id)).count
            expectedLinks += Set(module.prerequisites.map(\.id)).count
        }

        let package = try parse(export(Support.repositoryRoot).out)
        let items = try #require(package["CFItems"] as? [[String: Any]])
        let associations = try #require(package["CFAssociations"] as? [[String: Any]])
        #expect(associations.count == expectedLinks)
        #expect(associations.count == CASEExport.links(of: curriculum).count)

        let itemIDs = Set(items.compactMap { $0["identifier"] as? String })
        for association in associations {
            for key in ["identifier", "uri", "associationType", "originNodeURI", "destinationNodeURI", "CFDocumentURI", "lastChangeDateTime"] {
                #expect(association[key] != nil, "CFAssociation without '\(key)'")
            }
            let type = association["associationType"] as? String ?? ""
            #expect(["isChildOf", "isRelatedTo", "precedes"].contains(type))
            for end in ["originNodeURI", "destinationNodeURI"] {
                let node = try #require(association[end] as? [String: Any])
                #expect(node["title"] is String && node["uri"] is String)
                let id = try #require(node["identifier"] as? String)
                #expect(itemIDs.contains(id), "\(end) '\(id)' is not an item")
            }
        }
        let counts = Dictionary(grouping: associations.compactMap { $0["associationType"] as? String }, by: { $0 }).mapValues(\.count)
        let childLinks: Int = curriculum.competencies.map { Set($0.principles.map(\.id)).count }.reduce(0, +)
        let precedesLinks: Int = curriculum.modules.map { Set($0.prerequisites.map(\.id)).count }.reduce(0, +)
        #expect(counts["isChildOf"] == childLinks)
        #expect(counts["precedes"] == precedesLinks)
    }

    @Test func documentCarriesTheCASEFields() throws {
        let package = try parse(export(Support.repositoryRoot).out)
        let document = try #require(package["CFDocument"] as? [String: Any])
        for key in ["identifier", "uri", "creator", "title", "lastChangeDateTime", "version", "language", "adoptionStatus", "description"] {
            #expect(document[key] != nil, "CFDocument without '\(key)'")
        }
        #expect(document["title"] as? String == "ENRICH principles of peer support for discharge")
        #expect(document["language"] as? String == "en-GB")
        #expect(document["lastChangeDateTime"] as? String == "2026-01-01T00:00:00Z")
        #expect(package["CFDefinitions"] != nil)
    }

    @Test func identifiersAreStableVersion5UUIDs() throws {
        let first = export(Support.repositoryRoot).out
        let second = export(Support.repositoryRoot).out
        #expect(first == second)
        let package = try parse(first)
        let items = try #require(package["CFItems"] as? [[String: Any]])
        let associations = try #require(package["CFAssociations"] as? [[String: Any]])
        let ids = (items + associations).compactMap { $0["identifier"] as? String }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parts = id.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12], "\(id)")
            #expect(Array(id)[14] == "5", "\(id) is not version 5")
            #expect("89ab".contains(Array(id)[19]), "\(id) has the wrong variant")
        }
    }

    @Test func uuidMatchesTheRFC4122Algorithm() {
        // uuid5(NAMESPACE_DNS, "python.org") from Python's uuid module.
        let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
        #expect(CASEExport.uuid("python.org", namespace: dns) == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(CASEExport.uuid("kitbag:enrich-framework") == "564116d0-7f95-5055-afe4-cfe91aaf3bff")
    }

    @Test func dateAndBaseURIOptionsAreUsed() throws {
        let result = export(Support.repositoryRoot, ["--date", "2026-03-05", "--base-uri", "https://case.example.org/ims/case/v1p1"])
        #expect(result.status == 0)
        let package = try parse(result.out)
        let document = try #require(package["CFDocument"] as? [String: Any])
        #expect(document["lastChangeDateTime"] as? String == "2026-03-05T00:00:00Z")
        let uri = try #require(document["uri"] as? String)
        #expect(uri.hasPrefix("https://case.example.org/ims/case/v1p1/CFDocuments/"))
        #expect(export(Support.repositoryRoot, ["--date", "05/03/2026"]).status == 2)
    }

    @Test func eightPrincipleFrameworkExports() throws {
        let result = export(Support.fixtures("imroc"))
        #expect(result.status == 0)
        #expect(result.err == "")
        let items = try #require(try parse(result.out)["CFItems"] as? [[String: Any]])
        let principles = items.filter { $0["CFItemType"] as? String == "Principle" }
        #expect(principles.compactMap { $0["listEnumeration"] as? String } == (1...8).map(String.init))
    }

    @Test func outWritesTheFileAndNothingOnStdout() throws {
        let dir = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/framework.json"
        let result = export(Support.fixtures("imroc"), ["--out", out])
        #expect(result.status == 0)
        #expect(result.out == "")
        let written = try String(decoding: FileSystem.readBytes(out), as: UTF8.self)
        #expect(written == export(Support.fixtures("imroc")).out)
    }

    @Test func curriculumWithErrorsExportsNothing() throws {
        let dir = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/framework.json"
        let root = Support.fixtures("diagnostics/unknown-principle")
        let result = export(root, ["--out", out])
        #expect(result.status == 1)
        #expect(result.out == "")
        #expect(result.err.contains("Curriculum/competencies/C01.md:4:18: error: unknown principle 'P9' in C01 [unknown-principle]"))
        #expect(!FileSystem.exists(out))
        let toStdout = export(root)
        #expect(toStdout.status == 1)
        #expect(toStdout.out == "")
    }

    @Test func warningsAreShownButDoNotStopTheExport() {
        let result = export(Support.fixtures("diagnostics/principle-without-competency"))
        #expect(result.status == 0)
        #expect(result.err.contains("[principle-without-competency]"))
        #expect(result.out.hasPrefix("{"))
    }

    @Test func wrongUsageExitsTwo() throws {
        let console = Console.buffered()
        #expect(KitbagCommandLine.run(arguments: ["curriculum", "export"], io: console) == 2)
        #expect(console.err.text.contains("usage: kitbag curriculum export --case"))
        let dir = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(export(dir).status == 1)  // no Curriculum/ folder
    }
}
