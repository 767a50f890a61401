import CurriculumKit
import KitbagCore

/// The sites ratings may name: the stems of `Handbook/sites/*.md` (see SPEC section 7), read
/// by the one reader of `Handbook/sites/` (`SiteSet`).
public enum FidelitySites {
    public static func load(_ paths: ProjectPaths) -> [String] {
        SiteSet.load(paths).ids
    }
}
