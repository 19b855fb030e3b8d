import SDDocuments
import SDJSON
import SDStore
import SDTestSupport
import Testing

@Suite struct RunDocumentTests {
    /// The runs an export document is built from: every status and source, every field set and
    /// every optional field nil, rounds with gaps and missing metrics, spectra of awkward doubles.
    static func exportedRuns() -> [CompleteRun] {
        var random = TestRandom(seed: 20_261_129)
        let rounds = documentRounds(&random, randomCount: 20)
        let spectrum = documentSpectrum(&random, randomCount: 40)
        return [
            CompleteRun(
                run: documentRun(
                    id: "0a1b2c3d-0000-4000-8000-00000000000a", status: .finished, source: .sdtrack,
                    full: true, roundCount: rounds.count),
                rounds: rounds, spectrum: spectrum),
            CompleteRun(
                run: documentRun(
                    id: "0a1b2c3d-0000-4000-8000-00000000000b", status: .running, source: .sdtrack,
                    full: false, roundCount: 0),
                rounds: []),
            CompleteRun(
                run: documentRun(
                    id: "0a1b2c3d-0000-4000-8000-00000000000c", status: .failed, source: .import,
                    full: true, roundCount: 2),
                rounds: Array(rounds.prefix(2))),
            CompleteRun(
                run: documentRun(
                    id: "0a1b2c3d-0000-4000-8000-00000000000d", status: .killed, source: .import,
                    full: false, roundCount: 1),
                rounds: [RoundRecord(t: 3, extra: ["loss": -0.0])],
                spectrum: SpectrumRecord(d: [subnormal], z0: [-0.0], zeroTolerance: 0)),
        ]
    }

    /// The builders really cover every field: one run has all of `RunField.all` set, another
    /// none of the optional ones; and every RoundMetric and status appears.
    @Test func theExportedRunsCoverEveryFieldMetricAndStatus() {
        let runs = Self.exportedRuns()
        #expect(RunField.all.allSatisfy { $0.value(of: runs[0].run) != nil })
        #expect(RunField.all.filter { !$0.isRequired }.allSatisfy { $0.value(of: runs[1].run) == nil })
        #expect(Set(runs.map(\.run.status)) == Set(RunStatus.allCases))
        #expect(Set(runs.map(\.run.source)) == Set(RunSource.allCases))
        #expect(RoundMetric.allCases.allSatisfy { runs[0].rounds[0][$0] != nil })
    }

    /// Export, parse, read: every field, round and spectrum comes back bit for bit, and writing
    /// the read runs again gives the identical text.
    @Test func exportReadsBackExactly() throws {
        let written = Self.exportedRuns()
        let text = RunDocument.export(written).serialized()
        let read = try RunDocument.runs(in: try JSONValue.parse(document: text))
        #expect(read.count == written.count)
        for (a, b) in zip(read, written) { expectIdentical(a, b) }
        #expect(RunDocument.export(read).serialized() == text)
    }

    /// Signed zero, the smallest subnormal, huge values and 0.1 + 0.2 are written in shortest
    /// round-trip form, with -0.0's sign kept.
    @Test func awkwardNumbersAreWrittenInShortestRoundTripForm() {
        let spectrum = RunDocument.spectrum(
            SpectrumRecord(
                d: [-0.0, subnormal, 1e300, 0.1 + 0.2], z0: [0, 80, -2.5, 1e-5],
                zeroTolerance: 1e-15))
        #expect(
            spectrum.serialized() == #"{"length":4,"eigenvalues":[-0.0,5e-324,1e+300,0.30000000000000004],"#
                + #""z0":[0,80,-2.5,1e-05],"zero_tolerance":1e-15}"#)
    }

    /// A summary is exactly RunField.all's names then "tags", in that order; a record adds
    /// config, rounds and spectrum; show puts "format" first; list holds summaries.
    @Test func summaryAndRecordListTheirMembersInOrder() {
        let complete = Self.exportedRuns()[0]
        let summary = RunDocument.summary(complete.run).map(\.0)
        #expect(summary == RunField.all.map(\.name) + ["tags"])
        #expect(Set(summary).count == summary.count, "no member twice")
        #expect(RunDocument.fields(of: complete).map(\.0) == summary + ["config", "rounds", "spectrum"])
        let show = RunDocument.show(complete)
        #expect(keys(show) == ["format"] + summary + ["config", "rounds", "spectrum"])
        #expect(show["format"] == .string("sdtrack.record/1"))
        let list = RunDocument.list([complete.run])
        #expect(keys(list) == ["format", "runs"] && list["format"] == .string(RunDocument.listFormat))
        if case .array(let runs)? = list["runs"] {
            #expect(runs.count == 1 && keys(runs[0]) == summary)
        } else {
            Issue.record("runs list has no array of runs: \(list.serialized())")
        }
        #expect(keys(RunDocument.export([complete])) == ["format", "runs"])
    }

    /// A round is t, every RoundMetric (null where missing), then extra metrics sorted by name;
    /// a spectrum is length, eigenvalues, z0, zero_tolerance.
    @Test func roundsAndSpectraListTheirMembersInOrder() {
        let round = RunDocument.round(RoundRecord(t: 4, testMSE: 0.5, extra: ["zeta": 1, "accuracy": 0.9, "b": 2]))
        #expect(keys(round) == ["t"] + RoundMetric.allCases.map(\.name) + ["accuracy", "b", "zeta"])
        #expect(round["t"] == .int(4) && round["test_mse"] == .number(0.5) && round["c"] == .null)
        let spectrum = RunDocument.spectrum(SpectrumRecord(d: [1], z0: [2], zeroTolerance: 0))
        #expect(keys(spectrum) == ["length", "eigenvalues", "z0", "zero_tolerance"])
        #expect(
            RunDocument.fields(of: CompleteRun(run: Self.exportedRuns()[1].run, rounds: [])).last!.1 == .null,
            "no spectrum is null")
    }

    /// An sdtrack.record/1 document (runs show --json) reads back as the one run it shows.
    @Test func showReadsBackAsOneRun() throws {
        for written in Self.exportedRuns() {
            let text = RunDocument.show(written).serialized()
            let read = try RunDocument.runs(in: try JSONValue.parse(document: text))
            #expect(read.count == 1)
            let run = try #require(read.first)
            expectIdentical(run, written)
            #expect(RunDocument.show(run).serialized() == text)
        }
    }

    /// An export of no runs is a valid document of no runs.
    @Test func anEmptyExportReadsAsNoRuns() throws {
        let text = RunDocument.export([]).serialized()
        #expect(text == #"{"format":"sdtrack.export/1","runs":[]}"#)
        #expect(try RunDocument.runs(in: try JSONValue.parse(document: text)).isEmpty)
    }

    /// Run IDs are 8-4-4-4-12 lower-case hex digits, nothing else.
    @Test func lowercaseUUIDsOnly() {
        #expect(RunRecord.isValidID("0a1b2c3d-0000-4000-8000-00000000000a"))
        for bad in [
            "0A1B2C3D-0000-4000-8000-00000000000A", "0a1b2c3d-0000-4000-8000-00000000000", "",
            "0a1b2c3d00000-4000-8000-00000000000a", "0a1b2c3d-0000-4000-8000-00000000000g",
            "0a1b2c3d-0000-4000-8000-00000000000a0", "{0a1b2c3d-0000-4000-8000-00000000000a}",
        ] {
            #expect(!RunRecord.isValidID(bad), "\(bad)")
        }
    }
}
