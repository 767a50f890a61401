/// A wrong use of the command line (exit 2, with a usage line).
public struct UsageError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// What a command accepts: options that take a value, flags, and positional arguments.
public struct CommandSpec: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    /// Options that take a value, without dashes: "out" for `--out DIR`.
    public var options: [String]
    /// Options without a value: "strict" for `--strict`.
    public var flags: [String]
    /// Short aliases: "h" -> "help".
    public var aliases: [String: String]
    /// Longer help text shown by `kitbag help NAME`.
    public var details: String
    /// How many positional arguments are allowed (nil: any number).
    public var maxPositionals: Int?

    public init(name: String, usage: String, summary: String, options: [String] = [], flags: [String] = [],
                aliases: [String: String] = [:], details: String = "", maxPositionals: Int? = 0) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.options = options
        self.flags = flags + ["help"]
        self.aliases = aliases.merging(["h": "help"]) { a, _ in a }
        self.details = details
        self.maxPositionals = maxPositionals
    }
}

/// Parsed arguments: `--opt value`, `--opt=value`, flags, `--` and positionals.
public struct Arguments: Sendable {
    public var positionals: [String] = []
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Parses `arguments` against `spec`; an unknown option is a usage error that names it.
    public static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> Arguments {
        var result = Arguments()
        var i = 0
        var onlyPositionals = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                result.positionals.append(arg)
                continue
            }
            if arg == "--" { onlyPositionals = true; continue }
            var name = arg.hasPrefix("--") ? String(arg.dropFirst(2)) : String(arg.dropFirst())
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if !arg.hasPrefix("--") {
                guard let long = spec.aliases[name] else { throw UsageError("unknown option '\(arg)'") }
                name = long
            }
            if spec.flags.contains(name) {
                if inline != nil { throw UsageError("option '--\(name)' takes no value") }
                result.flags.insert(name)
            } else if spec.options.contains(name) {
                if let inline {
                    result.values[name, default: []].append(inline)
                } else {
                    guard i < arguments.count else { throw UsageError("option '--\(name)' needs a value") }
                    result.values[name, default: []].append(arguments[i])
                    i += 1
                }
            } else {
                throw UsageError("unknown option '--\(name)'")
            }
        }
        if let max = spec.maxPositionals, result.positionals.count > max, !result.has("help") {
            throw UsageError("unexpected argument '\(result.positionals[max])'")
        }
        return result
    }
}
