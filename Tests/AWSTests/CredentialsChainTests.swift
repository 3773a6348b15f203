import AsyncHTTPClient
import Foundation
import Testing

@testable import AWS

struct CredentialsChainTests {
    func chain(_ environment: [String: String], profile: String? = nil, _ httpClient: HTTPClient, containerBase: String = "http://127.0.0.1:9")
        -> DefaultCredentialsChain
    {
        DefaultCredentialsChain(
            profile: profile, environment: environment, httpClient: httpClient,
            options: .init(containerURIBase: containerBase, stsRetryPolicy: .none))
    }

    @Test("environment variables come first")
    func environmentWins() async throws {
        let files = try SharedFiles(credentials: "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = fileSecret\n")
        defer { files.remove() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            let chain = chain(
                files.environment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envSecret", "AWS_SESSION_TOKEN": "envToken"]),
                httpClient)
            let credentials = try await chain.credentials()
            #expect(credentials == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "envSecret", sessionToken: "envToken"))
            #expect(await chain.resolvedSourceName?.contains("environment variables") == true)
        }
    }

    @Test("an explicit profile skips the environment's keys (as --profile does in the AWS CLI)")
    func explicitProfileSkipsEnvironment() async throws {
        let files = try SharedFiles(
            config: "[profile china]\nregion = cn-northwest-1\n",
            credentials: "[china]\naws_access_key_id = AKIDCHINA\naws_secret_access_key = chinaSecret\n[global]\naws_access_key_id = AKIDGLOBAL\naws_secret_access_key = globalSecret\n")
        defer { files.remove() }
        let environment = files.environment(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envSecret"])
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            // Two chains side by side: a copy's source and destination.
            let source = chain(environment, profile: "global", httpClient)
            let destination = chain(environment, profile: "china", httpClient)
            #expect(try await source.credentials().accessKeyId == "AKIDGLOBAL")
            #expect(try await destination.credentials().accessKeyId == "AKIDCHINA")
            // AWS_PROFILE alone does not outrank the environment's keys.
            #expect(try await chain(environment.merging(["AWS_PROFILE": "china"]) { $1 }, httpClient).credentials().accessKeyId == "AKIDENV")
        }
    }

    @Test("half-set environment keys are an error, not a silent fall-through")
    func partialEnvironmentIsAnError() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            await #expect(throws: CredentialsError.partialEnvironment(missing: "AWS_SECRET_ACCESS_KEY")) {
                _ = try await chain(files.environment(["AWS_ACCESS_KEY_ID": "AKIDONLY"]), httpClient).credentials()
            }
        }
    }

    @Test("with no credentials anywhere the error lists every source tried, in order")
    func noCredentialsListsWhatWasTried() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        try await withHTTPClient { (httpClient: HTTPClient) async throws in
            do {
                _ = try await chain(files.environment(), httpClient).credentials()
                Issue.record("expected no credentials")
            } catch let error as CredentialsError {
                guard case .noCredentials(let tried) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(tried.count == 5)
                #expect(tried[0].hasPrefix("environment variables"))
                #expect(tried[1].hasPrefix("web identity"))
                #expect(tried[2].hasPrefix("shared config and credentials files, profile 'default'"))
                #expect(tried[3].hasPrefix("container credentials"))
                #expect(tried[4].contains("EC2 instance metadata") && tried[4].contains("AWS_EC2_METADATA_DISABLED"))
                #expect(error.description.contains("--profile"))
            }
        }
    }

    @Test("falls through to container credentials, then to instance metadata")
    func fallsThroughToContainerAndInstanceMetadata() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        try await withLocalServer(ContainerAndInstanceMetadataTests.instanceMetadata) { imds in
            try await withLocalServer({ _, _ in .json(ContainerAndInstanceMetadataTests.document) }) { container in
                try await withHTTPClient { (httpClient: HTTPClient) async throws in
                    let viaContainer = chain(
                        files.environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"]), httpClient,
                        containerBase: container.baseURL)
                    #expect(try await viaContainer.credentials().accessKeyId == "ASIACONTAINER")

                    var environment = files.environment(["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL])
                    environment["AWS_EC2_METADATA_DISABLED"] = nil
                    let viaMetadata = chain(environment, httpClient)
                    #expect(try await viaMetadata.credentials().accessKeyId == "ASIAIMDS")
                    #expect(await viaMetadata.resolvedSourceName?.contains("EC2 instance metadata") == true)
                }
            }
        }
    }

    @Test("the chosen source is remembered and its credentials cached")
    func resolvedSourceIsCached() async throws {
        let files = try SharedFiles()
        defer { files.remove() }
        try await withLocalServer({ _, _ in .json(ContainerAndInstanceMetadataTests.document) }) { container in
            try await withHTTPClient { (httpClient: HTTPClient) async throws in
                let chain = chain(
                    files.environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.baseURL + "/c"]), httpClient)
                for _ in 0..<5 { _ = try await chain.credentials() }
            }
            // The document expires in 2030: one fetch serves every call.
            #expect(container.requests.count == 1)
        }
    }
}
