import KitbagCore

/// `kitbag record` and `kitbag track` (placeholder until the tracker lands).
enum TrackerCommands {
    static let record = Command(spec: CommandSpec(name: "record", usage: "kitbag record <event> ...", summary: "append attendance and assessment results to a cohort's ledger", maxPositionals: nil)) { _, context in
        context.console.err.write("kitbag: record is not available yet\n")
        return ExitStatus.failure
    }
    static let track = Command(spec: CommandSpec(name: "track", usage: "kitbag track <status|why|outstanding|due|report|export|erase> ...", summary: "sign-off status, to-do lists, refreshers and reports for a cohort", maxPositionals: nil)) { _, context in
        context.console.err.write("kitbag: track is not available yet\n")
        return ExitStatus.failure
    }
}
