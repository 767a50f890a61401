import KitbagCore
import Markdown

/// Writes a curriculum as a 1EdTech CASE 1.1 CFPackage (JSON): one CFDocument for the
/// framework, one CFItem per principle, competency and module, and one CFAssociation per link
/// between them. The output is deterministic: identifiers are name-based (version 5) UUIDs
/// derived from the framework ID and the item IDs, and every date comes from the input.
public enum CASEExport {
    /// Choices for one export.
    public struct Options: Sendable {
        /// Base of every `uri` (for example `https://case.example.org/ims/case/v1p1/`); when nil,
        /// each `uri` is the identifier as a `urn:uuid:` URN.
        public var baseURI: String?
        /// The date given as `lastChangeDateTime` (midnight UTC). When nil: the framework's
        /// `date:`, else `CASEExport.defaultDate`.
        public var date: ISODate?
        /// Text for an empty link such as `[](#risk-safety)` in a body (the handbook knows
        /// section titles); nil falls back to the curriculum's own titles, then the bare ID.
        public var referenceText: (@Sendable (String) -> String?)?

        public init(baseURI: String? = nil, date: ISODate? = nil, referenceText: (@Sendable (String) -> String?)? = nil) {
            self.baseURI = baseURI
            self.date = date
            self.referenceText = referenceText
        }
    }

    /// The `lastChangeDateTime` used when neither `--date` nor the framework's `date:` gives one.
    public static let defaultDate = ISODate(year: 2026, month: 1, day: 1) ?? ISODate(dayNumber: 20454)

    /// The CASE association types kitbag uses, one per kind of link.
    public enum AssociationType: String, Sendable, CaseIterable {
        /// A competency under the principle it serves (the framework's hierarchy).
        case isChildOf
        /// A module aligned to a competency it builds.
        case isRelatedTo
        /// A prerequisite module before the module that requires it.
        case precedes
    }

    /// One link between two curriculum items, as exported.
    public struct Link: Sendable, Hashable {
        public var origin: String
        public var destination: String
        public var type: AssociationType
    }

    /// The item type names, as `CFItemType`.
    public static func itemType(_ kind: CurriculumKind) -> String {
        switch kind {
        case .principle: "Principle"
        case .competency: "Competency"
        case .module: "Module"
        case .assessment: "Assessment"
        case .domain: "FidelityDomain"
        case .fidelityItem: "FidelityItem"
        }
    }

    /// Every exported link, in a stable order: competency -> principle (`isChildOf`), module ->
    /// competency (`isRelatedTo`), prerequisite -> module (`precedes`). Links to unknown items
    /// and repeats are left out.
    public static func links(of c: Curriculum) -> [Link] {
        var links: [Link] = []
        for comp in c.competencies {
            for ref in comp.principles.map(\.id).uniqued() where c.principle(ref) != nil {
                links.append(Link(origin: comp.info.id, destination: ref, type: .isChildOf))
            }
        }
        for module in c.modules {
            for ref in module.competencies.map(\.id).uniqued() where c.competency(ref) != nil {
                links.append(Link(origin: module.info.id, destination: ref, type: .isRelatedTo))
            }
        }
        for module in c.modules {
            for ref in module.prerequisites.map(\.id).uniqued() where c.module(ref) != nil {
                links.append(Link(origin: ref, destination: module.info.id, type: .precedes))
            }
        }
        return links
    }

    /// The CFPackage as pretty-printed JSON text, ending in a newline.
    public static func package(_ c: Curriculum, options: Options = Options()) -> String {
        Builder(curriculum: c, options: options).package().rendered(indent: "") + "\n"
    }

    // MARK: - Identifiers

    /// A name-based (version 5, SHA-1) UUID string for `name` in `namespace` (default: URL).
    public static func uuid(_ name: String, namespace: [UInt8]? = nil) -> String {
        NameBasedUUID.make(namespace: namespace ?? NameBasedUUID.url, name: name)
    }

    // MARK: - Building the package

    struct Builder {
        let curriculum: Curriculum
        let options: Options
        let frameworkID: String
        let frameworkTitle: String
        let frameworkFields: FrontMatter?
        let dateTime: String

        init(curriculum: Curriculum, options: Options) {
            self.curriculum = curriculum
            self.options = options
            frameworkID = curriculum.framework?.id ?? "framework"
            frameworkTitle = curriculum.framework?.title ?? "Curriculum"
            var ignored = DiagnosticBag()
            frameworkFields = curriculum.framework?.source.map { FrontMatter.parse($0, into: &ignored) }
            var date = options.date
            if date == nil, case .date(let d)? = frameworkFields?["date"]?.value { date = d }
            dateTime = (date ?? CASEExport.defaultDate).description + "T00:00:00Z"
        }

        func uri(_ collection: String, _ identifier: String) -> String {
            guard var base = options.baseURI, !base.isEmpty else { return "urn:uuid:" + identifier }
            if !base.hasSuffix("/") { base += "/" }
            return base + collection + "/" + identifier
        }

        var documentIdentifier: String { CASEExport.uuid("kitbag:\(frameworkID)") }
        func itemIdentifier(_ id: String) -> String { CASEExport.uuid("kitbag:\(frameworkID)/\(id)") }
        func typeIdentifier(_ name: String) -> String { CASEExport.uuid("kitbag:item-type/\(name)") }

        func linkURI(title: String, identifier: String, collection: String) -> JSONValue {
            .object([("title", .string(title)), ("identifier", .string(identifier)), ("uri", .string(uri(collection, identifier)))])
        }

        var documentLink: JSONValue {
            linkURI(title: frameworkTitle, identifier: documentIdentifier, collection: "CFDocuments")
        }

        func package() -> JSONValue {
            var items: [JSONValue] = []
            for p in curriculum.principles { items.append(item(p.info, number: p.number)) }
            for comp in curriculum.competencies { items.append(item(comp.info, number: nil)) }
            for m in curriculum.modules { items.append(item(m.info, number: nil, module: m)) }
            let associations = CASEExport.links(of: curriculum).map(association)
            return .object([
                ("CFDocument", document()),
                ("CFItems", .array(items)),
                ("CFAssociations", .array(associations)),
                ("CFDefinitions", .object([("CFItemTypes", .array([CurriculumKind.principle, .competency, .module].map(itemTypeDefinition)))])),
            ])
        }

        func string(_ key: String) -> String? {
            guard let value = frameworkFields?[key]?.value else { return nil }
            if case .list = value { return nil }
            let text = value.text
            return text.isEmpty ? nil : text
        }

        func document() -> JSONValue {
            let identifier = documentIdentifier
            var fields: [(String, JSONValue)] = [
                ("identifier", .string(identifier)),
                ("uri", .string(uri("CFDocuments", identifier))),
                ("creator", .string(string("creator") ?? "kitbag")),
                ("title", .string(frameworkTitle)),
                ("lastChangeDateTime", .string(dateTime)),
            ]
            if let version = curriculum.framework?.version { fields.append(("version", .string(version))) }
            if let language = curriculum.framework?.language { fields.append(("language", .string(language))) }
            fields.append(("adoptionStatus", .string(string("adoption-status") ?? "Draft")))
            let description = string("description") ?? firstParagraph(curriculum.framework?.body ?? "")
            if !description.isEmpty { fields.append(("description", .string(description))) }
            fields.append(("caseVersion", .string("1.1")))
            fields.append(("CFPackageURI", linkURI(title: frameworkTitle, identifier: identifier, collection: "CFPackages")))
            return .object(fields)
        }

        func item(_ info: ItemInfo, number: Int?, module: Module? = nil) -> JSONValue {
            let identifier = itemIdentifier(info.id)
            let type = CASEExport.itemType(info.kind)
            var fields: [(String, JSONValue)] = [
                ("identifier", .string(identifier)),
                ("uri", .string(uri("CFItems", identifier))),
                ("CFDocumentURI", documentLink),
                ("fullStatement", .string(info.title)),
                ("humanCodingScheme", .string(info.id)),
                ("CFItemType", .string(type)),
                ("CFItemTypeURI", linkURI(title: type, identifier: typeIdentifier(type), collection: "CFItemTypes")),
                ("lastChangeDateTime", .string(dateTime)),
            ]
            if let number {
                fields.append(("listEnumeration", .string(String(number))))
                var ignored = DiagnosticBag()
                if case .string(let short)? = FrontMatter.parse(info.source, into: &ignored)["short"]?.value, !short.isEmpty {
                    fields.append(("abbreviatedStatement", .string(short)))
                }
            }
            if let language = curriculum.framework?.language { fields.append(("language", .string(language))) }
            var notes = plainText(info.body)
            if let module {
                var facts: [String] = []
                if let hours = module.hours {
                    let text = hours == hours.rounded() && abs(hours) < 1e15 ? String(Int(hours)) : String(hours)
                    facts.append("\(text) hours")
                }
                facts.append(module.sessions == 1 ? "1 session" : "\(module.sessions) sessions")
                if let delivery = module.delivery { facts.append("delivery: \(delivery)") }
                notes = ([facts.joined(separator: "; ") + "."] + (notes.isEmpty ? [] : [notes])).joined(separator: "\n\n")
            }
            if !notes.isEmpty { fields.append(("notes", .string(notes))) }
            return .object(fields)
        }

        func association(_ link: Link) -> JSONValue {
            let identifier = CASEExport.uuid("kitbag:\(frameworkID)/\(link.origin)/\(link.type.rawValue)/\(link.destination)")
            func node(_ id: String) -> JSONValue {
                linkURI(title: curriculum.item(id)?.title ?? id, identifier: itemIdentifier(id), collection: "CFItems")
            }
            return .object([
                ("identifier", .string(identifier)),
                ("uri", .string(uri("CFAssociations", identifier))),
                ("associationType", .string(link.type.rawValue)),
                ("CFDocumentURI", documentLink),
                ("originNodeURI", node(link.origin)),
                ("destinationNodeURI", node(link.destination)),
                ("lastChangeDateTime", .string(dateTime)),
            ])
        }

        func itemTypeDefinition(_ kind: CurriculumKind) -> JSONValue {
            let title = CASEExport.itemType(kind)
            let identifier = typeIdentifier(title)
            let description: String = switch kind {
            case .principle: "A principle of the framework: a quality of the relationship that peer support offers."
            case .competency: "What a trained peer worker can do; it serves one or more principles."
            case .module: "A unit of training that builds one or more competencies."
            case .assessment: "A check that a trainee has met competencies."
            case .domain, .fidelityItem: "Part of the fidelity instrument (not exported)."
            }
            return .object([
                ("identifier", .string(identifier)),
                ("uri", .string(uri("CFItemTypes", identifier))),
                ("title", .string(title)),
                ("description", .string(description)),
                ("hierarchyCode", .string(String((CurriculumKind.allCases.firstIndex(of: kind) ?? 0) + 1))),
                ("typeCode", .string(kind.rawValue)),
                ("lastChangeDateTime", .string(dateTime)),
            ])
        }

        // MARK: Plain text from Markdown

        /// The first paragraph of `markdown` as plain text.
        func firstParagraph(_ markdown: String) -> String {
            let doc = MarkdownDocument(parsing: markdown)
            guard let paragraph = doc.rootNode.children.first(where: { $0.kind == .paragraph }) else { return "" }
            return inlineText(paragraph)
        }

        /// The whole body as plain text: blocks separated by blank lines, list items by "- ".
        func plainText(_ markdown: String) -> String {
            let doc = MarkdownDocument(parsing: markdown)
            var blocks: [String] = []
            func collect(_ node: MarkdownNode, prefix: String) {
                for child in node.children {
                    switch child.kind {
                    case .paragraph, .heading:
                        blocks.append(prefix + inlineText(child))
                    case .list, .blockQuote:
                        collect(child, prefix: prefix)
                    case .item:
                        var inner: [String] = []
                        swap(&blocks, &inner)
                        collect(child, prefix: "")
                        swap(&blocks, &inner)
                        blocks.append(prefix + "- " + inner.joined(separator: " "))
                    case .codeBlock:
                        if !(child.fenceInfo ?? "").hasPrefix("{") { blocks.append(child.literal ?? "") }
                    default:
                        break
                    }
                }
            }
            collect(doc.rootNode, prefix: "")
            return blocks.map { $0.trimmed() }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        }

        /// Inline text, with empty cross-reference links filled in.
        func inlineText(_ node: MarkdownNode) -> String {
            var out = ""
            node.walk { n in
                switch n.kind {
                case .text, .code: out += n.literal ?? ""
                case .softBreak, .lineBreak: out += " "
                case .link where n.firstChild == nil:
                    let url = n.url ?? ""
                    let id = url.hasPrefix("#") ? String(url.dropFirst()) : url
                    out += options.referenceText?(id) ?? curriculum.displayTitle(of: id) ?? id
                default: break
                }
                return true
            }
            return out
        }
    }
}

// MARK: - A small ordered JSON value

/// JSON with keys in the order given, so that the output is stable and readable.
indirect enum JSONValue {
    case string(String)
    case object([(String, JSONValue)])
    case array([JSONValue])

    func rendered(indent: String) -> String {
        switch self {
        case .string(let s):
            return JSON.quote(s)
        case .array(let values):
            guard !values.isEmpty else { return "[]" }
            let inner = indent + "  "
            return "[\n" + values.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            let inner = indent + "  "
            return "{\n" + fields.map { inner + JSON.quote($0.0) + ": " + $0.1.rendered(indent: inner) }
                .joined(separator: ",\n") + "\n\(indent)}"
        }
    }
}
