import Foundation
import Testing
import TestSupport

/// Bad input and broken transfers: clear errors, the documented exit codes, and nothing
/// half-written under a tag.
@Suite("Copy failures", .enabled(if: Harness.isUp))
struct CopyFailureTests {
    @Test("malformed references and locations are usage errors (exit 64)", arguments: [
        "Not A Reference", "registry.example.com/UPPER", "oci:", "containers-storage:x", "r.io/x@sha256:abc",
    ])
    func badReferences(reference: String) async throws {
        let result = try await Command.smimg(["copy", reference, "oci:/tmp/never-written"])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.hasPrefix("error: "))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written"))
    }

    @Test("a missing tag is 'not found' (exit 3) and names the reference")
    func missingTag() async throws {
        let source = "\(try Harness.registry())/fixtures/multilayer:no-such-tag"
        let result = try await Command.smimg(["copy", source, "\(try Harness.registry2())/x/y:z", "--json"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("manifest unknown"))
        #expect(result.stderr.contains("no-such-tag"))
        // --json also reports the failure on stdout.
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["exitCode"] as? Int == 3)
    }

    @Test("a blob served with wrong bytes is fatal (exit 4) and no tag appears")
    func corruptBlobIsFatal() async throws {
        let proxy = try FaultProxy(upstream: try Harness.registry(), mode: "corrupt-blob")
        defer { proxy.stop() }
        let repository = "\(try Harness.registry2())/\(uniqueRepository("corrupt"))/img"
        let result = try await Command.smimg(["copy", "\(proxy.address)/fixtures/multilayer:v1", "\(repository):v1", "--retries", "1"])
        #expect(result.status == 4, "\(result.output)")
        #expect(result.stderr.contains("digest mismatch"))
        #expect(try await !Skopeo.hasTag(repository, "v1"))
        // The same into a layout: nothing is tagged and no partial blob is left visible.
        let directory = try TemporaryDirectory("corrupt-layout")
        defer { directory.remove() }
        let layout = directory.appending("l").path
        let local = try await Command.smimg(["copy", "\(proxy.address)/fixtures/multilayer:v1", "oci:\(layout):v1"])
        #expect(local.status == 4)
        let index = (try? String(contentsOfFile: "\(layout)/index.json", encoding: .utf8)) ?? ""
        #expect(!index.contains("\"v1\""))
    }

    @Test("a download cut off half-way is resumed and the copy verifies")
    func truncatedDownloadResumes() async throws {
        let proxy = try FaultProxy(upstream: try Harness.registry(), mode: "truncate-blob", extra: ["--count", "2"])
        defer { proxy.stop() }
        let target = "\(try Harness.registry2())/\(uniqueRepository("resume"))/img:v1"
        let result = try await Command.smimg(["copy", "\(proxy.address)/fixtures/multilayer:v1", target])
        #expect(result.status == 0, "\(result.output)")
        #expect(try await Skopeo.manifestDigest("docker://\(target)") == (try await Skopeo.manifestDigest("docker://\(try Harness.registry())/fixtures/multilayer:v1")))
    }

    @Test("throttling (429 with Retry-After) and server errors are retried")
    func transientErrorsRetried() async throws {
        let throttling = try FaultProxy(upstream: try Harness.registry(), mode: "throttle", extra: ["--count", "3"])
        defer { throttling.stop() }
        let failingUploads = try FaultProxy(upstream: try Harness.registry2(), mode: "server-error", extra: ["--count", "2"])
        defer { failingUploads.stop() }
        let repository = "\(uniqueRepository("retry"))/img"
        let result = try await Command.smimg(["copy", "\(throttling.address)/fixtures/multilayer:v1", "\(failingUploads.address)/\(repository):v1"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("retrying"))
        #expect(try await Skopeo.hasTag("\(try Harness.registry2())/\(repository)", "v1"))
    }

    @Test("a copy killed mid-way leaves no tag, and running it again completes and verifies")
    func killedCopyCompletesOnRerun() async throws {
        let directory = try TemporaryDirectory("killed")
        defer { directory.remove() }
        let layout = directory.appending("big").path
        let digest = try SyntheticImage.writeLayout(at: layout, tag: "v1", layerSizes: Array(repeating: 32 << 20, count: 10))
        let repository = "\(try Harness.registry2())/\(uniqueRepository("killed"))/img"
        // Start, wait until the first blob has been accepted, then kill -9. One blob at a time,
        // so most of the image is still to come when the first upload lands.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Command.smimgPath)
        process.arguments = ["copy", "--jobs", "1", "oci:\(layout):v1", "\(repository):v1"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        let log = try Harness.require("SMIMG_TEST_REGISTRY2_LOG")
        let repositoryPath = repository.split(separator: "/", maxSplits: 1).last.map(String.init) ?? ""
        // Watched on a thread of its own: the kill must not wait for a busy test scheduler.
        let wasRunning = try await Command.onOwnThread { () throws -> Bool in
            guard let logHandle = FileHandle(forReadingAtPath: log) else { throw HarnessError.missing(log) }
            defer { try? logHandle.close() }
            _ = try logHandle.seekToEnd()
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            var seen = ""
            while process.isRunning, Date() < deadline {
                seen += String(decoding: logHandle.availableData, as: UTF8.self)
                if seen.contains("PUT /v2/\(repositoryPath)/blobs/uploads/") { break }
                usleep(5_000)
            }
            let running = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return running
        }
        #expect(wasRunning, "the copy finished before it could be killed; the test proves nothing")
        #expect(try await !Skopeo.hasTag(repository, "v1"))
        let rerun = try await Command.smimg(["copy", "--json", "oci:\(layout):v1", "\(repository):v1"])
        #expect(rerun.status == 0, "\(rerun.output)")
        let report = try JSONDecoder().decode(Report.self, from: Data(rerun.stdout.utf8))
        #expect(report.digest == digest)
        #expect(report.blobs.skipped >= 1, "blobs finished before the kill are not sent again")
        // skopeo reads every blob back and checks each digest.
        try await Command.check(["skopeo", "copy", "-q", "--src-tls-verify=false", "docker://\(repository):v1", "oci:\(directory.appending("check").path):x"])
    }

    @Test("a blob download redirected to another host does not receive the registry's Authorization")
    func redirectDropsAuthorization() async throws {
        let proxy = try FaultProxy(upstream: try Harness.authRegistry(), mode: "redirect-blobs", extra: ["--reject-redirect-authorization"])
        defer { proxy.stop() }
        let creds = "\(try Harness.authUser()):\(try Harness.authPassword())"
        let directory = try TemporaryDirectory("redirect")
        defer { directory.remove() }
        let result = try await Command.smimg(["copy", "--src-creds", creds, "\(proxy.address)/fixtures/multilayer:v1", "oci:\(directory.appending("l").path):v1"])
        #expect(result.status == 0, "\(result.output)")
        let stats = try proxy.stats()
        #expect((stats["requests"] as? Int ?? 0) > 0, "the redirect target served the blobs")
        #expect(stats["redirect_authorization_seen"] as? Bool == false)
    }
}
