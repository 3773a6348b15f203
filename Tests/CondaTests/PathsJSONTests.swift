import Conda
import Foundation
import Testing

@Suite struct PathsJSONTests {
    static let placeholder = "/home/conda/feedstock_root/build_artifacts/x_1700000000000/_h_env_placehold_placehold"

    @Test func decodesPathsVersion1WithDefaults() throws {
        let json = """
            {"paths_version": 1, "paths": [
              {"_path": "bin/tool", "path_type": "hardlink", "sha256": "AB", "size_in_bytes": 12,
               "prefix_placeholder": "\(Self.placeholder)", "file_mode": "binary"},
              {"_path": "etc/conf", "prefix_placeholder": "/opt/anaconda1anaconda2anaconda3"},
              {"_path": "lib/libx.so", "path_type": "softlink", "sha256": "cd", "size_in_bytes": 0},
              {"_path": "share/empty", "path_type": "directory"},
              {"_path": "lib/data.bin", "no_link": true}
            ]}
            """
        let paths = try PathsJSON(decoding: Data(json.utf8))
        #expect(paths.entries.count == 5)
        #expect(paths.entries[0] == PathEntry(
            path: "bin/tool", pathType: .hardlink, prefixPlaceholder: Self.placeholder, fileMode: .binary, sha256: "ab",
            sizeInBytes: 12))
        #expect(paths.entries[1].fileMode == .text)
        #expect(paths.entries[1].pathType == .hardlink)
        #expect(paths.entries[2].pathType == .softlink)
        #expect(paths.entries[3].pathType == .directory)
        #expect(paths.entries[4].noLink)
        #expect(paths.entries[4].fileMode == nil)
        #expect(!paths.entries[0].noLink)
    }

    @Test func refusesOtherVersionsUnknownTypesAndEscapingPaths() {
        #expect(throws: PathsJSONError.unsupportedVersion(2)) {
            try PathsJSON(decoding: Data(#"{"paths_version": 2, "paths": []}"#.utf8))
        }
        #expect(throws: PathsJSONError.unsupportedVersion(nil)) { try PathsJSON(decoding: Data(#"{"paths": []}"#.utf8)) }
        #expect(throws: PathsJSONError.self) { try PathsJSON(decoding: Data("[]".utf8)) }
        #expect(throws: PathsJSONError.invalidEntry(path: "a", reason: "unknown path_type 'pyc_file'")) {
            try PathsJSON(decoding: Data(#"{"paths_version": 1, "paths": [{"_path": "a", "path_type": "pyc_file"}]}"#.utf8))
        }
        #expect(throws: PathsJSONError.self) {
            try PathsJSON(decoding: Data(#"{"paths_version": 1, "paths": [{"_path": "a", "file_mode": "octal"}]}"#.utf8))
        }
        for path in ["/etc/passwd", "../outside", "lib/../../x", ""] {
            #expect(throws: PathsJSONError.unsafePath(path)) {
                try PathsJSON(decoding: Data(#"{"paths_version": 1, "paths": [{"_path": "\#(path)"}]}"#.utf8))
            }
        }
    }

    @Test func encodesWithCondasKeys() throws {
        let entry = PathEntry(path: "bin/x", prefixPlaceholder: "/p", sha256: "ab", sizeInBytes: 3)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(entry)) as? [String: Any]
        #expect(object?["_path"] as? String == "bin/x")
        #expect(object?["path_type"] as? String == "hardlink")
        #expect(object?["file_mode"] as? String == "text")
        #expect(object?["prefix_placeholder"] as? String == "/p")
        #expect(object?["size_in_bytes"] as? Int == 3)
        #expect(object?["no_link"] == nil)
        #expect(try JSONDecoder().decode(PathEntry.self, from: JSONEncoder().encode(entry)) == entry)
    }

    @Test func parsesHasPrefixLines() throws {
        let text = """
            bin/script
            /opt/anaconda1anaconda2anaconda3 text etc/conf
            \(Self.placeholder) binary lib/libx.so
            "/opt/place holder" text 'share/with space.txt'

            """
        let file = try HasPrefixFile(parsing: text)
        #expect(file.entries == [
            .init(placeholder: PathsJSON.legacyPlaceholder, fileMode: .text, path: "bin/script"),
            .init(placeholder: "/opt/anaconda1anaconda2anaconda3", fileMode: .text, path: "etc/conf"),
            .init(placeholder: Self.placeholder, fileMode: .binary, path: "lib/libx.so"),
            .init(placeholder: "/opt/place holder", fileMode: .text, path: "share/with space.txt"),
        ])
    }

    @Test func hasPrefixErrorsNameTheLine() {
        #expect(throws: PathsJSONError.badHasPrefixLine(
            line: 2, text: "/p octal x", reason: "mode 'octal' is neither text nor binary")) {
            try HasPrefixFile(parsing: "ok\n/p octal x")
        }
        #expect(throws: PathsJSONError.self) { try HasPrefixFile(parsing: "a b") }
        #expect(throws: PathsJSONError.self) { try HasPrefixFile(parsing: "'unterminated text x") }
    }

    @Test func buildsEntriesFromTheLegacyFiles() throws {
        let paths = try PathsJSON(
            legacyFiles: "bin/script\nlib/libx.so\nlib/libx.so.1\nshare/doc.txt\n",
            hasPrefix: "bin/script\n/opt/ph binary lib/libx.so.1\n", noLink: "share/doc.txt\n",
            softlinks: ["lib/libx.so"])
        #expect(paths.entries == [
            PathEntry(path: "bin/script", prefixPlaceholder: PathsJSON.legacyPlaceholder, fileMode: .text),
            PathEntry(path: "lib/libx.so", pathType: .softlink),
            PathEntry(path: "lib/libx.so.1", prefixPlaceholder: "/opt/ph", fileMode: .binary),
            PathEntry(path: "share/doc.txt", noLink: true),
        ])
        #expect(throws: PathsJSONError.unsafePath("/abs")) { try PathsJSON(legacyFiles: "/abs\n") }
    }
}

@Suite struct PrefixReplacementTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func textModeReplacesEveryOccurrence() throws {
        let input = bytes("#!/opt/anaconda1anaconda2anaconda3/bin/python\nPREFIX=/opt/anaconda1anaconda2anaconda3 x /opt/anaconda1anaconda2anaconda3\n")
        let output = try PrefixReplacement.replacingText(input, placeholder: PathsJSON.legacyPlaceholder, prefix: "/opt/conda")
        #expect(String(decoding: output, as: UTF8.self) == "#!/opt/conda/bin/python\nPREFIX=/opt/conda x /opt/conda\n")
        let longer = try PrefixReplacement.replacingText(bytes("a/pb"), placeholder: "/p", prefix: "/a/much/longer/prefix")
        #expect(String(decoding: longer, as: UTF8.self) == "a/a/much/longer/prefixb")
        let untouched = try PrefixReplacement.replacingText(bytes("none here"), placeholder: "/p", prefix: "/q")
        #expect(untouched == bytes("none here"))
    }

    @Test func binaryModeKeepsEachCStringsLength() throws {
        let placeholder = "/placeholder_long"  // 17 bytes
        var input: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        input += bytes("\(placeholder)/lib:\(placeholder)/lib64") + [0]
        input += bytes("other") + [0]
        input += bytes("x\(placeholder)/share") + [0, 0xff]
        let output = try PrefixReplacement.replacingBinary(input, placeholder: placeholder, prefix: "/opt/conda")
        #expect(output.count == input.count)
        var expected: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        expected += bytes("/opt/conda/lib:/opt/conda/lib64") + [0] + Array(repeating: 0, count: 14)
        expected += bytes("other") + [0]
        expected += bytes("x/opt/conda/share") + [0] + Array(repeating: 0, count: 7) + [0xff]
        #expect(output == expected)
    }

    @Test func binaryModeLeavesAnUnterminatedPlaceholderAlone() throws {
        let input = bytes("abc/placeholder/tail")
        let output = try PrefixReplacement.replacingBinary(input, placeholder: "/placeholder", prefix: "/p")
        #expect(output == input)
    }

    @Test func binaryModeRefusesALongerPrefix() throws {
        let input = bytes("/short/bin") + [0]
        #expect(throws: PrefixReplacementError.prefixLongerThanPlaceholder(prefix: "/much/longer/prefix", placeholder: "/short")) {
            try PrefixReplacement.replacingBinary(input, placeholder: "/short", prefix: "/much/longer/prefix")
        }
        // Nothing to replace, nothing to refuse.
        let nothing = try PrefixReplacement.replacingBinary(bytes("abc") + [0], placeholder: "/short", prefix: "/much/longer")
        #expect(nothing == bytes("abc") + [0])
        #expect("\(PrefixReplacementError.prefixLongerThanPlaceholder(prefix: "/ab", placeholder: "/a"))".contains("longer"))
    }

    @Test func equalLengthPrefixNeedsNoPadding() throws {
        let input = bytes("/abcd/x") + [0]
        let same = try PrefixReplacement.replacingBinary(input, placeholder: "/abcd", prefix: "/wxyz")
        #expect(same == bytes("/wxyz/x") + [0])
    }

    @Test func dispatchesOnTheFileModeAndWorksOnData() throws {
        let data = Data("/ph/x".utf8) + Data([0])
        let binary = try PrefixReplacement.replacing(data, mode: .binary, placeholder: "/ph", prefix: "/a")
        #expect(binary == Data("/a/x".utf8) + Data([0, 0]))
        let text = try PrefixReplacement.replacing(data, mode: .text, placeholder: "/ph", prefix: "/a")
        #expect(text == Data("/a/x".utf8) + Data([0]))
        #expect(throws: PrefixReplacementError.emptyPlaceholder) {
            try PrefixReplacement.replacing(data, mode: .text, placeholder: "", prefix: "/a")
        }
    }
}
