import Foundation
@testable import HandbookKit
import Testing
import KitbagTestSupport

/// WCAG 2.2 AA contrast, computed from the stylesheet and the sample's SVG: every text colour
/// on every background it can stand on reaches 4.5:1 (normal text), the focus outline 3:1.
@Suite struct ContrastTests {
    /// WCAG relative luminance of `#rrggbb`.
    static func luminance(_ hex: String) -> Double? {
        let digits = hex.dropFirst()
        guard hex.hasPrefix("#"), digits.count == 6, let value = Int(digits, radix: 16) else { return nil }
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func ratio(_ a: String, _ b: String) -> Double {
        guard let la = luminance(a), let lb = luminance(b) else { return 0 }
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    @Test func ratiosAreComputedAsWCAGSays() {
        #expect(abs(Self.ratio("#000000", "#ffffff") - 21) < 0.01)
        #expect(abs(Self.ratio("#767676", "#ffffff") - 4.54) < 0.01)
    }

    /// The custom properties on `:root`, and the ones each property is set from.
    static func stylesheetColours() -> (variables: [String: String], uses: [String: Set<String>]) {
        let css = Assets.stylesheet
        var variables: [String: String] = [:]
        let root = css.firstMatch(of: /:root \{([^}]*)\}/).map { String($0.output.1) } ?? ""
        for m in root.matches(of: /(--[a-z]+): (#[0-9a-f]{6})/) { variables[String(m.output.1)] = String(m.output.2) }
        var uses: [String: Set<String>] = [:]
        for m in css.matches(of: /(?:^|[^-a-z])(color|background-color|outline-color): var\((--[a-z]+)\)/) {
            uses[String(m.output.1), default: []].insert(String(m.output.2))
        }
        return (variables, uses)
    }

    @Test func everyTextColourOnEveryBackgroundOfTheStylesheet() {
        let (variables, uses) = Self.stylesheetColours()
        let texts = uses["color"] ?? [], backgrounds = (uses["background-color"] ?? []).union(["--bg"])
        #expect(texts.isSuperset(of: ["--text", "--muted", "--link"]))
        #expect(backgrounds.isSuperset(of: ["--bg", "--band", "--mark"]))
        for text in texts {
            for background in backgrounds {
                let r = Self.ratio(variables[text] ?? "", variables[background] ?? "")
                #expect(r >= 4.5, "\(text) on \(background): \(r)")
            }
        }
        for focus in uses["outline-color"] ?? [] {
            for background in backgrounds {
                #expect(Self.ratio(variables[focus] ?? "", variables[background] ?? "") >= 3, "\(focus) on \(background)")
            }
        }
        // No colour is written outside :root, so none escapes this test.
        let rest = Assets.stylesheet.replacing(/:root \{[^}]*\}/, with: "")
        #expect(rest.firstMatch(of: /#[0-9a-fA-F]{3,8}\b/) == nil)
        #expect(rest.firstMatch(of: /rgb|hsl|[^-a-z](black|white|gr[ae]y)(?![-a-z])/) == nil)
    }

    /// The SVG images of the sample: each text's fill on every fill of a shape it may sit on.
    @Test func everyTextColourOfTheSampleImagesOnTheirFills() throws {
        let images = Support.repositoryRoot + "/Handbook/images"
        let svgs = (try FileManager.default.contentsOfDirectory(atPath: images)).filter { $0.hasSuffix(".svg") }
        #expect(!svgs.isEmpty)
        for name in svgs {
            let svg = Support.read(images + "/" + name)
            // Text colours: fills on <text> and on groups that hold text.
            var texts: Set<String> = []
            for m in svg.matches(of: /<(?:text|g)\b[^>]*\bfill="(#[0-9a-fA-F]{6})"/) { texts.insert(String(m.output.1).lowercased()) }
            var fills: Set<String> = []
            for m in svg.matches(of: /<(?:rect|polygon|path|ellipse)\b[^>]*\bfill="(#[0-9a-fA-F]{6})"/) { fills.insert(String(m.output.1).lowercased()) }
            fills.insert("#ffffff")
            #expect(!texts.isEmpty, "\(name) has no text colour to check")
            for text in texts {
                for fill in fills where fill != text {
                    let r = Self.ratio(text, fill)
                    #expect(r >= 4.5, "\(name): text \(text) on \(fill): \(r)")
                }
            }
        }
    }
}
