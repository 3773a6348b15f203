import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

/// Our signatures against botocore's (`SigV4Auth` / `SigV4QueryAuth`) for the same requests,
/// fixed credentials and a fixed time: the Authorization header must match byte for byte.
struct SigV4BotocoreTests {
    static let date = ISO8601Timestamp.parse("2026-03-14T09:26:53Z")!
    static let longTerm = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let temporary = AWSCredentials(
        accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token==")

    /// Signs each case with botocore and returns what it produced.
    static let script = #"""
        import json, sys, datetime
        from unittest import mock
        from botocore.awsrequest import AWSRequest
        from botocore.auth import SigV4Auth, SigV4QueryAuth
        from botocore.credentials import Credentials
        results = []
        for case in json.load(sys.stdin):
            creds = Credentials(case["accessKeyId"], case["secretAccessKey"], case.get("sessionToken"))
            when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
            request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode("utf-8"),
                                 headers=case["headers"])
            with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                if case.get("presignExpires"):
                    SigV4QueryAuth(creds, case["service"], case["region"], expires=case["presignExpires"]).add_auth(request)
                else:
                    SigV4Auth(creds, case["service"], case["region"]).add_auth(request)
            results.append({"authorization": request.headers.get("Authorization"),
                            "date": request.headers.get("X-Amz-Date"),
                            "token": request.headers.get("X-Amz-Security-Token"),
                            "url": request.url})
        print(json.dumps(results))
        """#

    struct Case: Encodable {
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String?
        var timestamp: String
        var method: String
        var url: String
        var headers: [String: String]
        var body: String
        var service: String
        var region: String
        var presignExpires: Int?

        init(_ credentials: AWSCredentials, request: SigV4Request, url: String, service: String, region: String, presignExpires: Int? = nil) {
            accessKeyId = credentials.accessKeyId
            secretAccessKey = credentials.secretAccessKey
            sessionToken = credentials.sessionToken
            timestamp = SigV4Signer.timestamp(SigV4BotocoreTests.date)
            method = request.method
            self.url = url
            // botocore adds Host, X-Amz-Date and the token itself.
            headers = Dictionary(
                request.headers.filter { !["host", "x-amz-date", "x-amz-security-token", "authorization"].contains($0.name.lowercased()) }
                    .map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            body = ""
            self.service = service
            self.region = region
            self.presignExpires = presignExpires
        }
    }

    struct Result: Decodable {
        var authorization: String?
        var date: String?
        var token: String?
        var url: String
    }

    static func botocore(_ cases: [Case]) throws -> [Result] {
        let input = String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)
        let output = try PythonTools.run(script: script, input: input, requiring: "botocore")
        return try JSONDecoder().decode([Result].self, from: Data(output.utf8))
    }

    @Test("ECR requests in cn-northwest-1 are signed exactly as botocore signs them")
    func ecrAuthorizationMatchesBotocore() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let actions: [(String, String, AWSCredentials)] = [
                ("GetAuthorizationToken", "{}", Self.longTerm),
                ("GetAuthorizationToken", "{}", Self.temporary),
                (
                    "CreateRepository",
                    #"{"imageScanningConfiguration":{"scanOnPush":true},"imageTagMutability":"IMMUTABLE","repositoryName":"team/app ü","tags":[{"Key":"owner","Value":"ml"}]}"#,
                    Self.temporary
                ),
                ("DescribeImages", #"{"repositoryName":"team/app"}"#, Self.longTerm),
            ]
            for endpoint in [nil, URL(string: "http://127.0.0.1:15999")] {
                var ours: [SigV4Request] = []
                var cases: [Case] = []
                for (action, body, credentials) in actions {
                    let client = try ECRClient(
                        httpClient: httpClient, region: "cn-northwest-1", credentials: StaticCredentialsProvider(credentials),
                        environment: [:], endpoint: endpoint)
                    #expect(endpoint != nil || client.endpoint.absoluteString == "https://api.ecr.cn-northwest-1.amazonaws.com.cn")
                    let request = client.signedRequest(action: action, body: Array(body.utf8), credentials: credentials, at: Self.date)
                    ours.append(request)
                    var botocoreCase = Case(
                        credentials, request: request, url: client.endpoint.absoluteString + "/", service: "ecr",
                        region: "cn-northwest-1")
                    botocoreCase.body = body
                    cases.append(botocoreCase)
                }
                let theirs = try Self.botocore(cases)
                try #require(theirs.count == ours.count)
                for (request, result) in zip(ours, theirs) {
                    #expect(request.header("Authorization") == result.authorization)
                    #expect(request.header("X-Amz-Date") == result.date)
                    #expect(request.header("X-Amz-Security-Token") == result.token)
                    #expect(request.header("Authorization")?.contains("/cn-northwest-1/ecr/aws4_request") == true)
                }
            }
        }
    }

    @Test("STS AssumeRole (query protocol) is signed exactly as botocore signs it")
    func stsAuthorizationMatchesBotocore() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let sts = try STSClient(httpClient: httpClient, region: "cn-north-1", environment: [:])
            #expect(sts.endpoint.absoluteString == "https://sts.cn-north-1.amazonaws.com.cn")
            let form = URIEncoding.formBody([
                ("Action", "AssumeRole"), ("Version", "2011-06-15"),
                ("RoleArn", "arn:aws-cn:iam::123456789012:role/push role"), ("RoleSessionName", "smimg-1"),
            ])
            let request = sts.signedRequest(body: Array(form.utf8), credentials: Self.temporary, at: Self.date)
            var botocoreCase = Case(
                Self.temporary, request: request, url: sts.endpoint.absoluteString + "/", service: "sts",
                region: "cn-north-1")
            botocoreCase.body = form
            let theirs = try Self.botocore([botocoreCase])
            #expect(request.header("Authorization") == theirs.first?.authorization)
        }
    }

    @Test("presigned URLs carry the same query parameters and signature as botocore's")
    func presignMatchesBotocore() throws {
        for credentials in [Self.longTerm, Self.temporary] {
            let request = SigV4Request(
                method: "GET", path: "/v2/path",
                query: [.init("Action", "GetThing"), .init("Name", "a b/c")],
                headers: [.init("Host", "example.cn-north-1.amazonaws.com.cn")],
                payloadSHA256: Hashing.emptyPayloadSHA256)
            let signer = SigV4Signer(credentials: credentials, region: "cn-north-1", service: "example")
            let presigned = signer.presign(request, at: Self.date, expires: 900)
            let url = "https://example.cn-north-1.amazonaws.com.cn/v2/path?Action=GetThing&Name=a%20b%2Fc"
            let theirs = try Self.botocore([
                Case(credentials, request: request, url: url, service: "example", region: "cn-north-1", presignExpires: 900)
            ])
            let theirURL = try #require(theirs.first?.url)
            let theirQuery = try #require(URLComponents(string: theirURL)?.queryItems)
            let theirPairs = Set(theirQuery.map { "\($0.name)=\($0.value ?? "")" })
            let ourPairs = Set(presigned.query.map { "\($0.name)=\($0.value)" })
            #expect(ourPairs == theirPairs)
        }
    }
}
