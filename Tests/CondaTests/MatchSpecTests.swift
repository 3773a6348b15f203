import Conda
import Testing

@Suite struct MatchSpecTests {
    let numpy171 = record("numpy", "1.7.1", "py27_0")

    /// `test_match_1` in conda's `test_match_spec.py`: each spec against numpy-1.7.1-py27_0.
    @Test(arguments: [
        ("numpy 1.7*", true), ("numpy 1.7.1", true), ("numpy 1.7", false), ("numpy 1.5*", false),
        ("numpy >=1.5", true), ("numpy >=1.5,<2", true), ("numpy >=1.8,<1.9", false), ("numpy >1.5,<2,!=1.7.1", false),
        ("numpy >1.8,<2|==1.7", false), ("numpy >1.8,<2|>=1.7.1", true), ("numpy >=1.8|1.7*", true),
        ("numpy ==1.7", false), ("numpy >=1.5,>1.6", true), ("numpy ==1.7.1", true), ("numpy ==1.7.1.0", true),
        ("numpy==1.7.1.0.0", true), ("numpy >=1,*.7.*", true), ("numpy *.7.*,>=1", true), ("numpy >=1,*.8.*", false),
        ("numpy >=2,*.7.*", false), ("numpy 1.6*|1.7*", true), ("numpy 1.6*|1.8*", false), ("numpy 1.6.2|1.7*", true),
        ("numpy 1.6.2|1.7.1", true), ("numpy 1.6.2|1.7.0", false), ("numpy 1.7.1 py27_0", true),
        ("numpy 1.7.1 py26_0", false), ("numpy >1.7.1a", true), ("python", false),
    ])
    func condasMatchTable(_ spec: String, _ expected: Bool) throws {
        #expect(try MatchSpec(spec).matches(numpy171) == expected)
    }

    @Test func nameOnly() throws {
        let spec = try MatchSpec("faiss-gpu")
        #expect(spec.name == "faiss-gpu")
        #expect(spec.version == nil)
        #expect(spec.build == nil)
        #expect(spec.matches(record("faiss-gpu", "1.7.2", "py310_0")))
        #expect(!spec.matches(record("faiss-cpu", "1.7.2", "py310_0")))
        #expect(try MatchSpec("FAISS-GPU").matches(record("faiss-gpu", "1", "0")))
    }

    @Test func singleEqualsIsFuzzyDoubleEqualsIsExact() throws {
        let fuzzy = try MatchSpec("faiss-gpu=1.7")
        #expect(fuzzy.matches(record("faiss-gpu", "1.7.2", "0")))
        #expect(fuzzy.matches(record("faiss-gpu", "1.7", "0")))
        #expect(!fuzzy.matches(record("faiss-gpu", "1.8.0", "0")))
        let exact = try MatchSpec("faiss-gpu==1.7")
        #expect(!exact.matches(record("faiss-gpu", "1.7.2", "0")))
        #expect(exact.matches(record("faiss-gpu", "1.7.0", "0")))
        let pinned = try MatchSpec("faiss-gpu=1.7.2")
        #expect(pinned.matches(record("faiss-gpu", "1.7.2", "py310_0")))
        #expect(!pinned.matches(record("faiss-gpu", "1.7.20", "py310_0")))
        let cuda = try MatchSpec("cudatoolkit=11.1")
        #expect(cuda.matches(record("cudatoolkit", "11.1.74", "h6bb024c_0")))
        #expect(!cuda.matches(record("cudatoolkit", "11.2.72", "h2bc3f7f_0")))
        #expect(!cuda.matches(record("cudatoolkit", "11.10", "0")))
    }

    @Test func versionAndBuildWithEquals() throws {
        let spec = try MatchSpec("faiss-gpu=1.7.2=py310_0")
        #expect(spec.version == (try VersionSpec("==1.7.2")))
        #expect(spec.build == "py310_0")
        #expect(spec.matches(record("faiss-gpu", "1.7.2", "py310_0")))
        #expect(!spec.matches(record("faiss-gpu", "1.7.2", "py39_0")))
        #expect(!spec.matches(record("faiss-gpu", "1.7.2.1", "py310_0")))
        // With a build, `=1.7` is exact, as conda canonicalises `numpy=1.7=py3*_2` to `numpy==1.7[build=py3*_2]`.
        #expect(try !MatchSpec("numpy=1.7=py3*_2").matches(record("numpy", "1.7.1", "py37_2")))
        #expect(try MatchSpec("numpy=1.7=py3*_2").matches(record("numpy", "1.7", "py37_2")))
        #expect(try MatchSpec("numpy=1.7.*=py3*_2").matches(record("numpy", "1.7.1", "py37_2")))
    }

    @Test func relationalAndSpaceSeparatedForms() throws {
        let spec = try MatchSpec("numpy>=1.20")
        #expect(spec.name == "numpy")
        #expect(spec.matches(record("numpy", "1.26.4", "py310h_0")))
        #expect(!spec.matches(record("numpy", "1.19.5", "py310h_0")))
        let python = try MatchSpec("python 3.10.*")
        #expect(python.matches(record("python", "3.10.13", "hd12c33a_0_cpython")))
        #expect(!python.matches(record("python", "3.11.0", "h_0")))
        let depends = try MatchSpec("python >=3.10,<3.11.0a0")
        #expect(depends.matches(record("python", "3.10.13", "h_0")))
        #expect(!depends.matches(record("python", "3.11.0rc1", "h_0")))
        #expect(try MatchSpec("numpy >=1.0 , < 2.0 py34_0").build == "py34_0")
        #expect(try MatchSpec("numpy >=1.0 , < 2.0 py34_0").version == VersionSpec(">=1.0,<2.0"))
        #expect(try MatchSpec("numpy !=1.10 py38_0").build == "py38_0")
        #expect(try MatchSpec("numpy ~=1.10.1 py38_0").build == "py38_0")
        #expect(try MatchSpec("numpy ~=1.10.1").version == VersionSpec("~=1.10.1"))
        #expect(try MatchSpec("numpy >1.8,<2|==1.7").build == nil)
        #expect(try MatchSpec("blas * openblas_0").matches(record("blas", "1.0", "openblas_0")))
    }

    @Test func nameVersionAndBuildGlob() throws {
        let spec = try MatchSpec("pytorch 2.1.* *cuda*")
        #expect(spec.name == "pytorch")
        #expect(spec.version == (try VersionSpec("2.1.*")))
        #expect(spec.build == "*cuda*")
        #expect(spec.matches(record("pytorch", "2.1.2", "cuda118_py310h_300")))
        #expect(!spec.matches(record("pytorch", "2.1.2", "cpu_py310h_0")))
        #expect(!spec.matches(record("pytorch", "2.2.0", "cuda118_py310h_300")))
        #expect(try MatchSpec("numpy >=1.0.1a py27*").matches(record("numpy", "1.0.1z", "py27_1")))
        #expect(try MatchSpec("numpy[build='^py27_[0-9]$']").matches(record("numpy", "1", "py27_1")))
        #expect(try !MatchSpec("numpy[build='^py27_[0-9]$']").matches(record("numpy", "1", "py27_10")))
    }

    @Test func channelPrefix() throws {
        let spec = try MatchSpec("conda-forge::faiss-gpu")
        #expect(spec.channel == "conda-forge")
        #expect(spec.name == "faiss-gpu")
        #expect(spec.matches(record("faiss-gpu", "1.7.2", "0", channel: "https://conda.anaconda.org/conda-forge")))
        #expect(!spec.matches(record("faiss-gpu", "1.7.2", "0", channel: "https://conda.anaconda.org/pytorch")))
        let withSubdir = try MatchSpec("conda-forge/linux-64::numpy >=1.20")
        #expect(withSubdir.channel == "conda-forge")
        #expect(withSubdir.subdir == "linux-64")
        #expect(!withSubdir.matches(record("numpy", "1.26", "0", subdir: "osx-64")))
        let url = try MatchSpec("https://repo.anaconda.com/pkgs/main::numpy")
        #expect(url.channel == "https://repo.anaconda.com/pkgs/main")
        #expect(url.matches(record("numpy", "1", "0", channel: "https://repo.anaconda.com/pkgs/main/")))
        #expect(try MatchSpec("pkgs/main::numpy").matches(record("numpy", "1", "0", channel: "https://repo.anaconda.com/pkgs/main")))
        #expect(try MatchSpec("*/win-32::numpy").channel == nil)
        #expect(try MatchSpec("*/win-32::numpy").subdir == "win-32")
    }

    @Test func bracketForm() throws {
        let spec = try MatchSpec("numpy[version='>=1.20',build=py*]")
        #expect(spec.version == (try VersionSpec(">=1.20")))
        #expect(spec.build == "py*")
        #expect(spec.matches(record("numpy", "1.26.4", "py310h_0")))
        #expect(!spec.matches(record("numpy", "1.26.4", "h_0")))
        #expect(try MatchSpec("numpy[version=1.7]").version == VersionSpec("==1.7"))
        #expect(try MatchSpec("numpy[version='1.7.*']").version == VersionSpec("1.7*"))
        #expect(try MatchSpec(#"numpy[version="1.7,1.8"]"#).version == VersionSpec("1.7,1.8"))
        #expect(try MatchSpec("numpy[version=1.10 build=py38_0]").build == "py38_0")
        // Brackets override the positional parts.
        #expect(try MatchSpec("numpy 1.7 [version='>=2']").version == VersionSpec(">=2"))
        let channel = try MatchSpec("numpy[channel=conda-forge,subdir=noarch]")
        #expect(channel.channel == "conda-forge")
        #expect(channel.subdir == "noarch")
    }

    @Test func buildNumberHashesAndFileName() throws {
        let spec = try MatchSpec("numpy[build_number='>=2']")
        #expect(spec.matches(record("numpy", "1", "h_2")))
        #expect(!spec.matches(record("numpy", "1", "h_1")))
        #expect(try MatchSpec("numpy[build_number=1]").matches(record("numpy", "1", "h_1")))
        let md5 = try MatchSpec("numpy[md5=ABC]")
        #expect(md5.matches(record("numpy", "1", "0", md5: "abc")))
        #expect(!md5.matches(record("numpy", "1", "0", md5: "abd")))
        #expect(!md5.matches(record("numpy", "1", "0")))
        #expect(try MatchSpec("numpy[sha256=ff]").matches(record("numpy", "1", "0", sha256: "FF")))
        #expect(try MatchSpec("numpy[fn=numpy-1-0.conda]").matches(record("numpy", "1", "0")))
    }

    @Test func packageURLsAreExact() throws {
        let spec = try MatchSpec("https://conda.anaconda.org/conda-forge/linux-64/faiss-gpu-1.7.2-py310_0.tar.bz2")
        #expect(spec.name == "faiss-gpu")
        #expect(spec.version == (try VersionSpec("==1.7.2")))
        #expect(spec.build == "py310_0")
        #expect(spec.channel == "https://conda.anaconda.org/conda-forge")
        #expect(spec.subdir == "linux-64")
        #expect(spec.fileName == "faiss-gpu-1.7.2-py310_0.tar.bz2")
        let epoch = try MatchSpec("https://anaconda.org/conda-forge/linux-64/x264-1%21164.3095-h166bdaf_2.tar.bz2")
        #expect(epoch.version == (try VersionSpec("1!164.3095")))
    }

    @Test func commentsAndWhitespaceAreIgnored() throws {
        #expect(try MatchSpec("numpy >= 1.20").version == VersionSpec(">=1.20"))
        #expect(try MatchSpec("  numpy >=1.20  # the array library").version == VersionSpec(">=1.20"))
    }

    @Test func rejectsMalformedSpecs() {
        for bad in ["", "# only a comment", "blas [optional", "blas [test=]", #"blas[invalid="1"]"#,
            "numpy >=1.20,", "=1.2", "num$py", "numpy[build_number=x]", "numpy[version='1.2]"]
        {
            #expect(throws: MatchSpecError.self, "\(bad)") { try MatchSpec(bad) }
        }
    }

    @Test func errorsNameTheSpec() {
        #expect {
            try MatchSpec("numpy >=1..2")
        } throws: { error in
            "\(error)".contains("numpy >=1..2")
        }
    }

    @Test func descriptionParsesBackToAnEqualSpec() throws {
        for text in [
            "numpy", "numpy=1.7", "numpy==1.7", "numpy >=1.7,<2|>3", "pytorch 2.1.* *cuda*", "conda-forge::faiss-gpu=1.7.2=py310_0",
            "conda-forge/linux-64::numpy", "numpy[subdir=osx-64]", "numpy[build_number='>=2',md5=abc]", "numpy * py310*",
            "https://conda.anaconda.org/conda-forge/linux-64/faiss-gpu-1.7.2-py310_0.tar.bz2",
        ] {
            let spec = try MatchSpec(text)
            #expect(try MatchSpec(spec.description) == spec, "\(text) → \(spec.description)")
        }
        #expect(try MatchSpec("numpy=1.7").description == "numpy 1.7.*")
        #expect(try MatchSpec("numpy==1.7").description == "numpy 1.7")
        #expect(try MatchSpec("conda-forge::faiss-gpu=1.7.2=py310_0").description == "conda-forge::faiss-gpu 1.7.2 py310_0")
        #expect(try MatchSpec("numpy").written == "numpy")
        #expect(try MatchSpec("numpy *") == MatchSpec("numpy"))
    }
}
