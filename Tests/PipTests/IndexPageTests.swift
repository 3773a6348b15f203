import Pip
import Testing

/// Index pages as pip reads them: PEP 503 HTML and PEP 691 JSON, with PEP 658 metadata hints.
@Suite struct IndexPageTests {
    @Test func htmlAnchorsGiveAbsoluteURLsHashesAndAttributes() throws {
        let html = """
            <html><body>
            <a href="../../files/torch-2.1.0%2Bcu118-cp310-cp310-linux_x86_64.whl#sha256=ABCDEF" data-requires-python="&gt;=3.8" data-core-metadata="sha256=0011">torch</a>
            <A HREF='https://cdn.example/t-1.0-py3-none-any.whl' data-yanked="">t</A>
            <a href="t-0.1.tar.gz">sdist</a>
            </body></html>
            """
        let links = try IndexPage.links(in: Array(html.utf8), contentType: "text/html", pageURL: "https://download.example/whl/cu118/torch/")
        #expect(links.count == 3)
        #expect(links[0].filename == "torch-2.1.0+cu118-cp310-cp310-linux_x86_64.whl")
        #expect(links[0].url == "https://download.example/whl/files/torch-2.1.0%2Bcu118-cp310-cp310-linux_x86_64.whl")
        #expect(links[0].sha256 == "abcdef")
        #expect(links[0].requiresPython == ">=3.8")
        #expect(links[0].hasMetadata && links[0].metadataSHA256 == "0011")
        #expect(links[0].metadataURL.hasSuffix(".whl.metadata"))
        #expect(links[1].yanked && !links[1].hasMetadata)
        #expect(links[2].wheel == nil, "sdists are not wheels")
    }

    @Test func json691FilesGiveTheSameFacts() throws {
        let json = """
            {"meta": {"api-version": "1.1"}, "name": "zdep", "files": [
              {"filename": "zdep-1.1-py3-none-any.whl", "url": "../../files/zdep-1.1-py3-none-any.whl", "hashes": {"sha256": "AA"},
               "requires-python": ">=3.9", "core-metadata": {"sha256": "BB"}, "yanked": "broken"},
              {"filename": "zdep-1.0-py3-none-any.whl", "url": "https://x.example/zdep-1.0-py3-none-any.whl", "hashes": {}, "dist-info-metadata": true}
            ]}
            """
        let links = try IndexPage.links(in: Array(json.utf8), contentType: "application/vnd.pypi.simple.v1+json", pageURL: "http://127.0.0.1:9/json/zdep/")
        #expect(links.map(\.url) == ["http://127.0.0.1:9/files/zdep-1.1-py3-none-any.whl", "https://x.example/zdep-1.0-py3-none-any.whl"])
        #expect(links[0].sha256 == "aa" && links[0].requiresPython == ">=3.9" && links[0].yanked)
        #expect(links[0].metadataSHA256 == "bb")
        #expect(links[1].hasMetadata && links[1].sha256 == nil)
        #expect(throws: PipError.self) { try IndexPage.links(in: Array("{not json".utf8), contentType: "application/json", pageURL: "http://x/") }
    }
}
