import Archive
@testable import Builder
import Conda
import Foundation
import OCI
import Python
import Testing
import TestSupport

/// The pure rules the pip and conda steps rely on: image facts read from files, whiteout
/// minimisation, conda's history text and channel names.
@Suite struct PackageStepRulesTests {
    static func filesystem(_ build: (inout LayerContents) throws -> Void) throws -> (ImageFilesystem, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let layer = try ImageFilesystemTests.layer(BlobStore(root: directory.path), build)
        let filesystem = ImageFilesystem()
        try filesystem.apply(layer)
        return (filesystem, directory)
    }

    @Test func aDirectoryWhoseEveryFileGoesIsOneWhiteout() throws {
        let (filesystem, directory) = try Self.filesystem { contents in
            for path in ["opt/conda/lib/pkg/a.py", "opt/conda/lib/pkg/b.py", "opt/conda/lib/pkg/sub/c.py", "opt/conda/lib/other.py", "opt/conda/bin/tool"] {
                try contents.addFile(path, contents: [1])
            }
        }
        defer { directory.remove() }
        var kept = LayerContents()
        try kept.addFile("opt/conda/bin/tool", contents: [2])
        let whiteouts = WhiteoutSet.minimal(
            removing: ["/opt/conda/lib/pkg/a.py", "/opt/conda/lib/pkg/b.py", "/opt/conda/lib/pkg/sub/c.py", "/opt/conda/bin/tool", "/opt/conda/missing"],
            from: filesystem, keeping: kept)
        #expect(whiteouts == ["/opt/conda/lib/pkg"], "the rewritten tool keeps its entry, a missing path is skipped")
    }

    @Test func glibcVersionComesFromTheLibraryNameOrItsReleaseString() throws {
        #expect(LibCDetector.versionFromName("libc-2.31.so") == .glibc(major: 2, minor: 31))
        #expect(LibCDetector.versionFromName("libc.so.6") == nil)
        let text = Array("\u{7F}ELF....GNU C Library (Debian GLIBC 2.36-9+deb12u4) stable release version 2.36.\n".utf8)
        let (filesystem, directory) = try Self.filesystem { contents in
            try contents.addFile("lib/x86_64-linux-gnu/libc.so.6", contents: text)
        }
        defer { directory.remove() }
        #expect(LibCDetector.detect(in: filesystem) == .glibc(major: 2, minor: 36))
    }

    @Test func thePythonLayoutFollowsTheInterpreterAndDebianGetsDistPackages() throws {
        let (slim, first) = try Self.filesystem { contents in
            try contents.addFile("usr/local/bin/python3.11", contents: [0], mode: 0o755)
            try contents.add(.symlink("usr/local/bin/python3", target: "python3.11"))
            try contents.addFile("usr/local/lib/python3.11/os.py", contents: [0])
            try contents.addFile("usr/local/include/python3.11/patchlevel.h", contents: Array("#define PY_VERSION \"3.11.9\"\n".utf8))
        }
        defer { first.remove() }
        let environment = try PythonEnvironment.detect(in: slim, platform: Platform(os: "linux", architecture: "amd64"), interpreter: nil)
        #expect(environment.interpreter == "/usr/local/bin/python3")
        #expect(environment.purelib == "/usr/local/lib/python3.11/site-packages")
        #expect(environment.scripts == "/usr/local/bin")
        #expect(environment.target.fullVersion == "3.11.9")
        #expect(environment.target.machine == "x86_64")

        let (debian, second) = try Self.filesystem { contents in
            try contents.addFile("usr/bin/python3.11", contents: [0], mode: 0o755)
            try contents.add(.symlink("usr/bin/python3", target: "python3.11"))
            try contents.add(.directory("usr/lib/python3/dist-packages"))
        }
        defer { second.remove() }
        let system = try PythonEnvironment.detect(in: debian, platform: Platform(os: "linux", architecture: "arm64"), interpreter: nil)
        #expect(system.purelib == "/usr/local/lib/python3.11/dist-packages")
        #expect(system.scripts == "/usr/local/bin")
        #expect(system.sitePackages.contains("/usr/lib/python3/dist-packages"))
        #expect(system.target.machine == "aarch64")
        #expect(throws: PythonEnvironment.DetectionError.self) {
            try PythonEnvironment.detect(in: debian, platform: Platform(os: "linux", architecture: "amd64"), interpreter: "/opt/conda/bin/python3")
        }
    }

    @Test func condaHistoryEntriesLookLikeConda() {
        let old = CondaPackageRecord(
            name: "pytorch", version: "2.0.1", build: "py3.10_0", buildNumber: 0, subdir: "linux-64", fn: "", url: "",
            channel: "https://conda.anaconda.org/pytorch")
        let new = CondaPackageRecord(
            name: "faiss-gpu", version: "1.7.4", build: "h0_0", buildNumber: 0, subdir: "linux-64", fn: "", url: "",
            channel: "https://conda.anaconda.org/conda-forge/linux-64")
        let entry = CondaHistoryEntry(
            time: 86_400, command: "smimg build recipe.yml", removed: [old], added: [new], updateSpecs: ["faiss-gpu=1.7.4"],
            removeSpecs: ["pytorch"])
        #expect(entry.text == """
            ==> 1970-01-02 00:00:00 <==
            # cmd: smimg build recipe.yml
            # conda version: smimg
            -pytorch/linux-64::pytorch-2.0.1-py3.10_0
            +conda-forge/linux-64::faiss-gpu-1.7.4-h0_0
            # update specs: ['faiss-gpu=1.7.4']
            # remove specs: ['pytorch']

            """)
    }

    @Test func channelNamesBecomeURLsAndCondarcListsAreRead() {
        #expect(CondaChannelNames.urls(for: "conda-forge") == ["https://conda.anaconda.org/conda-forge"])
        #expect(CondaChannelNames.urls(for: "defaults").count == 2)
        #expect(CondaChannelNames.urls(for: "http://127.0.0.1:9/ch/") == ["http://127.0.0.1:9/ch"])
        #expect(CondaChannelNames.channelList("channels:\n  - conda-forge  # main\n  - 'pytorch'\nshow_channel_urls: true\n") == ["conda-forge", "pytorch"])
        #expect(CondaChannelNames.channelList("channels: [conda-forge, defaults]\n") == ["conda-forge", "defaults"])
        #expect(CondaChannelNames.channelList("auto_update_conda: false\n").isEmpty)
    }

    @Test func condaSubdirsFollowThePlatform() {
        #expect(CondaSubdir.name(for: Platform(os: "linux", architecture: "amd64")) == "linux-64")
        #expect(CondaSubdir.name(for: Platform(os: "linux", architecture: "arm64")) == "linux-aarch64")
        #expect(CondaSubdir.name(for: Platform(os: "windows", architecture: "amd64")) == nil)
    }
}
