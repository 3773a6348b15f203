import Foundation

/// The harness's token service (`scripts/token-server.py` at `$SMIMG_TEST_TOKEN_SERVER`): what
/// it counted and issued, and the OAuth2 refresh tokens it hands out.
public enum TokenServer {
    public static func url() throws -> String { try Harness.require("SMIMG_TEST_TOKEN_SERVER") }
    public static func service() throws -> String { try Harness.require("SMIMG_TEST_TOKEN_SERVICE") }

    /// A snapshot of `GET /_stats`.
    public struct Stats: Sendable {
        public var tokenRequests: Int
        public var byRepository: [String: Int]
        public var byScopeSet: [String: Int]
        public var grantsByRepository: [String: [String: Int]]
        public var issuedTokens: [String]
        public var refreshTokens: [String]

        public func requests(for repository: String) -> Int { byRepository[repository] ?? 0 }
        public func grants(for repository: String) -> [String: Int] {
            (grantsByRepository[repository] ?? [:]).filter { $0.value > 0 }
        }
        /// Token requests per scope set, for the sets that name `repository`.
        public func scopeSets(naming repository: String) -> [String: Int] {
            byScopeSet.filter { set, _ in
                set.split(separator: " ").contains { $0.split(separator: ":").dropFirst().first.map(String.init) == repository }
            }
        }
    }

    public static func stats() throws -> Stats {
        let result = try Command.check(["curl", "-sf", "--max-time", "10", "\(try url())/_stats"])
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw HarnessError.missing("token server /_stats answered no JSON object: \(result.stdout)")
        }
        return Stats(
            tokenRequests: object["token_requests"] as? Int ?? 0,
            byRepository: object["by_repository"] as? [String: Int] ?? [:],
            byScopeSet: object["by_scope_set"] as? [String: Int] ?? [:],
            grantsByRepository: object["grants_by_repository"] as? [String: [String: Int]] ?? [:],
            issuedTokens: object["issued_tokens"] as? [String] ?? [],
            refreshTokens: object["refresh_tokens"] as? [String] ?? [])
    }

    /// A refresh token (what docker stores as `identitytoken`), obtained with the OAuth2
    /// password grant and `access_type=offline`, as `docker login` does.
    public static func refreshToken(user: String, password: String) throws -> String {
        let result = try Command.check([
            "curl", "-sf", "--max-time", "10", "\(try url())/token",
            "--data-urlencode", "grant_type=password", "--data-urlencode", "username=\(user)",
            "--data-urlencode", "password=\(password)", "--data-urlencode", "client_id=smimg-tests",
            "--data-urlencode", "service=\(try service())", "--data-urlencode", "access_type=offline",
        ])
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let token = object["refresh_token"] as? String
        else { throw HarnessError.missing("token server issued no refresh token") }
        return token
    }
}
