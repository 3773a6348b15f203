// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "smimg",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "smimg", targets: ["smimg"]),
        .library(name: "OCI", targets: ["OCI"]),
        .library(name: "Archive", targets: ["Archive"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "AWS", targets: ["AWS"]),
        .library(name: "Layout", targets: ["Layout"]),
        .library(name: "Transfer", targets: ["Transfer"]),
        .library(name: "Catalog", targets: ["Catalog"]),
        .library(name: "Recipe", targets: ["Recipe"]),
        .library(name: "Builder", targets: ["Builder"]),
        .library(name: "Fetch", targets: ["Fetch"]),
        .library(name: "Python", targets: ["Python"]),
        .library(name: "Pip", targets: ["Pip"]),
        .library(name: "Conda", targets: ["Conda"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CISAL", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // Content model: digests, descriptors, manifests, references, the image abstraction.
        .target(name: "OCI", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Tar and compression: libarchive, ISA-L gzip, zstd; the layer writer.
        .target(name: "Archive", dependencies: [
            "OCI", "CArchive", "CISAL", "CZstd",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Registry v2 client: auth, blobs, manifests, tags.
        .target(name: "Registry", dependencies: [
            "OCI",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // AWS: credentials, SigV4, partitions, ECR API.
        .target(name: "AWS", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Image locations on disk: OCI image layout directories and docker-archive tarballs.
        .target(name: "Layout", dependencies: [
            "OCI", "Archive",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Copy engine: locations, bounded-concurrency transfers, progress.
        .target(name: "Transfer", dependencies: [
            "OCI", "Registry", "Layout", "AWS", "Archive", "Catalog",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // AWS Deep Learning Container base images: base-images.json and the URI resolver.
        .target(name: "Catalog"),
        // Build recipes: YAML parsing with file:line:column errors, validation, the step model.
        .target(name: "Recipe", dependencies: [
            "OCI", "Catalog",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Plain HTTP(S) downloads for package indexes and artifacts: hash-pinned, retried,
        // resumed, streamed to disk.
        .target(name: "Fetch", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Python packaging rules, pure: PEP 440 versions, PEP 508 requirements and markers,
        // wheel names and tags (PEP 425/600), core metadata, the target interpreter.
        .target(name: "Python"),
        // pip's job without pip: package indexes (PEP 503/691/658, find-links), the resolver.
        .target(name: "Pip", dependencies: ["Python", "Fetch", "Archive", "OCI"]),
        // conda's job without conda: versions, match specs, channels and repodata, the solver.
        .target(name: "Conda", dependencies: ["Fetch", "Archive", "OCI"]),
        // `smimg build`: base filesystem view, step layers, image assembly, build cache.
        .target(name: "Builder", dependencies: [
            "OCI", "Archive", "Recipe", "Catalog", "Registry", "Layout", "Transfer", "Fetch", "Python", "Pip", "Conda",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The command-line tool: thin.
        .executableTarget(name: "smimg", dependencies: [
            "OCI", "Archive", "Registry", "Layout", "Transfer", "AWS", "Catalog", "Recipe", "Builder", "Fetch", "Pip",
            "Conda", "Python",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "TestSupport", dependencies: ["OCI"], path: "Tests/TestSupport"),
        .testTarget(name: "OCITests", dependencies: ["OCI", "TestSupport"]),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "OCI", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "OCI", "TestSupport"]),
        .testTarget(name: "AWSTests", dependencies: [
            "AWS", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "TestSupport"]),
        .testTarget(name: "RecipeTests", dependencies: ["Recipe", "TestSupport"]),
        .testTarget(name: "BuilderTests", dependencies: ["Builder", "Archive", "Recipe", "OCI", "TestSupport"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "TestSupport"]),
        .testTarget(name: "PythonTests", dependencies: ["Python", "TestSupport"]),
        .testTarget(name: "PipTests", dependencies: ["Pip", "Python", "Fetch", "Archive", "OCI", "TestSupport"]),
        .testTarget(name: "CondaTests", dependencies: ["Conda", "Fetch", "Archive", "OCI", "TestSupport"]),
        .testTarget(name: "TransferTests", dependencies: ["Transfer", "Registry", "Layout", "OCI", "AWS", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
