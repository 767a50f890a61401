// swift-tools-version:6.0
import PackageDescription

// kitbag's fuzz targets: a package of its own, so that `swift build` and `swift test` in the
// repository never see them. `Fuzz/Sources/<Library>` are symbolic links to the main
// package's `Sources/<Library>`, so the targets fuzz the code as it is; `libraries` below
// lists them as the main Package.swift does (add a new library target to both).
// Build and run with `Fuzz/run` (see docs/fuzzing.md): it passes `-sanitize=fuzzer,address`.

/// The fuzz targets: `fuzz-NAME` in `Sources/fuzz-NAME/main.swift`, and what each needs.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("front-matter", ["KitbagCore"]),
    ("csv", ["KitbagCore"]),
    ("dates", ["KitbagCore"]),
    ("locations", ["KitbagCore"]),
    ("cohort", ["KitbagCore", "CurriculumKit", "TrackerKit"]),
    ("sheet", ["KitbagCore", "CurriculumKit", "TrackerKit"]),
    ("proposal", ["KitbagCore", "ProposalsKit"]),
    ("decisions", ["KitbagCore", "ProposalsKit"]),
    ("word-import", ["KitbagCore", "ProposalsKit"]),
    ("chapter", ["KitbagCore", "HandbookKit", "HandbookBuild"]),
    ("fidelity", ["KitbagCore", "CurriculumKit", "FidelityKit"]),
    ("site", ["KitbagCore", "Markdown", "CurriculumKit", "HandbookKit"]),
]

/// The main package's libraries and what each depends on (Ccmark is the system library).
let libraries: [(name: String, dependencies: [Target.Dependency])] = [
    ("Markdown", ["Ccmark"]), ("KitbagCore", []), ("CurriculumKit", ["KitbagCore", "Markdown"]),
    ("HandbookKit", ["KitbagCore", "Markdown", "CurriculumKit"]), ("HandbookBuild", ["KitbagCore", "CurriculumKit", "HandbookKit"]),
    ("TrackerKit", ["KitbagCore", "CurriculumKit"]),
    ("ProposalsKit", ["KitbagCore", "Markdown", "CurriculumKit", "HandbookKit"]),
    ("FidelityKit", ["KitbagCore", "CurriculumKit"]),
]

let package = Package(
    name: "kitbag-fuzz",
    targets: [
        .systemLibrary(name: "Ccmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        // LLVMFuzzerRunDriver, declared for Swift.
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", "KitbagCore"]),
    ] + libraries.map { .target(name: $0.name, dependencies: $0.dependencies) }
      + fuzzTargets.map { .executableTarget(name: "fuzz-\($0.name)", dependencies: ["FuzzSupport"] + $0.dependencies) }
)
