import Foundation

/// Asks one of the harness's motos about ECR repositories, with boto3 (which moto brings).
public enum MotoECR {
    /// The repository's ARN followed by its scan-on-push setting (`arn:… True`), or `missing`.
    public static func describe(_ name: String, endpoint: String, region: String) async throws -> String {
        let python = Harness.value("SMIMG_TEST_PYTHON") ?? "python3"
        let script = """
            import boto3, sys
            c = boto3.client("ecr", region_name=sys.argv[3], endpoint_url=sys.argv[1],
                             aws_access_key_id="x", aws_secret_access_key="y")
            try:
                r = c.describe_repositories(repositoryNames=[sys.argv[2]])["repositories"][0]
                print(r["repositoryArn"], r["imageScanningConfiguration"]["scanOnPush"])
            except c.exceptions.RepositoryNotFoundException:
                print("missing")
            """
        return try await Command.check([python, "-c", script, endpoint, name, region]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
