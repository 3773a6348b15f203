import AsyncHTTPClient
import Foundation
import Testing
import TestSupport

@testable import AWS

/// A moto server of the test's own, switched to strict SigV4 checking (a global switch, so
/// never the harness's shared moto): our signatures must verify, a wrong secret must not.
@Suite(.enabled(if: Harness.isUp))
struct MotoStrictAuthTests {
    /// Creates an IAM user with an allow-all policy and an access key in moto's aws-cn
    /// partition (where cn-* requests are authenticated), then turns strict checking on.
    static let setupScript = #"""
        import json, sys, urllib.request
        import boto3
        endpoint = sys.stdin.read().strip()
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="cn-north-1",
                           aws_access_key_id="AKIDSETUP", aws_secret_access_key="setup")
        iam.create_user(UserName="smimg-pusher")
        iam.put_user_policy(UserName="smimg-pusher", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="smimg-pusher")["AccessKey"]
        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0",
                                         headers={"Content-Type": "text/plain"}, method="POST")
        urllib.request.urlopen(request).read()
        print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
        """#

    struct Key: Decodable {
        var id: String
        var secret: String
    }

    @Test("with strict signature checks our signed ECR and STS calls pass and a wrong secret gets SignatureDoesNotMatch")
    func strictSignatureChecks() async throws {
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let moto = try await MotoServer.start(httpClient: httpClient)
            defer { moto.stop() }
            let output = try PythonTools.run(script: Self.setupScript, input: moto.endpoint, requiring: "boto3")
            let key = try JSONDecoder().decode(Key.self, from: Data(output.utf8))
            let good = AWSCredentials(accessKeyId: key.id, secretAccessKey: key.secret)
            let wrong = AWSCredentials(accessKeyId: key.id, secretAccessKey: key.secret + "x")
            let environment = ["AWS_ENDPOINT_URL_ECR": moto.endpoint, "AWS_ENDPOINT_URL_STS": moto.endpoint]

            func ecr(_ credentials: AWSCredentials) throws -> ECRClient {
                try ECRClient(
                    httpClient: httpClient, region: "cn-northwest-1", credentials: StaticCredentialsProvider(credentials),
                    environment: environment, retryPolicy: .none)
            }

            // Ours verifies.
            let name = uniqueRepository("smimg/strict")
            _ = try await ecr(good).createRepository(.init(repositoryName: name, scanOnPush: true))
            #expect(try await ecr(good).describeRepositories(.init(repositoryNames: [name])).repositories?.count == 1)
            #expect(try await ecr(good).getAuthorizationToken().username == "AWS")

            // A wrong secret does not.
            do {
                _ = try await ecr(wrong).describeRepositories(.init())
                Issue.record("a wrong secret was accepted")
            } catch let error as ECRError {
                #expect(error.code == "SignatureDoesNotMatch", "\(error)")
                guard case .credentialsRejected = error else { Issue.record("got \(error)"); return }
                #expect(!error.description.contains(wrong.secretAccessKey))
            }

            // STS AssumeRole signed by us verifies too; with the wrong secret it is refused.
            let sts = try STSClient(httpClient: httpClient, region: "cn-northwest-1", environment: environment, retryPolicy: .none)
            let role = "arn:aws-cn:iam::123456789012:role/pusher"
            let assumed = try await sts.assumeRole(roleArn: role, options: .init(sessionName: "strict"), using: good)
            #expect(assumed.sessionToken?.isEmpty == false)
            do {
                _ = try await sts.assumeRole(roleArn: role, options: .init(sessionName: "strict"), using: wrong)
                Issue.record("STS accepted a wrong secret")
            } catch let error as CredentialsError {
                guard case .stsRequestFailed(let action, _, let code, _) = error else { Issue.record("got \(error)"); return }
                #expect(action == "AssumeRole")
                #expect(code == "SignatureDoesNotMatch")
                #expect(!error.description.contains(wrong.secretAccessKey))
            }
        }
    }
}
