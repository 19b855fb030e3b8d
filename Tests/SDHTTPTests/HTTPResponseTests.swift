import SDHTTP
import Testing

@Suite struct HTTPResponseTests {
    @Test func headerLookupIgnoresCaseAndTakesTheFirst() {
        let response = HTTPResponse(status: 200, headers: [("x-a", "1"), ("x-a", "2")])
        #expect(response.header("X-A") == "1")
        #expect(response.header("x-b") == nil)
    }

    @Test func retryAfterIsReadAsSecondsOnly() {
        #expect(HTTPResponse(status: 429, headers: [("retry-after", "30")]).retryAfterSeconds == 30)
        #expect(HTTPResponse(status: 429, headers: [("retry-after", "-1")]).retryAfterSeconds == nil)
        let date = "Wed, 21 Oct 2015 07:28:00 GMT"
        #expect(HTTPResponse(status: 503, headers: [("retry-after", date)]).retryAfterSeconds == nil)
        #expect(HTTPResponse(status: 503).retryAfterSeconds == nil)
    }

    @Test func mediaTypeDropsParameters() {
        let response = HTTPResponse(status: 200, headers: [("content-type", "Application/JSON ; charset=utf-8")])
        #expect(response.mediaType == "application/json")
    }

    @Test func onlyTimeoutsAndLostConnectionsAreRetryable() {
        let retryable = HTTPError.Kind.allCases.filter(\.isRetryable)
        #expect(retryable == [.timeout, .connectionLost])
    }
}
