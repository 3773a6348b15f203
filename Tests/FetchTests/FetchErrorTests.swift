import Fetch
import Testing

@Suite struct FetchErrorTests {
    @Test func hashMismatchSaysNothingWasInstalled() {
        let error = FetchError.hashMismatch(url: "https://h/x.whl", algorithm: "sha256", expected: "aa", actual: "bb")
        #expect(error.description.contains("nothing was installed"))
    }
}
