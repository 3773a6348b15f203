import Foundation
import Python

/// A file offered by a package index page (PEP 503 HTML or PEP 691 JSON) or a find-links page.
public struct IndexLink: Sendable, Hashable {
    public var filename: String
    /// Absolute, without the fragment.
    public var url: String
    public var sha256: String?
    public var requiresPython: String?
    public var yanked: Bool
    /// PEP 658/714: the core metadata is served at `url + ".metadata"`; its hash when given.
    public var hasMetadata: Bool
    public var metadataSHA256: String?

    public var metadataURL: String { url + ".metadata" }

    /// The wheel's parsed name, nil for sdists and other files.
    public var wheel: WheelFilename? {
        guard filename.hasSuffix(".whl") else { return nil }
        return try? WheelFilename(filename)
    }
}

/// Reads index pages: PEP 691 JSON (`application/vnd.pypi.simple.v1+json`) or PEP 503 HTML
/// anchors (`#sha256=` fragments, `data-requires-python`, `data-yanked`, `data-core-metadata`
/// and the older `data-dist-info-metadata`).
public enum IndexPage {
    public static let accept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"

    public static func links(in body: [UInt8], contentType: String?, pageURL: String) throws -> [IndexLink] {
        let isJSON = contentType?.contains("json") == true || body.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) == UInt8(ascii: "{")
        return isJSON ? try jsonLinks(body, pageURL: pageURL) : htmlLinks(String(decoding: body, as: UTF8.self), pageURL: pageURL)
    }

    static func jsonLinks(_ body: [UInt8], pageURL: String) throws -> [IndexLink] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw PipError.badIndex(url: pageURL, reason: "not a PEP 691 JSON page")
        }
        let files = object["files"] as? [[String: Any]] ?? []
        return files.compactMap { file in
            guard let filename = file["filename"] as? String, let href = file["url"] as? String else { return nil }
            let (url, fragmentHash) = resolve(href, against: pageURL)
            let hashes = file["hashes"] as? [String: String] ?? [:]
            let metadata = file["core-metadata"] ?? file["data-dist-info-metadata"] ?? file["dist-info-metadata"]
            let metadataHash = (metadata as? [String: String])?["sha256"]
            let yanked = (file["yanked"] as? Bool) ?? (file["yanked"] is String)
            return IndexLink(
                filename: filename, url: url, sha256: hashes["sha256"]?.lowercased() ?? fragmentHash,
                requiresPython: (file["requires-python"] as? String).flatMap { $0.isEmpty ? nil : $0 }, yanked: yanked,
                hasMetadata: metadata as? Bool == true || metadataHash != nil, metadataSHA256: metadataHash?.lowercased())
        }
    }

    static func htmlLinks(_ html: String, pageURL: String) -> [IndexLink] {
        var links: [IndexLink] = []
        var rest = html[...]
        while let start = rest.range(of: "<a", options: .caseInsensitive) {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.upperBound..<end]
            rest = rest[rest.index(after: end)...]
            guard tag.first?.isWhitespace == true else { continue }
            let attributes = Self.attributes(tag)
            guard let href = attributes["href"] else { continue }
            let (url, hash) = resolve(href, against: pageURL)
            let path = URLComponents(string: url)?.percentEncodedPath ?? url
            let filename = (path as NSString).lastPathComponent.removingPercentEncoding ?? (path as NSString).lastPathComponent
            let metadata = attributes["data-core-metadata"] ?? attributes["data-dist-info-metadata"]
            let metadataHash = metadata.flatMap { $0.hasPrefix("sha256=") ? String($0.dropFirst(7)).lowercased() : nil }
            links.append(IndexLink(
                filename: filename, url: url, sha256: hash, requiresPython: attributes["data-requires-python"].flatMap { $0.isEmpty ? nil : $0 },
                yanked: attributes["data-yanked"] != nil, hasMetadata: metadata != nil && metadata != "false",
                metadataSHA256: metadataHash))
        }
        return links
    }

    /// `name="value"`, `name='value'`, `name=value`, `name` pairs, names lowercased, values unescaped.
    static func attributes(_ tag: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var index = tag.startIndex
        func skipSpaces() { while index < tag.endIndex, tag[index].isWhitespace || tag[index] == "/" { index = tag.index(after: index) } }
        func skipSpacesOnly() { while index < tag.endIndex, tag[index].isWhitespace { index = tag.index(after: index) } }
        while true {
            skipSpaces()
            guard index < tag.endIndex else { break }
            let nameStart = index
            while index < tag.endIndex, !tag[index].isWhitespace, tag[index] != "=" { index = tag.index(after: index) }
            let name = tag[nameStart..<index].lowercased()
            skipSpacesOnly()
            guard index < tag.endIndex, tag[index] == "=" else {
                if !name.isEmpty { result[name] = "" }
                continue
            }
            index = tag.index(after: index)
            skipSpacesOnly()
            var value = ""
            if index < tag.endIndex, tag[index] == "\"" || tag[index] == "'" {
                let quote = tag[index]
                index = tag.index(after: index)
                let valueStart = index
                while index < tag.endIndex, tag[index] != quote { index = tag.index(after: index) }
                value = String(tag[valueStart..<index])
                if index < tag.endIndex { index = tag.index(after: index) }
            } else {
                let valueStart = index
                while index < tag.endIndex, !tag[index].isWhitespace { index = tag.index(after: index) }
                value = String(tag[valueStart..<index])
            }
            result[name] = unescape(value)
        }
        return result
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = text
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&amp;", "&")] {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result
    }

    /// An href resolved against the page, and its `#sha256=` fragment.
    static func resolve(_ href: String, against page: String) -> (String, String?) {
        var link = href
        var hash: String?
        if let fragment = link.firstIndex(of: "#") {
            let text = link[link.index(after: fragment)...]
            if text.hasPrefix("sha256=") { hash = String(text.dropFirst(7)).lowercased() }
            link = String(link[..<fragment])
        }
        let absolute = URL(string: link, relativeTo: URL(string: page))?.absoluteString ?? link
        return (absolute, hash)
    }
}
