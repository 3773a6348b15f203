import Conda
import Foundation
import Testing

@Suite struct CondaPackageRecordTests {
    @Test func decodesARepodataEntryWithCondasFieldNames() throws {
        let json = """
            {"name": "faiss-gpu", "version": "1.7.2", "build": "py3.10_h28a55e0_0", "build_number": 0,
             "depends": ["python >=3.10,<3.11.0a0"], "subdir": "linux-64", "md5": "0123", "size": 42,
             "timestamp": 1650000000000, "track_features": ""}
            """
        let record = try JSONDecoder().decode(CondaPackageRecord.self, from: Data(json.utf8))
        #expect(record.distName == "faiss-gpu-1.7.2-py3.10_h28a55e0_0")
        #expect(record.depends == ["python >=3.10,<3.11.0a0"])
        #expect(record.constrains.isEmpty)
        #expect(record.size == 42)
        #expect(record.noarch == nil)
    }

    @Test func readsTheOldBooleanNoarchAsGeneric() throws {
        let json = #"{"name": "a", "version": "1", "build": "0", "noarch": true}"#
        let record = try JSONDecoder().decode(CondaPackageRecord.self, from: Data(json.utf8))
        #expect(record.noarch == "generic")
        #expect(record.buildNumber == 0)
    }

    @Test func encodesBuildNumberUnderCondasKey() throws {
        let record = CondaPackageRecord(
            name: "a", version: "1", build: "h1_2", buildNumber: 2, subdir: "noarch", noarch: "python", fn: "a-1-h1_2.conda",
            url: "file:///c/noarch/a-1-h1_2.conda", channel: "file:///c")
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any]
        #expect(object?["build_number"] as? Int == 2)
        #expect(object?["buildNumber"] == nil)
    }
}
