import Foundation
import KitbagCLI
import KitbagCore
import Testing
import KitbagTestSupport

/// The progress line of a long build: only on a terminal, only after a second, rewritten in
/// place and cleared; never in piped output.
@Suite struct ProgressLineTests {
    final class FakeClock: @unchecked Sendable { var now = 0.0 }

    @Test func showsOnlyOnATerminalAfterOverASecond() {
        #expect(ProgressLine.shows(isTerminal: true, elapsed: 1.01))
        #expect(ProgressLine.shows(isTerminal: true, elapsed: 30))
        #expect(!ProgressLine.shows(isTerminal: true, elapsed: 1.0))
        #expect(!ProgressLine.shows(isTerminal: true, elapsed: 0.2))
        #expect(!ProgressLine.shows(isTerminal: false, elapsed: 30))
    }

    @Test func onATerminalTheLineIsRewrittenInPlaceThenCleared() {
        let clock = FakeClock(), sink = TextSink()
        let line = ProgressLine(sink: sink, isTerminal: true, clock: { clock.now })
        line.update(done: 1, total: 3)  // under a second: nothing yet
        clock.now = 1.5
        line.update(done: 2, total: 3)
        line.update(done: 3, total: 3)
        line.finish()
        #expect(sink.text == "\rkitbag: chapters 2/3\rkitbag: chapters 3/3\r\u{1B}[K")
    }

    @Test func aQuickBuildOnATerminalLeavesNothing() {
        let sink = TextSink()
        let line = ProgressLine(sink: sink, isTerminal: true, clock: { 0.5 })
        line.update(done: 1, total: 1)
        line.finish()
        #expect(sink.text.isEmpty)
    }

    @Test func offATerminalNothingIsWrittenHoweverLong() {
        let clock = FakeClock(), sink = TextSink()
        let line = ProgressLine(sink: sink, isTerminal: false, clock: { clock.now })
        clock.now = 100
        line.update(done: 1, total: 2)
        line.finish()
        #expect(sink.text.isEmpty)
    }

    @Test func aFileIsNotATerminal() {
        let file = Support.temporaryFolder() + "/err.txt"
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        #expect(!TextSink(fileDescriptor: fd).isTerminal)
    }

    @Test func aBuildWithStderrInAFilePrintsNoProgressLine() {
        let dir = Support.sampleProject()
        let errFile = dir + "/stderr.txt", outFile = dir + "/stdout.txt"
        let errFD = open(errFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644), outFD = open(outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let console = Console(out: TextSink(fileDescriptor: outFD), err: TextSink(fileDescriptor: errFD))
        let status = KitbagCommandLine.run(arguments: ["-C", dir, "build", "--out", dir + "/site"], io: console)
        close(errFD); close(outFD)
        #expect(status == 0)
        let err = Support.read(errFile)
        #expect(err.hasPrefix("kitbag: wrote "))
        #expect(!err.contains("\r") && !err.contains("chapters "), "\(err)")
    }
}
