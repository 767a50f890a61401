#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KitbagCore

/// Sends xAPI statements to a learning record store (`track export --xapi --to URL`) with
/// curl, run as a process: POST `URL/statements` in batches, HTTP basic authentication from
/// `KITBAG_LRS_USER` / `KITBAG_LRS_PASSWORD`. The credentials go to curl in a private config
/// file, never on its command line. Statement ids are name-based, so a store that already has
/// a statement keeps it as it is: sending twice adds nothing.
public struct LRSClient: Sendable {
    public var endpoint: String
    public var user: String
    public var password: String
    public var batchSize: Int

    public init(endpoint: String, user: String, password: String, batchSize: Int = 100) {
        self.endpoint = endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
        self.user = user
        self.password = password
        self.batchSize = max(1, batchSize)
    }

    /// Why a send stopped.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Sends every statement; returns how many batches went.
    public func send(_ statements: [String], environment: [String: String]) -> Result<Int, Failure> {
        guard let curl = Subprocess.find("curl", environment: environment) else {
            return .failure(Failure(description: "sending to a learning record store needs curl: install it with 'apt-get install curl' (Debian package curl)"))
        }
        let dir = Subprocess.temporaryPath("-lrs")
        guard mkdir(dir, 0o700) == 0 else { return .failure(Failure(description: "cannot make a temporary folder '\(dir)'")) }
        let config = dir + "/curl.conf", body = dir + "/batch.json", response = dir + "/response.txt", errors = dir + "/stderr.txt"
        defer {
            for f in [config, body, response, errors] { unlink(f) }
            rmdir(dir)
        }
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"") + "\""
        }
        let settings = """
        user = \(quoted(user + ":" + password))
        url = \(quoted(endpoint + "statements"))
        request = "POST"
        header = "X-Experience-API-Version: 1.0.3"
        header = "Content-Type: application/json"
        data-binary = \(quoted("@" + body))
        output = \(quoted(response))
        write-out = "%{http_code}"
        silent
        show-error

        """
        do { try FileSystem.writeAtomically(settings, to: config) } catch {
            return .failure(Failure(description: "\(error)"))
        }
        chmod(config, 0o600)
        var batches = 0
        var start = 0
        while start < statements.count {
            let end = min(start + batchSize, statements.count)
            let text = "[" + statements[start..<end].joined(separator: ",") + "]"
            do { try FileSystem.writeAtomically(text, to: body) } catch { return .failure(Failure(description: "\(error)")) }
            let status = Subprocess.run(curl, ["--config", config], stdoutPath: dir + "/code.txt", stderrPath: errors)
            let code = (try? FileSystem.readBytes(dir + "/code.txt")).map { String(decoding: $0, as: UTF8.self) } ?? ""
            unlink(dir + "/code.txt")
            guard status == 0 else {
                let message = (try? FileSystem.readBytes(errors)).map { String(decoding: $0, as: UTF8.self).trimmed() } ?? ""
                return .failure(Failure(description: "could not reach the learning record store at \(endpoint): \(message.isEmpty ? "curl exit \(status)" : message)"))
            }
            guard code.hasPrefix("2") else {
                let answer = (try? FileSystem.readBytes(response)).map { String(decoding: $0.prefix(400), as: UTF8.self) } ?? ""
                return .failure(Failure(description: "the learning record store answered HTTP \(code) to statements \(start + 1) to \(end): \(answer)"))
            }
            batches += 1
            start = end
        }
        return .success(batches)
    }
}
