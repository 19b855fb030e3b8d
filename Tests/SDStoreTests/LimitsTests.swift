import Foundation
import SDTestSupport
import Testing

@testable import SDStore

/// Bounds every writer meets: tag, note and metric name lengths, metrics per round.
@Suite struct LimitsTests {
    let store: RunStore

    init() throws {
        store = try RunStore(path: try temporaryFolder().appendingPathComponent("limits.db").path, create: true)
    }

    func refused(_ run: RunRecord, rounds: [RoundRecord] = []) -> String? {
        do {
            try store.importRuns([CompleteRun(run: run, rounds: rounds)])
            return nil
        } catch {
            return error.message
        }
    }

    @Test func longLabelsAreRefusedAndQuotedShort() {
        var run = sampleRun(status: .finished)
        run.tags = [Tag(key: String(repeating: "k", count: 129), value: "v")]
        let message = refused(run) ?? ""
        #expect(message.hasPrefix("tag '\(String(repeating: "k", count: 40))...' is too long"), "\(message)")
        run.tags = [Tag(key: "k", value: String(repeating: "v", count: 4097))]
        #expect(refused(run) != nil)
        run.tags = []
        run.note = String(repeating: "n", count: 65537)
        #expect(refused(run)?.contains("note is 65537 bytes; at most 65536 are kept") == true)
    }

    @Test func metricNamesAndCountsAreBounded() throws {
        let run = sampleRun(status: .finished)
        let long = String(repeating: "m", count: 129)
        #expect(refused(run, rounds: [RoundRecord(t: 0, extra: [long: 1])])?.contains("names are 1 to 128") == true)
        let many = Dictionary(uniqueKeysWithValues: (0...1000).map { ("m\($0)", 1.0) })
        #expect(refused(run, rounds: [RoundRecord(t: 0, extra: many)])?.contains("at most 1000") == true)
        #expect(try store.runs().isEmpty)
    }
}

extension LimitsTests {
    /// Configuration columns hold values of their domain, whoever writes them.
    @Test func configurationColumnsOutsideTheirDomainAreRefused() {
        var run = sampleRun(status: .finished)
        run.config.k = -5
        #expect(refused(run)?.hasSuffix("K must be a whole number >= 1, got -5") == true)
        run.config.k = 11
        run.config.eps = 0
        #expect(refused(run)?.hasSuffix("eps must be a number > 0, got 0") == true)
        run.config.eps = 0.01
        run.config.dataSHA256 = "not a hash"
        #expect(refused(run)?.contains("data_sha256 must be 64 lower-case hex digits") == true)
        run.config.dataSHA256 = nil
        run.config.mode = "sideways"
        #expect(refused(run)?.contains("mode must be eps, eps-rel or fixed-c") == true)
    }
}
