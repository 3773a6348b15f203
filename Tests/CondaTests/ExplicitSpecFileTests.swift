import Conda
import Testing

@Suite struct ExplicitSpecFileTests {
    static let md5 = "57d7dc60e9325e3de37ff8dffd18e814"
    static let sha = String(repeating: "ab", count: 32)
    static let text = """
        # This file may be used to create an environment using:
        # $ conda create --name <env> --file <this file>
        # platform: linux-64
        # created-by: conda 24.1.2
        @EXPLICIT
        https://conda.anaconda.org/conda-forge/linux-64/libzlib-1.3.1-h4ab18f5_1.conda#\(md5)

        https://conda.anaconda.org/conda-forge/noarch/tzdata-2024a-h0c530f3_0.conda#sha256:\(sha)
        https://repo.anaconda.com/pkgs/main/linux-64/_libgcc_mutex-0.1-main.tar.bz2
        file:///opt/channel/linux-64/x264-1%21164.3095-h166bdaf_2.tar.bz2#\(md5.uppercased())
        """

    @Test func parsesURLsHashesAndWhereEachPackageComesFrom() throws {
        let file = try ExplicitSpecFile(parsing: Self.text)
        #expect(file.platform == "linux-64")
        #expect(file.entries.count == 4)
        let zlib = file.entries[0]
        #expect(zlib.url == "https://conda.anaconda.org/conda-forge/linux-64/libzlib-1.3.1-h4ab18f5_1.conda")
        #expect(zlib.md5 == Self.md5)
        #expect(zlib.sha256 == nil)
        #expect(zlib.name == "libzlib")
        #expect(zlib.version == "1.3.1")
        #expect(zlib.build == "h4ab18f5_1")
        #expect(zlib.subdir == "linux-64")
        #expect(zlib.channel == "https://conda.anaconda.org/conda-forge")
        #expect(zlib.line == 6)
        let tzdata = file.entries[1]
        #expect(tzdata.sha256 == Self.sha)
        #expect(tzdata.md5 == nil)
        #expect(tzdata.subdir == "noarch")
        #expect(tzdata.line == 8)
        #expect(file.entries[2].name == "_libgcc_mutex")
        #expect(file.entries[2].md5 == nil)
        #expect(file.entries[2].channel == "https://repo.anaconda.com/pkgs/main")
        let x264 = file.entries[3]
        #expect(x264.version == "1!164.3095")
        #expect(x264.fileName == "x264-1!164.3095-h166bdaf_2.tar.bz2")
        #expect(x264.md5 == Self.md5)
        #expect(x264.channel == "file:///opt/channel")
    }

    @Test func turnsEntriesIntoRecords() throws {
        let entry = try ExplicitSpecFile(parsing: Self.text).entries[0]
        let record = ExplicitSpecFile.record(for: entry)
        #expect(record.distName == "libzlib-1.3.1-h4ab18f5_1")
        #expect(record.buildNumber == 1)
        #expect(record.fn == "libzlib-1.3.1-h4ab18f5_1.conda")
        #expect(record.md5 == Self.md5)
        #expect(record.channel == "https://conda.anaconda.org/conda-forge")
    }

    @Test func errorsNameTheLine() {
        func lineOf(_ text: String) -> Int? {
            do {
                _ = try ExplicitSpecFile(parsing: text)
                return nil
            } catch {
                switch error {
                case .badLine(let line, _, _), .missingMarker(let line, _): return line
                }
            }
        }
        #expect(lineOf("@EXPLICIT\nhttps://c/linux-64/a-1-0.conda#nothex") == 2)
        #expect(lineOf("@EXPLICIT\n# ok\nhttps://c/linux-64/a-1-0.conda#sha256:abc") == 3)
        #expect(lineOf("@EXPLICIT\nnumpy=1.26") == 2)
        #expect(lineOf("@EXPLICIT\nftp://c/linux-64/a-1-0.conda") == 2)
        #expect(lineOf("@EXPLICIT\nhttps://c/linux-64/a-1.conda") == 2)
        #expect(lineOf("@EXPLICIT\nhttps://c/linux-64/readme.txt") == 2)
        #expect(lineOf("@EXPLICIT\nhttps://a-1-0.conda") == 2)
        #expect(lineOf("# comment\nhttps://c/linux-64/a-1-0.conda") == 2)
        #expect(lineOf("# no marker at all\n") == 0)
        #expect(throws: ExplicitSpecError.badLine(line: 2, text: "numpy=1.26", reason: "expected a package URL (https://…, file://…)")) {
            try ExplicitSpecFile(parsing: "@EXPLICIT\nnumpy=1.26")
        }
        #expect("\(ExplicitSpecError.badLine(line: 7, text: "x", reason: "why"))" == "line 7: 'x': why")
    }

    @Test func rendersDeterministicallyAndParsesBack() throws {
        let records = [
            record("zlib", "1.3.1", "h_0", md5: "AA" + String(repeating: "0", count: 30)),
            record("abc", "1", "0", sha256: Self.sha),
            record("mid", "2", "0", md5: String(repeating: "1", count: 32), sha256: Self.sha),
            record("nohash", "1", "0"),
        ]
        let text = ExplicitSpecFile.render(records, platform: "linux-64")
        #expect(text == ExplicitSpecFile.render(records.reversed(), platform: "linux-64"))
        #expect(text == """
            # This file may be used to create an environment using:
            # $ conda create --name <env> --file <this file>
            # platform: linux-64
            @EXPLICIT
            https://conda.anaconda.org/conda-forge/linux-64/abc-1-0.conda#sha256:\(Self.sha)
            https://conda.anaconda.org/conda-forge/linux-64/mid-2-0.conda#11111111111111111111111111111111
            https://conda.anaconda.org/conda-forge/linux-64/nohash-1-0.conda
            https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-h_0.conda#aa000000000000000000000000000000

            """)
        let sha256Pinned = ExplicitSpecFile.render(records, platform: nil, pin: .sha256)
        #expect(sha256Pinned.contains("mid-2-0.conda#sha256:\(Self.sha)"))
        #expect(!sha256Pinned.contains("# platform"))
        let parsed = try ExplicitSpecFile(parsing: text)
        #expect(parsed.entries.map(\.name) == ["abc", "mid", "nohash", "zlib"])
        #expect(parsed.entries.map { ExplicitSpecFile.record(for: $0).url } == records.map(\.url).sorted())
    }
}
