import Catalog
import Foundation
import OCI
import Yams

/// What `smimg mirror --config FILE` copies: from one source registry to one destination
/// registry, a list of repositories with the tags to take, each side with its own credentials.
///
/// ```yaml
/// source:
///   registry: 763104351884.dkr.ecr.us-east-1.amazonaws.com
///   profile: global               # AWS profile for an ECR side (or creds: USER:PASSWORD)
/// destination:
///   registry: 123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn
///   profile: china
///   prefix: mirror/               # put before every destination repository name
/// images:
///   - repository: pytorch-training
///     tags: [2.1.0-gpu-py310-cu118-ubuntu20.04-sagemaker]
///   - repository: pytorch-inference
///     to: dlc/pytorch-inference   # another name in the destination (prefix not added)
///     tag_regex: '^2\.[0-9]+\.[0-9]+-gpu-.*-sagemaker$'
///     semver: '>=2.1, <2.4'
///     latest: 2
///     platform: linux/amd64       # only this platform of an index
/// ```
public struct MirrorConfiguration: Sendable {
    public struct Side: Sendable {
        public var registry: String
        public var profile: String?
        /// `USER:PASSWORD`.
        public var creds: String?
        /// Destination only: put before every repository name.
        public var prefix: String?

        public init(registry: String, profile: String? = nil, creds: String? = nil, prefix: String? = nil) {
            self.registry = registry
            self.profile = profile
            self.creds = creds
            self.prefix = prefix
        }
    }

    public struct Entry: Sendable {
        public var repository: String
        /// The destination repository name, instead of prefix + repository.
        public var renamed: String?
        public var selection: TagSelection
        public var platform: Platform?

        public init(repository: String, renamed: String? = nil, selection: TagSelection, platform: Platform? = nil) {
            self.repository = repository
            self.renamed = renamed
            self.selection = selection
            self.platform = platform
        }
    }

    public var source: Side
    public var destination: Side
    public var images: [Entry]

    public init(source: Side, destination: Side, images: [Entry]) {
        self.source = source
        self.destination = destination
        self.images = images
    }

    /// The destination repository of an entry: its `to`, else the prefix and its name.
    public func destinationRepository(for entry: Entry) -> String {
        if let renamed = entry.renamed { return renamed }
        return (destination.prefix ?? "") + entry.repository
    }

    // MARK: Reading

    public static func load(path: String) throws(MirrorConfigurationError) -> MirrorConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String = "mirror.yml") throws(MirrorConfigurationError) -> MirrorConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            if case .scanner(_, _, let mark, _) = error {
                throw .located(file: file, line: mark.line, column: mark.column, field: "(document)", message: "not valid YAML")
            }
            if case .parser(_, _, let mark, _) = error {
                throw .located(file: file, line: mark.line, column: mark.column, field: "(document)", message: "not valid YAML")
            }
            throw .located(file: file, line: 1, column: 1, field: "(document)", message: "not valid YAML: \(error)")
        } catch {
            throw .located(file: file, line: 1, column: 1, field: "(document)", message: "not valid YAML: \(error)")
        }
        guard let root else {
            throw .located(file: file, line: 1, column: 1, field: "(document)", message: "the file is empty")
        }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(root, at: "", allowed: ["source", "destination", "images"])
        let source = try reader.side(reader.required(top, "source", in: root, at: ""), at: "source", allowsPrefix: false)
        let destination = try reader.side(
            reader.required(top, "destination", in: root, at: ""), at: "destination", allowsPrefix: true)
        let imagesNode = try reader.required(top, "images", in: root, at: "")
        guard case .sequence(let sequence) = imagesNode, !sequence.isEmpty else {
            throw reader.error(imagesNode, "images", "must be a list of repositories with their tags")
        }
        var images: [Entry] = []
        for (index, node) in sequence.enumerated() {
            images.append(try reader.entry(node, at: "images[\(index)]"))
        }
        return MirrorConfiguration(source: source, destination: destination, images: images)
    }
}

/// Reads the configuration's nodes with errors that say where.
private struct NodeReader {
    let file: String

    func error(_ node: Node, _ field: String, _ message: String) -> MirrorConfigurationError {
        .located(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: field, message: message)
    }

    func mapping(_ node: Node, at path: String, allowed: [String]) throws(MirrorConfigurationError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw error(node, path.isEmpty ? "(document)" : path, "must be a mapping of \(allowed.joined(separator: ", "))")
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            let name = key.scalar?.string ?? "?"
            let field = path.isEmpty ? name : "\(path).\(name)"
            guard allowed.contains(name) else {
                let near = allowed.min { Levenshtein.distance($0, name) < Levenshtein.distance($1, name) }
                let hint = near.map { Levenshtein.distance($0, name) <= 3 ? "; did you mean '\($0)'?" : "" } ?? ""
                throw error(key, field, "unknown key (allowed: \(allowed.joined(separator: ", ")))\(hint)")
            }
            result[name] = value
        }
        return result
    }

    func required(_ fields: [String: Node], _ key: String, in parent: Node, at path: String) throws(MirrorConfigurationError) -> Node {
        guard let node = fields[key] else { throw error(parent, path.isEmpty ? key : "\(path).\(key)", "is required") }
        return node
    }

    func string(_ node: Node?, at field: String) throws(MirrorConfigurationError) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw error(node, field, "must be a non-empty string") }
        return scalar.string
    }

    func side(_ node: Node, at path: String, allowsPrefix: Bool) throws(MirrorConfigurationError) -> MirrorConfiguration.Side {
        let keys = ["registry", "profile", "creds"] + (allowsPrefix ? ["prefix"] : [])
        let fields = try mapping(node, at: path, allowed: keys)
        guard let registry = try string(fields["registry"], at: "\(path).registry") else {
            throw error(node, "\(path).registry", "is required (a registry host, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com)")
        }
        if registry.contains("/") {
            throw error(fields["registry"]!, "\(path).registry", "is a host only; put repository prefixes in destination.prefix")
        }
        let creds = try string(fields["creds"], at: "\(path).creds")
        if let creds, !creds.contains(":") { throw error(fields["creds"]!, "\(path).creds", "must be USER:PASSWORD") }
        return MirrorConfiguration.Side(
            registry: registry, profile: try string(fields["profile"], at: "\(path).profile"), creds: creds,
            prefix: try string(fields["prefix"], at: "\(path).prefix"))
    }

    func entry(_ node: Node, at path: String) throws(MirrorConfigurationError) -> MirrorConfiguration.Entry {
        let fields = try mapping(
            node, at: path, allowed: ["repository", "to", "tags", "tag_regex", "semver", "latest", "platform"])
        guard let repository = try string(fields["repository"], at: "\(path).repository") else {
            throw error(node, "\(path).repository", "is required")
        }
        var tags: [String] = []
        if let tagsNode = fields["tags"] {
            guard case .sequence(let sequence) = tagsNode else { throw error(tagsNode, "\(path).tags", "must be a list of tags") }
            for (index, tagNode) in sequence.enumerated() {
                guard let tag = try string(tagNode, at: "\(path).tags[\(index)]") else { continue }
                tags.append(tag)
            }
        }
        let pattern = try string(fields["tag_regex"], at: "\(path).tag_regex")
        var range: VersionRange?
        if let text = try string(fields["semver"], at: "\(path).semver") {
            do { range = try VersionRange(parsing: text) } catch { throw self.error(fields["semver"]!, "\(path).semver", error.description) }
        }
        var latest: Int?
        if let latestNode = fields["latest"] {
            guard let value = latestNode.scalar.flatMap({ Int($0.string) }) else {
                throw error(latestNode, "\(path).latest", "must be a whole number")
            }
            latest = value
        }
        var platform: Platform?
        if let text = try string(fields["platform"], at: "\(path).platform") {
            do { platform = try Platform(parsing: text) } catch {
                throw self.error(fields["platform"]!, "\(path).platform", "'\(text)' is not os/arch[/variant]")
            }
        }
        let selection: TagSelection
        do {
            selection = try TagSelection(tags: tags, pattern: pattern, range: range, latest: latest)
        } catch {
            let field: String
            switch error {
            case .invalidPattern: field = "\(path).tag_regex"
            case .invalidValue(let name, _): field = "\(path).\(name)"
            default: field = path
            }
            let message: String
            if case .invalidValue(_, let text) = error { message = text } else { message = error.description }
            throw self.error(fields[field.components(separatedBy: ".").last ?? ""] ?? node, field, message)
        }
        return MirrorConfiguration.Entry(
            repository: repository, renamed: try string(fields["to"], at: "\(path).to"), selection: selection, platform: platform)
    }
}
