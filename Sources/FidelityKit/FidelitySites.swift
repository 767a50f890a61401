import KitbagCore

/// The sites ratings may name: the stems of `Handbook/sites/*.md` (see SPEC section 7).
public enum FidelitySites {
    public static func load(_ paths: ProjectPaths) -> [String] {
        FileSystem.list(paths.path("Handbook/sites")).filter { $0.hasSuffix(".md") && $0.count > 3 }.map { String($0.dropLast(3)) }
    }
}
