import CurriculumKit
import KitbagCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which editions besides the site a build makes (`--pdf`, `--docx`, `--reference-doc`).
public struct EditionRequest: Sendable {
    public var pdf = false
    public var docx = false
    /// A Word document whose styles the Word edition takes (pandoc's `--reference-doc`).
    public var referenceDoc: String?
    public init(pdf: Bool = false, docx: Bool = false, referenceDoc: String? = nil) {
        self.pdf = pdf
        self.docx = docx
        self.referenceDoc = referenceDoc
    }
    public var isEmpty: Bool { !pdf && !docx }
}

/// Why an edition could not be made; the message says what to do.
public struct EditionError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Every problem found before anything is written.
public struct EditionErrors: Error, Sendable {
    public var all: [EditionError]
}

/// The editions people hand out, typeset from the one-page edition (`handbook.html`): a PDF
/// (`PrintEdition`, WeasyPrint) and a Word file (`WordEdition`, pandoc). Both tools are
/// optional and called as processes. Each writer takes the one-page edition's path and the
/// folder to write into, so a site edition can make its own from its own one-page edition.
public enum Editions {
    /// The programs the request needs, found before anything is written: a missing one, or a
    /// reference document that does not exist, stops the build.
    public static func tools(for request: EditionRequest, environment: [String: String]) -> Result<(weasyprint: String?, pandoc: String?), EditionErrors> {
        var problems: [EditionError] = []
        var weasyprint: String?
        var pandoc: String?
        if request.pdf {
            weasyprint = PrintEdition.executable(environment: environment)
            if weasyprint == nil { problems.append(EditionError(PrintEdition.missingMessage(environment: environment))) }
        }
        if request.docx {
            pandoc = WordEdition.executable(environment: environment)
            if pandoc == nil { problems.append(EditionError(WordEdition.missingMessage(environment: environment))) }
            if let reference = request.referenceDoc, !FileSystem.exists(reference) || FileSystem.isDirectory(reference) {
                problems.append(EditionError("the reference document '\(reference)' does not exist (--reference-doc takes a .docx file whose styles the Word edition uses)"))
            }
        } else if request.referenceDoc != nil {
            problems.append(EditionError("--reference-doc is for the Word edition: add --docx"))
        }
        if !problems.isEmpty { return .failure(EditionErrors(all: problems)) }
        return .success((weasyprint, pandoc))
    }

    /// Writes the requested editions of the project's handbook into `out`, from the one-page
    /// edition a build left there (`out/handbook.html`); `site` for a site's edition.
    public static func write(_ request: EditionRequest, paths: ProjectPaths, out: String, site: Site? = nil,
                             environment: [String: String]) -> (written: [String], errors: [EditionError]) {
        var bag = DiagnosticBag()
        let book = Book.load(paths, into: &bag)
        return write(request, onePage: FileSystem.join(out, "handbook.html"), out: out, book: book, site: site, environment: environment)
    }

    /// Writes the requested editions into `out` from the one-page edition at `onePage`.
    /// Returns the files written (relative to `out`) and the problems met.
    public static func write(_ request: EditionRequest, onePage: String, out: String, book: Book, site: Site? = nil,
                             environment: [String: String]) -> (written: [String], errors: [EditionError]) {
        var written: [String] = []
        var errors: [EditionError] = []
        switch tools(for: request, environment: environment) {
        case .failure(let errors):
            return ([], errors.all)
        case .success(let (weasyprint, pandoc)):
            if let weasyprint {
                do throws(EditionError) {
                    try PrintEdition.write(onePage: onePage, to: FileSystem.join(out, PrintEdition.fileName), weasyprint: weasyprint)
                    written.append(PrintEdition.fileName)
                } catch { errors.append(error) }
            }
            if let pandoc {
                do throws(EditionError) {
                    try WordEdition.write(onePage: onePage, to: FileSystem.join(out, WordEdition.fileName), book: book, site: site,
                                          referenceDoc: request.referenceDoc, pandoc: pandoc)
                    written.append(WordEdition.fileName)
                } catch { errors.append(error) }
            }
        }
        return (written, errors)
    }

    /// Runs a tool that writes `target`: it writes a temporary file beside it, which replaces
    /// `target` only when the tool succeeded, so a failure leaves the old file as it was.
    static func run(_ executable: String, _ arguments: (String) -> [String], target: String, tool: String) throws(EditionError) {
        let temporary = target + ".kitbag-\(getpid()).tmp"
        let log = Subprocess.temporaryPath(".log")
        defer { FileSystem.remove(log); FileSystem.remove(temporary) }
        let status = Subprocess.run(executable, arguments(temporary), stdoutPath: nil, stderrPath: log)
        guard status == 0, FileSystem.exists(temporary) else {
            let text = (try? FileSystem.readBytes(log)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let lines = text.split(separator: "\n").filter { !$0.contains("experimental") && !$0.hasPrefix("WARNING") }.suffix(5)
            throw EditionError("\(tool) could not write '\(target)' (exit \(status))" + (lines.isEmpty ? "" : ":\n" + lines.joined(separator: "\n")))
        }
        guard rename(temporary, target) == 0 else {
            throw EditionError("cannot write '\(target)': \(String(cString: strerror(errno)))")
        }
    }
}
