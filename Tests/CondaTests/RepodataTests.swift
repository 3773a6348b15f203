import Conda
import Foundation
import Testing

@Suite struct RepodataTests {
    static let json = """
        {
          "info": {"subdir": "linux-64"},
          "packages": {
            "faiss-gpu-1.7.2-py310_0.tar.bz2": {"name": "faiss-gpu", "version": "1.7.2", "build": "py310_0",
              "build_number": 0, "depends": ["python >=3.10,<3.11.0a0", "cudatoolkit >=11.3"], "md5": "aa",
              "size": 10, "timestamp": 1650000000000},
            "faiss-gpu-1.7.1-py310_0.tar.bz2": {"name": "faiss-gpu", "version": "1.7.1", "build": "py310_0",
              "build_number": 0, "depends": [], "timestamp": 1600000000},
            "old-1.0-0.tar.bz2": {"name": "old", "version": "1.0", "build": "0", "build_number": 0}
          },
          "packages.conda": {
            "faiss-gpu-1.7.2-py310_0.conda": {"name": "faiss-gpu", "version": "1.7.2", "build": "py310_0",
              "build_number": 0, "depends": ["python >=3.10,<3.11.0a0"], "md5": "bb", "sha256": "cc"},
            "python-3.10.13-h_0_cpython.conda": {"name": "python", "version": "3.10.13", "build": "h_0_cpython",
              "build_number": 0, "subdir": "linux-64", "constrains": ["python_abi 3.10.* *_cp310"]}
          },
          "removed": ["old-1.0-0.tar.bz2"],
          "repodata_version": 1
        }
        """

    @Test func decodesBothMapsAndFillsInWhereEachPackageComesFrom() throws {
        let repodata = try Repodata(decoding: Data(Self.json.utf8), channel: "https://conda.anaconda.org/conda-forge/")
        #expect(repodata.subdir == "linux-64")
        #expect(repodata.channel == "https://conda.anaconda.org/conda-forge")
        #expect(repodata.removed == ["old-1.0-0.tar.bz2"])
        #expect(repodata.records.map(\.fn) == [
            "faiss-gpu-1.7.1-py310_0.tar.bz2", "faiss-gpu-1.7.2-py310_0.conda", "python-3.10.13-h_0_cpython.conda",
        ])
        let faiss = try #require(repodata.records.first { $0.version == "1.7.2" })
        #expect(faiss.url == "https://conda.anaconda.org/conda-forge/linux-64/faiss-gpu-1.7.2-py310_0.conda")
        #expect(faiss.channel == "https://conda.anaconda.org/conda-forge")
        #expect(faiss.subdir == "linux-64")
        #expect(faiss.md5 == "bb")
        #expect(faiss.sha256 == "cc")
        let python = try #require(repodata.records.first { $0.name == "python" })
        #expect(python.constrains == ["python_abi 3.10.* *_cp310"])
    }

    @Test func prefersCondaOverTarBz2AndDropsRemovedFiles() throws {
        let repodata = try Repodata(decoding: Data(Self.json.utf8), channel: "https://c")
        #expect(repodata.records.filter { $0.distName == "faiss-gpu-1.7.2-py310_0" }.map(\.fn) == [
            "faiss-gpu-1.7.2-py310_0.conda"
        ])
        #expect(!repodata.records.contains { $0.name == "old" })
    }

    @Test func normalizesSecondTimestampsToMilliseconds() throws {
        let repodata = try Repodata(decoding: Data(Self.json.utf8), channel: "https://c")
        #expect(repodata.records.first { $0.version == "1.7.1" }?.timestamp == 1_600_000_000_000)
    }

    @Test func usesBaseURLWhenGiven() throws {
        let absolute = #"{"info": {"subdir": "noarch", "base_url": "https://mirror.example/pkgs"}, "packages.conda": {"a-1-0.conda": {"name": "a", "version": "1", "build": "0"}}}"#
        let record = try #require(try Repodata(decoding: Data(absolute.utf8), channel: "https://c").records.first)
        #expect(record.url == "https://mirror.example/pkgs/a-1-0.conda")
        #expect(record.subdir == "noarch")
        let relative = #"{"info": {"subdir": "noarch", "base_url": "../../files/"}, "packages.conda": {"a-1-0.conda": {"name": "a", "version": "1", "build": "0"}}}"#
        let resolved = try #require(try Repodata(decoding: Data(relative.utf8), channel: "https://host/ch").records.first)
        #expect(resolved.url == "https://host/files/a-1-0.conda")
    }

    @Test func fallsBackToTheGivenSubdirAndToleratesMissingMaps() throws {
        let repodata = try Repodata(decoding: Data("{}".utf8), channel: "file:///c", subdir: "noarch")
        #expect(repodata.records.isEmpty)
        #expect(repodata.subdir == "noarch")
        #expect(throws: RepodataError.missingSubdir) { try Repodata(decoding: Data("{}".utf8), channel: "file:///c") }
    }

    @Test func namesTheEntryThatFailsToDecode() {
        let bad = #"{"info": {"subdir": "linux-64"}, "packages": {"b-1-0.tar.bz2": {"name": "b", "build": "0"}}}"#
        #expect {
            try Repodata(decoding: Data(bad.utf8), channel: "https://c")
        } throws: { error in
            guard case RepodataError.invalidRecord(let fileName, let reason) = error else { return false }
            return fileName == "b-1-0.tar.bz2" && reason.contains("version")
        }
        #expect(throws: RepodataError.self) { try Repodata(decoding: Data("not json".utf8), channel: "https://c") }
    }
}
