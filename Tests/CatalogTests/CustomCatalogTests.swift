import Foundation
import Testing
import TestSupport
@testable import Catalog

@Suite("Custom catalogs (--catalog FILE, SMIMG_CATALOG)")
struct CustomCatalogTests {
    static let overlay = #"""
    {
      "regions": {
        "xx-test-1": {"partition": "aws", "name": "Test", "dlcAccount": "123456789012"},
        "cn-north-1": {"dlcAccount": "111122223333"}
      },
      "repositories": {
        "pytorch-training": {
          "versions": {
            "9.9.0": {"python": ["py313"], "os": ["ubuntu24.04"], "processors": {"gpu": {"cuda": ["cu140"]}}}
          }
        },
        "my-team/pytorch": {
          "tagFormat": "framework",
          "variants": [],
          "versions": {"1.0.0": {"python": ["py312"], "os": ["ubuntu22.04"], "processors": {"cpu": {}}}}
        }
      }
    }
    """#

    func write(_ text: String, in directory: TemporaryDirectory, name: String = "catalog.json") throws -> String {
        let url = directory.appending(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func mergedCatalogAddsRegionsVersionsAndRepositoriesAndKeepsTheRest() throws {
        let directory = try TemporaryDirectory("catalog")
        defer { directory.remove() }
        let catalog = try Catalog.load(customFile: try write(Self.overlay, in: directory), environment: [:])
        let resolver = DLCResolver(catalog: catalog)

        #expect(try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "9.9", region: "xx-test-1")).uri
            == "123456789012.dkr.ecr.xx-test-1.amazonaws.com/pytorch-training:9.9.0-gpu-py313-cu140-ubuntu24.04-sagemaker")
        #expect(try resolver.resolve(DLCSpec(repository: "my-team/pytorch", region: "us-east-1")).tag == "1.0.0-cpu-py312-ubuntu22.04")
        // An overridden field replaces only that field: cn-north-1 keeps its partition and suffix.
        #expect(try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.1", region: "cn-north-1")).registryHost
            == "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn")
        // Built-in versions and regions are still there.
        #expect(try resolver.resolve(DLCSpec(repository: "pytorch-training", version: "2.9", region: "af-south-1")).account == "626614931356")
        #expect(catalog.origin.hasSuffix("(merged)"))
    }

    @Test func replacingCatalogIsUsedOnItsOwn() throws {
        let directory = try TemporaryDirectory("catalog")
        defer { directory.remove() }
        let replacement = #"""
        {
          "mode": "replace",
          "partitions": {"aws": {"dnsSuffix": "amazonaws.com", "registryHost": "{account}.dkr.ecr.{region}.{dnsSuffix}"}},
          "regions": {"us-east-1": {"partition": "aws", "dlcAccount": "123456789012"}},
          "variants": {},
          "tagFormats": {"plain": {"full": "{version}-{processor}"}},
          "repositories": {"mirror/base": {"tagFormat": "plain", "versions": {"1.0": {"processors": {"cpu": {}}}}}}
        }
        """#
        let catalog = try Catalog.load(customFile: try write(replacement, in: directory), environment: [:])
        let resolver = DLCResolver(catalog: catalog)
        #expect(try resolver.resolve(DLCSpec(repository: "mirror/base", region: "us-east-1")).uri
            == "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/base:1.0-cpu")
        #expect(throws: CatalogError.self) { try resolver.resolve(DLCSpec(repository: "pytorch-training", region: "us-east-1")) }
        #expect(catalog.regionNames == ["us-east-1"])
    }

    @Test func environmentVariableNamesTheCatalogAndTheFlagWins() throws {
        let directory = try TemporaryDirectory("catalog")
        defer { directory.remove() }
        let fromEnvironment = try write(Self.overlay, in: directory, name: "env.json")
        let fromFlag = try write(#"{"regions": {"yy-flag-1": {"partition": "aws", "dlcAccount": "999999999999"}}}"#, in: directory, name: "flag.json")

        let viaEnvironment = try Catalog.load(environment: [Catalog.environmentVariable: fromEnvironment])
        #expect(viaEnvironment.regions["xx-test-1"] != nil)

        let viaFlag = try Catalog.load(customFile: fromFlag, environment: [Catalog.environmentVariable: fromEnvironment])
        #expect(viaFlag.regions["yy-flag-1"] != nil)
        #expect(viaFlag.regions["xx-test-1"] == nil)

        let builtIn = try Catalog.load(environment: [Catalog.environmentVariable: ""])
        #expect(builtIn.origin == "built-in")
    }

    @Test func brokenCatalogsAreReportedWithWhereAndWhat() throws {
        let directory = try TemporaryDirectory("catalog")
        defer { directory.remove() }

        let syntax = try write(#"{"regions": {"xx-1": {"partition": 5}}}"#, in: directory, name: "type.json")
        let typeError = #expect(throws: CatalogError.self) { try Catalog.load(customFile: syntax, environment: [:]) }
        #expect(typeError?.description.contains("at regions.xx-1.partition: expected a string") == true)

        let inconsistent = try write(#"""
        {"regions": {"xx-1": {"partition": "aws-moon", "dlcAccount": "12345"}},
         "repositories": {"r": {"tagFormat": "frameworks", "versions": {"1.0": {"processors": {"cpu": {}}}}}},
         "tagFormats": {"bad": {"full": "{version}-{gpu_count}"}}}
        """#, in: directory, name: "inconsistent.json")
        let problems = #expect(throws: CatalogError.self) { try Catalog.load(customFile: inconsistent, environment: [:]) }
        let text = problems?.description ?? ""
        #expect(text.contains("region xx-1: partition 'aws-moon' is not defined"))
        #expect(text.contains("repository r: tag format 'frameworks' is not defined (did you mean framework?)"))
        #expect(text.contains("tag format bad full: formula '{version}-{gpu_count}' is malformed"))

        let account = try write(#"{"regions": {"xx-1": {"partition": "aws", "dlcAccount": "12345"}}}"#, in: directory, name: "account.json")
        let accountError = #expect(throws: CatalogError.self) { try Catalog.load(customFile: account, environment: [:]) }
        #expect(accountError?.description.contains("dlcAccount '12345' is not a 12-digit AWS account id") == true)

        let missing = directory.appending("absent.json").path
        let unreadable = #expect(throws: CatalogError.self) { try Catalog.load(customFile: missing, environment: [:]) }
        #expect(unreadable?.description.hasPrefix("cannot read catalog file \(missing)") == true)
    }
}
