import KitbagCore

/// One advisory group, as `Proposals/groups.csv` documents it.
public struct AdvisoryGroup: Sendable, Equatable {
    public var name: String
    /// service users, carers, clinicians, peer workers, managers or mixed.
    public var kind: String
    public var site: String
}

/// `Proposals/groups.csv` (`group,kind,site`): who each advisory group is. `propose` and
/// `import` refuse a group that is not there, and `check` reports proposals from one.
public struct Groups: Sendable {
    public static let fileName = "groups.csv"
    public static let relativePath = "Proposals/groups.csv"
    public static let columns = ["group", "kind", "site"]
    public static let kinds = ["service users", "carers", "clinicians", "peer workers", "managers", "mixed"]

    public var groups: [AdvisoryGroup] = []
    /// Whether the project has a groups file (projects from before it have none, and are not checked).
    public var isPresent = false
    public var diagnostics: [Diagnostic] = []

    /// The group named `name` (case and surrounding spaces ignored).
    public func group(_ name: String) -> AdvisoryGroup? {
        let key = name.trimmed().lowercased()
        return groups.first { $0.name.lowercased() == key }
    }

    /// An error for a group that is not in the file, with a did-you-mean; nil when it is known
    /// or there is no groups file.
    public func unknown(_ name: String, at location: SourceLocation) -> Diagnostic? {
        guard isPresent, group(name) == nil else { return nil }
        var notes: [Diagnostic.Note] = []
        if let guess = DidYouMean.closest(to: name, in: groups.map(\.name)) { notes.append(.init("did you mean '\(guess)'?")) }
        notes.append(.init("add the group to \(Self.relativePath) (group,kind,site) first"))
        return .error(.unknownGroup, "unknown group '\(name)'", at: location, notes: notes)
    }

    /// For `propose` and `import`: an error unless `name` is listed (a project without a groups
    /// file must make one first).
    public func refusal(_ name: String) -> (message: String, notes: [String])? {
        guard isPresent else {
            return ("unknown group '\(name)': there is no \(Self.relativePath)",
                    ["make it with the header 'group,kind,site' and one line per advisory group, for example: \(CSV.line([name, "mixed", "Sussex"]).trimmed())"])
        }
        guard group(name) == nil else { return nil }
        var notes: [String] = []
        if let guess = DidYouMean.closest(to: name, in: groups.map(\.name)) { notes.append("did you mean '\(guess)'?") }
        notes.append("known groups: \(groups.map(\.name).joined(separator: ", "))")
        notes.append("a new group is added to \(Self.relativePath) (group,kind,site) first")
        return ("unknown group '\(name)'", notes)
    }

    /// Reads `Proposals/groups.csv`; a missing file is an empty, absent list.
    public static func load(_ paths: ProjectPaths) -> Groups {
        let path = paths.path(relativePath)
        guard FileSystem.exists(path) else { return Groups() }
        var result = Groups(isPresent: true)
        let display = paths.display(relativePath)
        if FileSystem.isSymbolicLink(path) {
            result.diagnostics.append(.error(.groupsLink, "\(relativePath) is a symbolic link; keep the file itself in Proposals/",
                                             at: SourceLocation(file: display, line: 1, column: 1)))
            return result
        }
        guard let bytes = try? FileSystem.readBytes(path) else { return result }
        let (groups, diagnostics) = parse(bytes, displayPath: display)
        result.groups = groups
        result.diagnostics = diagnostics
        return result
    }

    /// Parses the bytes of a groups file shown as `displayPath`.
    public static func parse(_ bytes: [UInt8], displayPath: String) -> ([AdvisoryGroup], [Diagnostic]) {
        var bag = DiagnosticBag()
        guard let table = CSVTable(bytes, display: displayPath, what: "the groups file", columns: columns, ignoringCase: true, into: &bag) else {
            return ([], bag.all)
        }
        var groups: [AdvisoryGroup] = []
        var seen: [String: SourceLocation] = [:]
        for record in table.rows {
            if record.fields.allSatisfy({ $0.trimmed().isEmpty }) { continue }
            func field(_ name: String) -> String { table.field(name, of: record).trimmed() }
            let at = { (name: String) in table.location(record, name) }
            let name = field("group"), kind = field("kind").lowercased()
            if name.isEmpty {
                bag.error(.missingValue, "a group needs a name", at: at("group"))
                continue
            }
            if !kinds.contains(kind) {
                var notes: [Diagnostic.Note] = [.init("kinds: \(kinds.joined(separator: ", "))")]
                if let guess = DidYouMean.closest(to: kind, in: kinds) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
                bag.error(.unknownGroupKind, "unknown kind of group '\(field("kind"))' for '\(name)'", at: at("kind"), notes: notes)
                continue
            }
            if let first = seen[name.lowercased()] {
                bag.error(.duplicateGroup, "the group '\(name)' is listed twice", at: at("group"),
                          notes: [.init("first listed here", at: first)])
                continue
            }
            seen[name.lowercased()] = at("group")
            groups.append(AdvisoryGroup(name: name, kind: kind, site: field("site")))
        }
        return (groups, bag.all)
    }
}
