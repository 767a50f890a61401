#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import KitbagCLI
import KitbagCore
import KitbagTestSupport

/// `track export --xapi --to URL` against a real learning record store: Ralph, started on a
/// free local port with its file-system backend. The test fails (never skips) without Ralph.
@Suite struct LearningRecordStoreTests {
    static let install = "run Tests/install-tools, or: python3 -m venv .build-ci/venv && .build-ci/venv/bin/pip install 'ralph-malph[cli,lrs]==5.1.*'"

    /// Ralph at $KITBAG_RALPH, else .build-ci/venv/bin/ralph, else on PATH.
    static func ralph() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let given = env["KITBAG_RALPH"], FileManager.default.isExecutableFile(atPath: given) { return given }
        let venv = Support.repositoryRoot + "/.build-ci/venv/bin/ralph"
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        for dir in (env["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/ralph") { return "\(dir)/ralph" }
        return nil
    }

    /// A port no one listens on now: the kernel's choice for port 0.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program to the end; its exit status and standard output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) -> (Int32, Data) {
        guard let (p, out) = try? Support.start(program, arguments, environment: environment) else { return (-1, Data()) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    /// Stops a process and every process under it (Ralph's server starts workers), by id.
    static func stopTree(_ pid: Int32) {
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            // /proc files claim a size of 0: read them to the end rather than by size.
            guard let p = Int32(entry), let handle = FileHandle(forReadingAtPath: "/proc/\(entry)/stat") else { continue }
            let stat = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            try? handle.close()
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(p) }
        }
        var order: [Int32] = []
        var stack = [pid]
        while let p = stack.popLast() {
            order.append(p)
            stack += children[p] ?? []
        }
        for p in order.reversed() { kill(p, SIGTERM) }
        // Give them a few seconds to stop, then make sure.
        for _ in 0..<50 where order.contains(where: { kill($0, 0) == 0 && !isZombie($0) }) { usleep(100_000) }
        for p in order where kill(p, 0) == 0 && !isZombie(p) { kill(p, SIGKILL) }
    }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/stat") else { return true }
        let stat = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        try? handle.close()
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    /// Every statement the store holds, following its `more` links.
    static func readBack(port: Int) -> [[String: Any]] {
        var all: [[String: Any]] = []
        var path = "/xAPI/statements?limit=100"
        for _ in 0..<1000 {
            let (status, data) = run("/usr/bin/curl", ["-s", "-u", "kb:secret", "-H", "X-Experience-API-Version: 1.0.3", "http://127.0.0.1:\(port)\(path)"])
            guard status == 0, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let statements = object["statements"] as? [[String: Any]] else { break }
            all += statements
            guard let more = object["more"] as? String, !more.isEmpty, !statements.isEmpty else { break }
            path = more
        }
        return all
    }

    /// A JSON value as text with sorted keys, for comparing.
    static func canonical(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "none" }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theSampleStatementsAreStoredByRalphAndReadBackEqualAndASecondSendAddsNone() throws {
        guard let ralph = Self.ralph() else {
            Issue.record("Ralph (PyPI ralph-malph) is not installed: \(Self.install)")
            return
        }
        let dir = TrackerSupport.sampleProject()
        Support.copy(Support.repositoryRoot + "/Handbook/book.md", to: dir + "/Handbook/book.md")
        let serverEnvironment = ["RALPH_RUNSERVER_BACKEND": "fs", "RALPH_APP_DIR": dir + "/lrs/.ralph"]
        let (authStatus, _) = Self.run(ralph, ["auth", "-u", "kb", "-p", "secret", "-s", "all", "-w", "--agent-ifi-mbox", "mailto:kb@example.org"],
                                       environment: serverEnvironment)
        try #require(authStatus == 0, "ralph auth failed")
        let port = Self.freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: ralph)
        server.arguments = ["runserver", "-b", "fs", "--fs-default-directory-path", dir + "/lrs/data", "-h", "127.0.0.1", "-p", String(port)]
        server.environment = ProcessInfo.processInfo.environment.merging(serverEnvironment) { _, new in new }
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try? FileManager.default.createDirectory(atPath: dir + "/lrs/data", withIntermediateDirectories: true)
        try server.run()
        defer { Self.stopTree(server.processIdentifier) }
        var up = false
        for _ in 0..<150 where !up {
            up = Self.run("/usr/bin/curl", ["-s", "-f", "-o", "/dev/null", "-u", "kb:secret", "-H", "X-Experience-API-Version: 1.0.3",
                                            "http://127.0.0.1:\(port)/xAPI/statements?limit=1"]).0 == 0
            if !up { usleep(200_000) }
        }
        try #require(up, "Ralph did not start on port \(port)")

        let exported = Support.kitbag(["track", "export", "--xapi"], in: dir)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(exported.out.utf8)) as? [[String: Any]])
        #expect(sent.count > 100)
        var env = ProcessInfo.processInfo.environment
        env["KITBAG_LRS_USER"] = "kb"
        env["KITBAG_LRS_PASSWORD"] = "secret"
        // Ralph's file-system backend stores one write per file: the first send is one batch.
        let first = Support.kitbag(["track", "export", "--xapi", "--to", "http://127.0.0.1:\(port)/xAPI", "--batch", "5000"], in: dir, environment: env)
        #expect(first.status == 0, "\(first.err)")
        let stored = Self.readBack(port: port)
        #expect(stored.count == sent.count)
        let byID = Dictionary(stored.compactMap { s in (s["id"] as? String).map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        for statement in sent {
            let id = statement["id"] as? String ?? ""
            guard let back = byID[id] else { Issue.record("statement \(id) was not stored"); continue }
            for key in ["actor", "verb", "object", "result", "context"] {
                #expect(Self.canonical(statement[key]) == Self.canonical(back[key]), "\(key) of \(id) differs")
            }
            #expect((back["timestamp"] as? String)?.prefix(19) == (statement["timestamp"] as? String)?.prefix(19))
        }
        // The second send goes in batches of 100; every statement is already there.
        let second = Support.kitbag(["track", "export", "--xapi", "--to", "http://127.0.0.1:\(port)/xAPI/"], in: dir, environment: env)
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.contains("in \((sent.count + 99) / 100) batches"))
        #expect(Self.readBack(port: port).count == sent.count)
    }

    @Test func credentialsComeOnlyFromTheEnvironment() {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(["track", "export", "--xapi", "--to", "http://127.0.0.1:9/xAPI/"], in: dir, environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.status == 1)
        #expect(run.err.contains("KITBAG_LRS_USER and KITBAG_LRS_PASSWORD"))
    }
}
