/// Where a wheel's parts go in the image (absolute image paths), and the interpreter new scripts
/// name in their `#!` line.
public struct InstallScheme: Sendable, Hashable {
    public var purelib: String
    public var platlib: String
    public var scripts: String
    public var data: String
    /// `include/pythonX.Y`; a wheel's headers go into `<headers>/<project name>`, as pip does.
    public var headers: String
    public var interpreter: String

    public init(purelib: String, platlib: String, scripts: String, data: String, headers: String, interpreter: String) {
        self.purelib = purelib
        self.platlib = platlib
        self.scripts = scripts
        self.data = data
        self.headers = headers
        self.interpreter = interpreter
    }

    /// The image directory for a `.data/<key>/` subdirectory, nil for an unknown key.
    func directory(for key: String, project: String) -> String? {
        switch key {
        case "purelib": return purelib
        case "platlib": return platlib
        case "scripts": return scripts
        case "data": return data
        case "headers": return headers + "/" + project
        default: return nil
        }
    }
}
