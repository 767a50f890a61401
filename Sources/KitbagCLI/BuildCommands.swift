import KitbagCore

/// `kitbag build`, `kitbag check`, `kitbag watch`.
enum BuildCommands {
    static let build = Command(spec: CommandSpec(name: "build", usage: "kitbag build [--out DIR]", summary: "compile the handbook into a site and a one-page edition")) { _, _ in ExitStatus.failure }
    static let check = Command(spec: CommandSpec(name: "check", usage: "kitbag check [--strict]", summary: "run every validation without writing output")) { _, _ in ExitStatus.failure }
    static let watch = Command(spec: CommandSpec(name: "watch", usage: "kitbag watch [--out DIR]", summary: "rebuild on every saved change")) { _, _ in ExitStatus.failure }
}
