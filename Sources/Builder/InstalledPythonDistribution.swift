import Foundation
import Pip
import Python

/// A distribution installed in the image (a `*.dist-info` or `*.egg-info` directory in one of
/// the interpreter's site directories), and what `pip uninstall` would remove for it.
struct InstalledPythonDistribution: Sendable, Hashable {
    /// Normalized (PEP 503).
    var name: String
    var version: String
    /// Image path of the `.dist-info` / `.egg-info` directory.
    var metadataDirectory: String
    var siteDirectory: String

    /// Every distribution in the site directories, the first directory winning for a name (as
    /// `sys.path` order does).
    static func all(in environment: PythonEnvironment, filesystem: ImageFilesystem) -> [String: InstalledPythonDistribution] {
        var result: [String: InstalledPythonDistribution] = [:]
        for site in environment.sitePackages {
            let resolvedSite = filesystem.resolve(site) ?? site
            for entry in filesystem.children(resolvedSite) {
                let directory = (entry.path as NSString).lastPathComponent
                let suffix = directory.hasSuffix(".dist-info") ? ".dist-info" : (directory.hasSuffix(".egg-info") ? ".egg-info" : nil)
                guard let suffix else { continue }
                let stem = directory.dropLast(suffix.count)
                guard let dash = stem.firstIndex(of: "-") else { continue }
                let name = ProjectName.normalize(String(stem[..<dash]))
                let version = String(stem[stem.index(after: dash)...].prefix { $0 != "-" })
                if result[name] == nil {
                    result[name] = InstalledPythonDistribution(name: name, version: version, metadataDirectory: site + "/" + directory, siteDirectory: site)
                }
            }
        }
        return result
    }

    /// The image paths `pip uninstall` removes: every path in `RECORD` (or a legacy egg-info's
    /// `installed-files.txt`), the `.pyc` files of listed modules that exist, the console
    /// scripts, and the metadata directory itself.
    func uninstallPaths(in filesystem: ImageFilesystem, scripts: String) throws -> [String] {
        let isEgg = metadataDirectory.hasSuffix(".egg-info")
        let listing = isEgg ? metadataDirectory + "/installed-files.txt" : metadataDirectory + "/RECORD"
        guard filesystem.entry(metadataDirectory)?.isDirectory == true else {
            throw PipError.cannotUninstall(distribution: "\(name) \(version)", reason: "\(metadataDirectory) is a single file (a distutils install); pip refuses to uninstall it too")
        }
        guard let bytes = try? filesystem.readFile(listing) else {
            throw PipError.cannotUninstall(
                distribution: "\(name) \(version)",
                reason: "\(listing) is missing, so which files belong to it is unknown (pip refuses too); remove its files with a remove: step instead")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let base = isEgg ? metadataDirectory : siteDirectory
        var paths: [String] = [metadataDirectory]
        let listed: [String]
        if isEgg {
            listed = text.split(whereSeparator: \.isNewline).map(String.init)
        } else {
            do {
                listed = try WheelRecord(text).entries.map(\.path)
            } catch {
                throw PipError.cannotUninstall(distribution: "\(name) \(version)", reason: "\(listing): \(error)")
            }
        }
        for item in listed where !item.isEmpty {
            let path = item.hasPrefix("/") ? item : base + "/" + item
            let clean = "/" + ImageFilesystem.components(path).joined(separator: "/")
            paths.append(clean)
            if clean.hasSuffix(".py") {
                let directory = (clean as NSString).deletingLastPathComponent
                let stem = ((clean as NSString).lastPathComponent as NSString).deletingPathExtension
                paths.append(clean + "c")
                paths += filesystem.glob(directory + "/__pycache__/" + stem + ".*.pyc")
            }
        }
        if let entryPoints = try? filesystem.readFile(metadataDirectory + "/entry_points.txt") {
            for script in EntryPoint.scripts(in: String(decoding: entryPoints, as: UTF8.self)) {
                paths.append(scripts + "/" + script.name)
            }
        }
        return paths
    }
}
