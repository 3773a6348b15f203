/// The parts of an image configuration (`application/vnd.oci.image.config.v1+json`) that smimg
/// reads. Writers that change a config edit its JSON so fields unknown here survive.
public struct ImageConfiguration: Hashable, Sendable, Codable {
    public struct Config: Hashable, Sendable, Codable {
        public var User: String?
        public var ExposedPorts: [String: EmptyObject]?
        public var Env: [String]?
        public var Entrypoint: [String]?
        public var Cmd: [String]?
        public var Volumes: [String: EmptyObject]?
        public var WorkingDir: String?
        public var Labels: [String: String]?
        public var StopSignal: String?

        public init() {}
    }

    public struct RootFS: Hashable, Sendable, Codable {
        public var type: String
        public var diff_ids: [Digest]

        public init(diffIDs: [Digest]) {
            type = "layers"
            diff_ids = diffIDs
        }
    }

    public struct History: Hashable, Sendable, Codable {
        public var created: String?
        public var created_by: String?
        public var author: String?
        public var comment: String?
        public var empty_layer: Bool?

        public init(created: String? = nil, createdBy: String? = nil, comment: String? = nil, emptyLayer: Bool? = nil) {
            self.created = created
            self.created_by = createdBy
            self.comment = comment
            self.empty_layer = emptyLayer
        }
    }

    public struct EmptyObject: Hashable, Sendable, Codable {
        public init() {}
    }

    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var variant: String?
    public var config: Config?
    public var rootfs: RootFS
    public var history: [History]?

    public init(platform: Platform, rootfs: RootFS) {
        architecture = platform.architecture
        os = platform.os
        variant = platform.variant
        self.rootfs = rootfs
    }

    public var platform: Platform {
        Platform(os: os, architecture: architecture, variant: variant)
    }
}
