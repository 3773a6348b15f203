import Foundation

/// A harness registry's access log (`SMIMG_TEST_*_LOG`): counts the requests a test caused,
/// from lines like `127.0.0.1 - - [date] "HEAD /v2/x/blobs/sha256:... HTTP/1.1" 200 0 "" "agent"`.
public struct AccessLog: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Access-log lines whose request starts with `METHOD pathPrefix` (and that were answered
    /// with `status`, if given), leaving out requests whose user agent is one of
    /// `excludingAgents` (the ECR double's own registry requests say `ecr-double`).
    public func count(
        _ method: String, pathPrefix: String, status: Int? = nil, excludingAgents: [String] = ["ecr-double"]
    ) throws -> Int {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").filter { line in
            guard let request = line.range(of: "\"\(method) \(pathPrefix)") else { return false }
            if let status, !line[request.upperBound...].contains("HTTP/1.1\" \(status) ") { return false }
            return !excludingAgents.contains { line.hasSuffix("\"\($0)\"") }
        }.count
    }
}
