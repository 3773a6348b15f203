import Conda

/// A small repodata-like record for tests; `fn`, `url` and `channel` follow from the arguments.
func record(
    _ name: String, _ version: String, _ build: String = "0", buildNumber: Int? = nil, depends: [String] = [],
    constrains: [String] = [], channel: String = "https://conda.anaconda.org/conda-forge", subdir: String = "linux-64",
    trackFeatures: String? = nil, timestamp: Int64? = nil, md5: String? = nil, sha256: String? = nil
) -> CondaPackageRecord {
    let fn = "\(name)-\(version)-\(build).conda"
    let number = buildNumber ?? Int(build.split(separator: "_").last ?? "") ?? 0
    return CondaPackageRecord(
        name: name, version: version, build: build, buildNumber: number, depends: depends, constrains: constrains,
        subdir: subdir, fn: fn, url: "\(channel)/\(subdir)/\(fn)", channel: channel, md5: md5, sha256: sha256,
        timestamp: timestamp, trackFeatures: trackFeatures)
}
