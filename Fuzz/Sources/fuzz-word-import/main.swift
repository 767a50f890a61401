// `kitbag proposals import FILE.docx` after pandoc: the pandoc JSON of a Word document with
// tracked changes and comments becomes the proposal's details and its CriticMarkup copy,
// which is then read as a proposal would be.
import Foundation
import FuzzSupport
import KitbagCore
@testable import ProposalsKit

Fuzz.run { bytes in
    guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
          let blocks = document["blocks"]?.array else { return }
    let (details, copy) = WordRoundTrip.convert(blocks)
    _ = details?.round
    _ = CriticMarkup.read(SourceFile(displayPath: "word.md", text: copy))
}
