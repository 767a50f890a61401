import KitbagCore

/// `kitbag propose` and `kitbag proposals` (placeholder until the proposals workflow lands).
enum ProposalCommands {
    static let propose = Command(spec: CommandSpec(name: "propose", usage: "kitbag propose TARGET --group NAME [--round N] [--docx]", summary: "copy a chapter, section or curriculum item for an advisory group to edit", maxPositionals: nil)) { _, context in
        context.console.err.write("kitbag: propose is not available yet\n")
        return ExitStatus.failure
    }
    static let proposals = Command(spec: CommandSpec(name: "proposals", usage: "kitbag proposals [review|accept|reject|report|import] ...", summary: "list, review, accept and reject advisory group proposals", maxPositionals: nil)) { _, context in
        context.console.err.write("kitbag: proposals is not available yet\n")
        return ExitStatus.failure
    }
}
