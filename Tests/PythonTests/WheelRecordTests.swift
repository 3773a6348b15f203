import Testing
@testable import Python

@Suite struct WheelRecordTests {
    // sha256("hello"), as Python prints it.
    let hello: [UInt8] = [
        44, 242, 77, 186, 95, 176, 163, 14, 38, 232, 59, 42, 197, 185, 226, 158, 27, 22, 30, 92, 31, 167, 66, 94,
        115, 4, 51, 98, 147, 139, 152, 36,
    ]

    @Test func hashField() {
        #expect(WheelRecord.hashField(sha256: hello) == "sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ")
        let e = WheelRecord.Entry(path: "a.py", sha256: hello, size: 5)
        #expect(e.algorithm == "sha256")
        #expect(e.digest == hello)
    }

    @Test func parsesAndSerialises() throws {
        let text = """
            six.py,sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ,5\r
            "odd,name.py","sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",0
            "say ""hi"".txt",,
            ../../../bin/tool,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0

            six-1.16.0.dist-info/RECORD,,

            """
        let r = try WheelRecord(text)
        #expect(r.entries.map(\.path) == [
            "six.py", "odd,name.py", "say \"hi\".txt", "../../../bin/tool", "six-1.16.0.dist-info/RECORD",
        ])
        #expect(r["six.py"]?.size == 5)
        #expect(r["six.py"]?.digest == hello)
        #expect(r["six-1.16.0.dist-info/RECORD"] == WheelRecord.Entry(path: "six-1.16.0.dist-info/RECORD"))
        #expect(r.serialized() == """
            six.py,sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ,5
            "odd,name.py",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0
            "say ""hi"".txt",,
            ../../../bin/tool,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0
            six-1.16.0.dist-info/RECORD,,

            """)
        #expect(try WheelRecord(r.serialized()) == r)
    }

    @Test(arguments: ["a.py,sha256=x", "a.py,sha256=x,5,6", ",,", "a.py,abc,1", "a.py,,-1", "\"a.py,,", "\"a\"b,,"])
    func rejects(_ text: String) {
        #expect(throws: WheelRecordError.self) { try WheelRecord(text) }
    }
}
