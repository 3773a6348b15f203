import Testing
@testable import Recipe

@Suite("pip and conda step shapes")
struct PackageStepTests {
    static let sha = String(repeating: "ab", count: 32)

    func pipStep(_ yaml: String) throws -> PipStep? {
        guard case .pip(let pip) = try RecipeText.steps(yaml).first else { return nil }
        return pip
    }

    func condaStep(_ yaml: String) throws -> CondaStep? {
        guard case .conda(let conda) = try RecipeText.steps(yaml).first else { return nil }
        return conda
    }

    @Test func pipInstallItemsAreRequirementsWheelURLsOrWheelFiles() throws {
        let pip = try pipStep("""
              - pip:
                  install:
                    - torch==2.1.0+cu118
                    - "https://example.com/whl/x-1.0-py3-none-any.whl#sha256=\(Self.sha)"
                    - wheels/y-2.0-cp311-cp311-manylinux_2_17_x86_64.whl
                    - {url: "https://example.com/z-1.0-py3-none-any.whl", sha256: "sha256:\(Self.sha.uppercased())"}
                    - {path: wheels/w-1.0-py3-none-any.whl, sha256: \(Self.sha)}
                  index_url: https://pypi.example.com/simple
                  extra_index_urls: https://download.pytorch.org/whl/cu118
                  find_links: [https://data.pyg.org/whl/torch-2.1.0+cu118.html, wheels/]
                  upgrade: true
                  python: /opt/conda/bin/python3
            """)
        let items = try #require(pip?.install)
        #expect(items.count == 5)
        guard case .requirement(let requirement) = items[0].source else {
            Issue.record("not a requirement: \(items[0])")
            return
        }
        #expect(requirement.name == "torch")
        #expect(requirement.specifier == "==2.1.0+cu118")
        #expect(items[1].source == .wheelURL("https://example.com/whl/x-1.0-py3-none-any.whl"))
        #expect(items[1].sha256 == Self.sha)
        guard case .wheelFile(let wheel) = items[2].source else {
            Issue.record("not a wheel file: \(items[2])")
            return
        }
        #expect(wheel.written == "wheels/y-2.0-cp311-cp311-manylinux_2_17_x86_64.whl")
        #expect(items[3].source == .wheelURL("https://example.com/z-1.0-py3-none-any.whl"))
        #expect(items[3].sha256 == Self.sha)
        #expect(items[4].sha256 == Self.sha)
        #expect(items[4].location.field == "steps[0].pip.install[4]")
        #expect(pip?.indexURL == "https://pypi.example.com/simple")
        #expect(pip?.extraIndexURLs == ["https://download.pytorch.org/whl/cu118"])
        #expect(pip?.findLinks.map(\.description) == ["https://data.pyg.org/whl/torch-2.1.0+cu118.html", "wheels"])
        #expect(pip?.upgrade == true)
        #expect(pip?.python == "/opt/conda/bin/python3")
    }

    @Test func requirementStringsAreSplitIntoTheirParts() throws {
        let parsed = try PipRequirement.parse("Requests[socks, security] >= 2.31 , <3 ; python_version >= \"3.8\"").get()
        #expect(parsed.name == "Requests")
        #expect(parsed.normalizedName == "requests")
        #expect(parsed.extras == ["socks", "security"])
        #expect(parsed.specifier == ">=2.31,<3")
        #expect(parsed.marker == "python_version >= \"3.8\"")
        let direct = try PipRequirement.parse("pkg @ https://example.com/pkg-1.0-py3-none-any.whl").get()
        #expect(direct.url == "https://example.com/pkg-1.0-py3-none-any.whl")
        #expect((try? PipRequirement.parse("torch=2.1").get()) == nil)
        #expect((try? PipRequirement.parse("-e .").get()) == nil)
    }

    @Test func uninstallNamesAreComparedInTheirNormalForm() throws {
        let pip = try pipStep("  - pip: {uninstall: [Torch_Vision, torch.audio], missing_ok: true}\n")
        #expect(pip?.uninstall.map(\.normalized) == ["torch-vision", "torch-audio"])
        #expect(pip?.missingOK == true)
    }

    @Test func pipAndCondaStepsThatDoNothingAreRefused() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - pip: {upgrade: true}\n") == [
            "recipe.yml:4:10: steps[0].pip: the pip step does nothing; give install, uninstall, or both",
        ])
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - conda: {channels: [conda-forge]}\n") == [
            "recipe.yml:4:12: steps[0].conda: the conda step does nothing; give install, remove or explicit",
        ])
    }

    @Test func versionControlAndUnpinnedShapesAreExplained() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - pip: {install: [\"git+https://github.com/x/y\"]}\n") == [
            "recipe.yml:4:21: steps[0].pip.install[0]: \"git+https://github.com/x/y\" is a version-control URL; smimg installs wheels only; build a wheel and list its URL or path",
        ])
    }

    @Test func condaItemsAreSpecsPackageURLsOrPackageFiles() throws {
        let md5 = String(repeating: "0f", count: 16)
        let conda = try condaStep("""
              - conda:
                  install:
                    - faiss-gpu=1.7.2
                    - conda-forge::numpy>=1.24,<2
                    - "pytorch 2.1.0 py3.10_cuda11.8*"
                    - https://conda.anaconda.org/conda-forge/linux-64/zstd-1.5.5-hfc55251_0.conda#\(md5)
                    - pkgs/local-1.0-0.tar.bz2
                    - {url: "https://example.com/noarch/x-1.0-py_0.tar.bz2", sha256: \(Self.sha)}
                  remove: [PyTorch]
                  channels: [conda-forge, "https://conda.example.com/channel/", nvidia/label/cuda-11.8.0]
                  prefix: /opt/conda
            """)
        let items = try #require(conda?.install)
        guard case .spec(let spec) = items[1].source else {
            Issue.record("not a spec: \(items[1])")
            return
        }
        #expect(spec.channel == "conda-forge")
        #expect(spec.name == "numpy")
        #expect(spec.constraint == ">=1.24,<2")
        guard case .spec(let spaced) = items[2].source else { return }
        #expect(spaced.name == "pytorch")
        #expect(items[3].source == .packageURL("https://conda.anaconda.org/conda-forge/linux-64/zstd-1.5.5-hfc55251_0.conda"))
        #expect(items[3].md5 == md5)
        guard case .packageFile(let file) = items[4].source else { return }
        #expect(file.written == "pkgs/local-1.0-0.tar.bz2")
        #expect(items[5].sha256 == Self.sha)
        #expect(conda?.remove.map(\.name) == ["pytorch"])
        #expect(conda?.channels == [.name("conda-forge"), .url("https://conda.example.com/channel"), .name("nvidia/label/cuda-11.8.0")])
        #expect(conda?.prefix == "/opt/conda")
    }

    @Test func explicitListsAreNotMixedWithInstall() {
        #expect(RecipeText.problems("image: a:1\nbase: scratch\nsteps:\n  - conda: {explicit: env.txt, install: [x]}\n") == [
            "recipe.yml:4:23: steps[0].conda.explicit: an explicit list already names every package to install; use either explicit or install, or put them in separate steps",
        ])
    }

    @Test func malformedCondaItemsAreRefused() {
        #expect(RecipeText.problems("""
            image: a:1
            base: scratch
            steps:
              - conda:
                  install: ["numpy'>=1'", "https://example.com/x-1.0-0.conda#nothex"]
                  channels: ["bad channel"]
            """) == [
            "recipe.yml:5:17: steps[0].conda.install[0]: invalid package spec \"numpy'>=1'\"; write e.g. \"faiss-gpu\", \"faiss-gpu=1.7.2\" or \"conda-forge::numpy>=1.24\"",
            "recipe.yml:5:31: steps[0].conda.install[1]: the URL fragment must be an md5 (32 hexadecimal digits) or sha256= followed by 64 (got #nothex)",
            "recipe.yml:6:18: steps[0].conda.channels[0]: expected a channel name like conda-forge or a channel URL, got \"bad channel\"",
        ])
    }
}
