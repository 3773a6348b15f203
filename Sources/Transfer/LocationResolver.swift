import Layout
import OCI
import Registry

/// Opens image locations as sources and destinations, with the registry client of their side.
public struct LocationResolver: Sendable {
    public let registry: RegistryClient

    public init(registry: RegistryClient) {
        self.registry = registry
    }

    public func source(_ location: ImageLocation) throws -> any ImageSource {
        switch location {
        case .registry(let reference):
            return RegistryImageSource(reference: reference, client: registry)
        case .ociLayout(let path, let tag):
            return OCILayoutSource(path: path, tag: tag)
        case .dockerArchive:
            throw LayoutError.unsupported("reading docker-archive tarballs is not supported; copy from docker:// or oci:")
        }
    }

    public func destination(_ location: ImageLocation) throws -> any ImageDestination {
        switch location {
        case .registry(let reference):
            return RegistryImageDestination(reference: reference, client: registry)
        case .ociLayout(let path, let tag):
            return try OCILayoutDestination(path: path, tag: tag)
        case .dockerArchive(let path, let reference):
            return try DockerArchiveDestination(path: path, reference: reference)
        }
    }
}
