import Foundation
import SDJSON
import SDStore
import SDTestSupport
import Testing

@testable import SDReports

/// Recorded runs as text (runs list, runs show, the rounds CSV), group labels, and the text
/// helpers every report uses.
@Suite struct ListingAndTextTests {
    static let id = "0123abcd-0000-4000-8000-000000000000"

    /// A finished toy run with every field `runs show` prints.
    static func complete() -> CompleteRun {
        var run = finishedRun(
            id: id, config: #"{"dataset":"toy","eps":0.01}"#, minute: 0, eps: 0.01, collapse: 3,
            boundsHeld: true, tags: [SDStore.Tag(key: "a", value: "1"), SDStore.Tag(key: "b", value: "x y")])
        run.createdAt = Timestamp(iso8601: "2026-11-29T07:02:33.123Z")!
        run.endedAt = Timestamp(iso8601: "2026-11-29T07:02:35Z")!
        run.source = .sdtrack
        run.pid = 42
        run.config.dataSHA256 = String(repeating: "ab", count: 32)
        run.summary.boundLower = 2
        run.summary.boundUpper = 5
        run.summary.checksHeld = true
        run.note = "first try"
        run.roundCount = 2
        return CompleteRun(
            run: run,
            rounds: [
                RoundRecord(t: 0, c: 0.5, testMSE: 80, gcv: 0.25),
                RoundRecord(t: 1, c: 0.75, gcv: 1e-5, extra: ["accuracy": 0.9]),
            ],
            spectrum: SpectrumRecord(d: [2, 1, 0], z0: [1, 0.5, 0.25], zeroTolerance: 1e-15))
    }

    /// runs list: one aligned line per run, short ID and time, kernel and mode in a few words.
    @Test func runsTable() {
        var other = Self.complete().run
        other.id = "ffff0000-0000-4000-8000-000000000000"
        other.experiment = "sweep"
        other.status = .failed
        other.config.kernel = "ntk"
        other.config.gamma = nil
        other.config.depth = 3
        other.config.mode = "fixed-c"
        other.config.c = 0.02
        other.config.k = nil
        other.config.dataset = nil
        other.summary.collapseRound = nil
        other.tags = []
        let lines = RunListing.table([Self.complete().run, other]).components(separatedBy: "\n")
        #expect(lines.count == 3)
        #expect(
            cells(lines[0]) == [
                "run", "experiment", "status", "created (UTC)", "data", "K", "kernel", "mode", "rounds", "collapse",
                "tags",
            ])
        #expect(
            cells(lines[1]) == [
                "0123abcd", "default", "finished", "2026-11-29 07:02:33", "toy", "11", "rbf gamma=80", "eps=0.01", "2",
                "3", "a=1 b=x y",
            ])
        #expect(
            cells(lines[2]) == [
                "ffff0000", "sweep", "failed", "2026-11-29 07:02:33", "-", "-", "ntk depth=3", "c=0.02", "2", "-",
            ])
        // K, rounds and collapse are right-aligned: their last characters line up with the header's.
        for column in ["K", "rounds", "collapse"] {
            let end = lines[0].range(of: column)!.upperBound.utf16Offset(in: lines[0])
            #expect(
                lines.dropFirst().allSatisfy { line in
                    let index = line.index(line.startIndex, offsetBy: end - 1)
                    return line[index] != " "
                        && (line.index(after: index) == line.endIndex || line[line.index(after: index)] == " ")
                }, "\(column)")
        }
        #expect(!lines[1].hasSuffix(" "))
    }

    /// runs show: what the run ran on, how it ended, its rounds with the metrics they have.
    @Test func runPage() {
        let page = RunListing.page(Self.complete()).components(separatedBy: "\n")
        #expect(
            Array(page.prefix(16)) == [
                "run         \(Self.id)",
                "experiment  default",
                "status      finished",
                "created     2026-11-29T07:02:33.123Z, ended 2026-11-29T07:02:35.000Z",
                "recorded by sdtrack test on test-host, pid 42",
                "data        toy, K = 11, sha256 abababababababab",
                "kernel      rbf gamma=80",
                "mode        eps=0.01",
                "collapse    round 3",
                "bounds      2 <= T <= 5: held",
                "checks      all held",
                "tags        a=1 b=x y",
                "note        first try",
                "spectrum    d and z0, K = 3",
                #"config      {"dataset":"toy","eps":0.01}"#,
                "",
            ])
        #expect(cells(page[16]) == ["t", "c", "test_mse", "gcv", "accuracy"])
        #expect(cells(page[17]) == ["0", "0.5", "80", "0.25", "-"])
        #expect(cells(page[18]) == ["1", "0.75", "-", "1.0000e-05", "0.9"])
        #expect(page.count == 19)
        // A failed imported run without rounds, spectrum or collapse; eps-rel mode; bounds not judged.
        var failed = Self.complete()
        failed.run.status = .failed
        failed.run.error = "eps 0.01 is infeasible"
        failed.run.source = .import
        failed.run.pid = nil
        failed.run.config.mode = "eps-rel"
        failed.run.config.testSize = 4
        failed.run.summary.collapseRound = nil
        failed.run.summary.boundUpper = nil
        failed.run.summary.boundsHeld = nil
        failed.run.summary.checksHeld = false
        failed.run.tags = []
        failed.run.note = nil
        failed.rounds = []
        failed.spectrum = nil
        failed.run.summary.blasCore = "SkylakeX"
        failed.run.summary.blasThreads = 1
        let text = RunListing.page(failed)
        // Where it ran, then on which OpenBLAS kernels.
        #expect(text.contains("(imported)\nblas        OpenBLAS core SkylakeX, 1 thread\n"))
        #expect(text.contains("\nstatus      failed: eps 0.01 is infeasible\n"))
        #expect(text.contains("\nrecorded by sdtrack test on test-host (imported)\n"))
        #expect(text.contains("\ndata        toy, K = 11, 4 held out, sha256 abababababababab\n"))
        #expect(
            text.contains("\nmode        eps-rel: eps=0.01\n")
                && text.contains("\nbounds      2 <= T <= inf: not judged\n"))
        #expect(text.contains("\nchecks      VIOLATED\n") && !text.contains("collapse    ") && !text.contains("tags  "))
        #expect(text.hasSuffix("\n\nno rounds recorded") && !text.contains("spectrum    "))
    }

    /// The rounds CSV: run_id, t, every docs/math.md quantity, then extra metrics; empty cells where
    /// a round lacks a value; numbers in JSON's form.
    @Test func roundsCSV() {
        var second = Self.complete()
        second.run.id = "second"
        second.rounds = [RoundRecord(t: 0, trainMSE: 1.5, extra: ["loss": 2])]
        let lines = RunListing.roundsCSV([Self.complete(), second]).components(separatedBy: "\n")
        #expect(
            lines == [
                "run_id,t,c,r,target_norm,train_mse,target_mse,test_mse,truth_mse,df,gcv,rkhs_norm,accuracy,loss",
                "\(Self.id),0,0.5,,,,,80,,,0.25,,,",
                "\(Self.id),1,0.75,,,,,,,,1e-05,,0.9,",
                "second,0,,,,1.5,,,,,,,,2",
                "",
            ])
        #expect(
            RunListing.roundsCSV([])
                == "run_id,t,c,r,target_norm,train_mse,target_mse,test_mse,truth_mse,df,gcv,rkhs_norm\n")
    }

    /// A run's kernel and mode in a few words.
    @Test func configSummaries() {
        var config = RunConfig()
        #expect(config.kernelSummary == "-" && config.modeSummary == "-")
        config.kernel = "polynomial"
        config.gamma = 0.5
        config.degree = 3
        config.coef0 = 1
        config.mode = "eps-rel"
        #expect(config.kernelSummary == "polynomial gamma=0.5 degree=3" && config.modeSummary == "eps-rel")
        config.kernel = "matern32"
        config.gamma = nil
        config.degree = nil
        config.lengthScale = 0.25
        config.eps = 0.0125
        #expect(config.kernelSummary == "matern32 l=0.25" && config.modeSummary == "eps=0.0125")
        config.kernel = "linear"
        config.lengthScale = nil
        config.c = 2
        #expect(config.kernelSummary == "linear" && config.modeSummary == "c=2")
    }

    /// One group: its label shows the summary keys it has; several groups: only the keys
    /// whose values differ; --group-by keys by name.
    @Test func groupLabels() {
        let one =
            #"{"K":11,"dataset":"toy","eps":0.01,"kernel":{"bandwidth":null,"gamma":80,"name":"rbf"},"#
            + #""max_rounds":100,"mode":"eps","standardize":false}"#
        let single = GroupLabels(groups: [one], groupBy: nil)
        #expect(single.varying.isEmpty)
        #expect(single.label(one) == "K=11 dataset=toy eps=0.01 kernel.gamma=80 kernel.name=rbf mode=eps")
        let two =
            #"{"K":11,"dataset":"toy","eps":0.02,"kernel":{"bandwidth":null,"gamma":40,"name":"rbf"},"#
            + #""max_rounds":100,"mode":"eps","standardize":false}"#
        let three =
            #"{"K":11,"dataset":"toy","eps":0.02,"kernel":{"bandwidth":null,"gamma":80,"name":"rbf"},"#
            + #""max_rounds":100,"mode":"eps","standardize":false}"#
        let several = GroupLabels(groups: [one, two, three], groupBy: nil)
        #expect(several.varying == ["eps", "kernel.gamma"])
        #expect(several.label(one) == "eps=0.01 kernel.gamma=80" && several.label(two) == "eps=0.02 kernel.gamma=40")
        #expect(several.label(three) == "eps=0.02 kernel.gamma=80")
        // A key one group lacks varies too.
        let extra =
            #"{"K":11,"dataset":"toy","eps":0.01,"kernel":{"bandwidth":null,"gamma":80,"name":"rbf"},"#
            + #""max_rounds":100,"mode":"eps","model":"mlp","standardize":false}"#
        let withExtra = GroupLabels(groups: [one, extra], groupBy: nil)
        #expect(withExtra.varying == ["model"] && withExtra.label(extra) == "model=mlp")
        // --group-by: arrays of values, labelled by the keys' names.
        let byKeys = GroupLabels(
            groups: [#"["toy",0.01]"#, #"["toy",0.02]"#], groupBy: [ConfigKey("dataset")!, ConfigKey("eps")!])
        #expect(byKeys.label(#"["toy",0.01]"#) == "eps=0.01" && byKeys.label(#"["toy",0.02]"#) == "eps=0.02")
        let oneByKey = GroupLabels(groups: [#"[0.1]"#], groupBy: [ConfigKey("lr")!])
        #expect(oneByKey.label(#"[0.1]"#) == "lr=0.1")
        #expect(GroupLabels(groups: ["null"], groupBy: nil).label("null") == "(all runs)")
        #expect(
            GroupLabels.show(.int(3)) == "3" && GroupLabels.show(.number(2)) == "2"
                && GroupLabels.show(.number(0.5)) == "0.5")
        #expect(GroupLabels.show(.string("a b")) == "a b" && GroupLabels.show(.bool(true)) == "true")
        #expect(GroupLabels.show(.array([.string("x")])) == #"["x"]"# && GroupLabels.show(.null) == "null")
        #expect(
            GroupLabels.flattenJSON(#"{"b":{"c":1,"d":null},"a":"x"}"#).map { "\($0.key)=\($0.value)" } == [
                "a=x", "b.c=1",
            ])
    }

    /// Columns are as wide as their widest cell and two spaces apart; text to the left (the last
    /// column without trailing spaces), numbers to the right.
    @Test func textTableAlignment() {
        var table = TextTable(header: ["name", "value", "note"], leftAligned: [0, 2])
        table.append(["a", "1", "x"])
        table.append(["long name", "12.5", "y"])
        table.append(["±", "-", "wide note"])
        #expect(
            table.lines() == [
                "name       value  note",
                "a              1  x",
                "long name   12.5  y",
                "±              -  wide note",
            ])
        var numbers = TextTable(header: ["t", "mean"])
        numbers.append(["0", "0.5"])
        numbers.append(["10", "1.25"])
        #expect(numbers.lines() == [" t  mean", " 0   0.5", "10  1.25"])
        #expect(TextTable(header: ["only"]).lines() == ["only"])
    }

    /// Six significant digits, scientific notation outside [1e-3, 1e5), words for the rest.
    @Test func textTableNumbers() {
        let cases: [(Double?, String)] = [
            (nil, "-"), (0, "0"), (-0.0, "0"), (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
            (80, "80"), (0.5, "0.5"), (-2.5, "-2.5"), (1.0 / 3, "0.333333"), (1234.5678, "1234.57"), (99999, "99999"),
            (1e5, "1.0000e+05"), (123_456, "1.2346e+05"), (0.001, "0.001"), (0.000999, "9.9900e-04"),
            (-1e-7, "-1.0000e-07"),
        ]
        for (value, expected) in cases { #expect(TextTable.number(value) == expected, "\(String(describing: value))") }
    }

    /// CSV cells are quoted when they hold a comma, quote or line break, with quotes doubled.
    @Test func csvLineQuoting() {
        #expect(csvLine(["a", "b c", ""]) == "a,b c,")
        #expect(
            csvLine(["x,y", #"say "hi""#, "line\nbreak", "cr\r"])
                == "\"x,y\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\r\"")
        #expect(csvLine([]) == "")
    }

    /// CSV numbers are JSON's: 80 not 80.0, shortest round-trip otherwise, empty for nil and
    /// non-finite values.
    @Test func csvNumbers() {
        #expect(csvNumber(80) == "80" && csvNumber(80.0) != "80.0" && csvNumber(-7) == "-7")
        #expect(csvNumber(0.1) == "0.1" && csvNumber(0.1 + 0.2) == "0.30000000000000004" && csvNumber(1e-5) == "1e-05")
        #expect(csvNumber(1e300) == "1e+300" && csvNumber(-0.0) == "-0.0")
        #expect(
            csvNumber(nil) == "" && csvNumber(.nan) == "" && csvNumber(.infinity) == "" && csvNumber(-.infinity) == "")
        #expect(csvNumber(2.5) == JSONValue.number(2.5).serialized())
    }
}
