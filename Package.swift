// swift-tools-version:6.0
import PackageDescription

// Data flows one way: Ccmark -> Markdown -> KitbagCore -> CurriculumKit -> HandbookKit
// -> HandbookBuild (the build cache and the fast rebuild), TrackerKit, ProposalsKit,
// FidelityKit -> KitbagCLI -> kitbag.
let package = Package(
    name: "kitbag",
    products: [
        .executable(name: "kitbag", targets: ["kitbag"]),
    ],
    targets: [
        .systemLibrary(
            name: "Ccmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(name: "Markdown", dependencies: ["Ccmark"]),
        .target(name: "KitbagCore", dependencies: []),
        .target(name: "CurriculumKit", dependencies: ["KitbagCore", "Markdown"]),
        .target(name: "HandbookKit", dependencies: ["KitbagCore", "Markdown", "CurriculumKit"]),
        .target(name: "HandbookBuild", dependencies: ["KitbagCore", "CurriculumKit", "HandbookKit"]),
        .target(name: "TrackerKit", dependencies: ["KitbagCore", "CurriculumKit"]),
        .target(name: "FidelityKit", dependencies: ["KitbagCore", "CurriculumKit"]),
        .target(name: "ProposalsKit", dependencies: ["KitbagCore", "Markdown", "CurriculumKit", "HandbookKit"]),
        .target(
            name: "KitbagCLI",
            dependencies: ["KitbagCore", "CurriculumKit", "HandbookKit", "HandbookBuild", "TrackerKit", "ProposalsKit", "FidelityKit"]
        ),
        // glibc's mallopt, for the executable's allocator settings.
        .systemLibrary(name: "CSystem"),
        .executableTarget(name: "kitbag", dependencies: ["KitbagCLI", "CSystem"]),
        // What every test target shares: temporary projects, running kitbag, golden files.
        .target(name: "KitbagTestSupport", dependencies: ["KitbagCore", "KitbagCLI"], path: "Tests/KitbagTestSupport"),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "KitbagCoreTests", dependencies: ["KitbagCore", "KitbagTestSupport"]),
        .testTarget(name: "CurriculumTests", dependencies: ["CurriculumKit", "KitbagCLI", "KitbagTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HandbookTests", dependencies: ["HandbookKit", "HandbookBuild", "KitbagCLI", "KitbagTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TrackerTests", dependencies: ["TrackerKit", "KitbagCLI", "KitbagTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ProposalsTests", dependencies: ["ProposalsKit", "KitbagCLI", "KitbagTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FidelityTests", dependencies: ["FidelityKit", "KitbagCLI", "KitbagTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["KitbagCLI"]),
    ]
)
