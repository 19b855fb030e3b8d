import Foundation
import SDEngine
import SDJSON
import SDStore
import SDTestSupport
import Testing

@testable import SDSpec

/// The configuration a run records: canonical, complete, and equal across seeds outside
/// "seed" and "resolved", so that runs over seeds share a group.
@Suite struct ConfigurationTests {
    static let keys = [
        "dataset", "source_sha256", "features", "target", "K", "test_size", "truth_grid_size", "standardize",
        "test_fraction", "test_file", "seed", "n", "noise", "kernel", "mode", "eps", "eps_rel", "c",
        "max_rounds", "resolved", "sdtrack_version",
    ]

    /// The configuration of `specification` as `Runner` makes it: loaded data, resolved kernel and eps.
    static func configuration(_ specification: RunSpecification) throws -> JSONValue {
        let loaded = try specification.data.load()
        let kernel = specification.kernel.resolve(for: loaded.dataset.train.points)
        let eps = specification.mode.mode.resolvedEps(labels: loaded.dataset.train.targets)
        return specification.configuration(data: loaded, kernel: kernel, eps: eps)
    }

    static func members(_ value: JSONValue) -> [(String, JSONValue)] {
        guard case .object(let members) = value else { return [] }
        return members
    }

    static func without(_ keys: [String], _ value: JSONValue) -> JSONValue {
        .object(members(value).filter { !keys.contains($0.0) })
    }

    /// Canonical (its own .canonical, keys sorted by code point) with every key, values as asked.
    @Test func canonicalWithEveryKey() throws {
        let specification = RunSpecification(
            data: .init(source: "toy", testFraction: 0.2, seed: 4),
            kernel: .init(name: "rbf", gamma: 80), mode: .init(eps: 0.01), maxRounds: 7)
        let config = try Self.configuration(specification)
        #expect(config.canonical.serialized() == config.serialized())
        let names = Self.members(config).map(\.0)
        // Code point order puts the upper-case "K" first.
        #expect(names == Self.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) })
        #expect(names.first == "K")
        #expect(config["dataset"] == .string("toy") && config["target"] == .string("y"))
        #expect(config["features"] == .array([.string("x")]))
        // 11 points, 0.2 held out: round(2.2) = 2 test points, 9 training points.
        #expect(config["K"] == .int(9) && config["test_size"] == .int(2) && config["truth_grid_size"] == .int(101))
        #expect(config["standardize"] == .bool(false) && config["test_fraction"] == .number(0.2))
        #expect(
            config["test_file"] == .null && config["seed"] == .int(4) && config["n"] == .null
                && config["noise"] == .null)
        #expect(config["source_sha256"] == .string(Dataset.toy().fingerprint))
        #expect(config["mode"] == .string("eps") && config["eps"] == .number(0.01) && config["eps_rel"] == .null)
        #expect(config["c"] == .null && config["max_rounds"] == .int(7))
        #expect(config["kernel"] == .object([("bandwidth", .null), ("gamma", .int(80)), ("name", .string("rbf"))]))
        #expect(
            config["resolved"]
                == .object([
                    ("eps", .number(0.01)),
                    ("kernel", .object([("gamma", .int(80)), ("name", .string("rbf"))])),
                ]))
        #expect(config["sdtrack_version"] == .string(sdtrackVersion))
        // Its text reads back as the same canonical value.
        #expect(JSONValue.parse(config.serialized())?.serialized() == config.serialized())
    }

    /// The defaults are recorded resolved: eps-rel 0.05 without a mode, the sine's n and noise,
    /// 100 rounds at most, and fixed c in its own key.
    @Test func defaultsAreRecorded() throws {
        let sine = try Self.configuration(RunSpecification(data: .init(source: "sine")))
        #expect(sine["n"] == .int(100) && sine["noise"] == .number(0.1) && sine["source_sha256"] == .null)
        #expect(sine["mode"] == .string("eps-rel") && sine["eps_rel"] == .number(0.05) && sine["eps"] == .null)
        #expect(sine["max_rounds"] == .int(DistillationSettings.defaultMaxRounds))
        let loaded = try DataSpecification(source: "sine").load()
        let meanSquare = loaded.dataset.train.targets.reduce(0) { $0 + $1 * $1 } / 100
        #expect(isClose(sine["resolved"]?["eps"]?.doubleValue ?? 0, 0.05 * meanSquare, relative: 1e-15))
        let fixed = try Self.configuration(RunSpecification(mode: .init(fixedC: 0.25)))
        #expect(fixed["mode"] == .string("fixed-c") && fixed["c"] == .number(0.25))
        #expect(fixed["eps"] == .null && fixed["eps_rel"] == .null && fixed["resolved"]?["eps"] == .null)
    }

    /// Resolved whole-number parameters are JSON integers in the text: "depth":2, "degree":3.
    @Test func resolvedIntegersAreIntegers() throws {
        let ntk = try Self.configuration(RunSpecification(kernel: .init(name: "ntk"), mode: .init(eps: 0.01)))
        let ntkText = ntk.serialized()
        #expect(ntkText.contains(#""resolved":{"eps":0.01,"kernel":{"depth":2,"name":"ntk"}}"#))
        #expect(ntkText.contains(#""kernel":{"depth":2,"name":"ntk"}"#) && !ntkText.contains("2.0"))
        let polynomial = try Self.configuration(
            RunSpecification(kernel: .init(name: "polynomial", degree: 4, coef0: 2.5)))
        let polynomialText = polynomial.serialized()
        // p = 1 on toy, so the default gamma is 1/1 = 1.
        #expect(polynomialText.contains(#""kernel":{"coef0":2.5,"degree":4,"gamma":1,"name":"polynomial"}"#))
        #expect(polynomialText.contains(#""kernel":{"coef0":2.5,"degree":4,"gamma":null,"name":"polynomial"}"#))
        #expect(
            polynomial["resolved"]?["kernel"]?["degree"].map { if case .int(4) = $0 { true } else { false } } == true)
        let linear = try Self.configuration(RunSpecification(kernel: .init(name: "linear"), mode: .init(eps: 1)))
        #expect(linear["kernel"] == .object([("name", .string("linear"))]))
        #expect(linear["resolved"]?["kernel"] == .object([("name", .string("linear"))]))
    }

    /// Two sine runs differing only in seed: equal outside "seed" and "resolved" (the median
    /// distance and eps-rel's eps depend on the drawn data), so their group keys are equal.
    @Test func seedsShareAGroup() throws {
        func sine(seed: UInt64, mode: ModeSpecification = ModeSpecification()) -> RunSpecification {
            RunSpecification(
                data: .init(source: "sine", testFraction: 0.25, seed: seed, pointCount: 40, noise: 0.2), mode: mode)
        }
        let one = try Self.configuration(sine(seed: 1)), two = try Self.configuration(sine(seed: 2))
        #expect(one["seed"] == .int(1) && two["seed"] == .int(2))
        #expect(one["resolved"] != two["resolved"])
        #expect(Self.without(["seed", "resolved"], one) == Self.without(["seed", "resolved"], two))
        #expect(GroupKey.of(one) == GroupKey.of(two))
        // The data's size is the whole sine, however it is split.
        #expect(one["n"] == .int(40) && one["K"] == .int(30) && one["test_size"] == .int(10))
        let small = try Self.configuration(sine(seed: 1, mode: .init(eps: 0.1)))
        let large = try Self.configuration(sine(seed: 1, mode: .init(eps: 0.2)))
        #expect(GroupKey.of(small) != GroupKey.of(large))
        #expect(Self.without(["eps", "resolved"], small) == Self.without(["eps", "resolved"], large))
        // toy over seeds with a held-out split: the source fingerprint is the data before the split.
        let toyOne = try Self.configuration(RunSpecification(data: .init(testFraction: 0.3, seed: 1)))
        let toyTwo = try Self.configuration(RunSpecification(data: .init(testFraction: 0.3, seed: 2)))
        #expect(toyOne["source_sha256"] == toyTwo["source_sha256"] && toyOne["source_sha256"] != .null)
        #expect(GroupKey.of(toyOne) == GroupKey.of(toyTwo))
    }

    /// A seed above Int.max is refused or recorded as itself: never as a negative number that
    /// no run can be given again.
    @Test func largeSeedIsNotRecordedNegative() throws {
        let specification = RunSpecification(data: .init(source: "sine", seed: UInt64.max, pointCount: 20))
        let refused: Bool
        do {
            try specification.validate()
            refused = false
        } catch { refused = true }
        let config = try Self.configuration(specification)
        #expect(
            refused || (config["seed"]?.doubleValue ?? -1) >= 0,
            "seed \(UInt64.max) recorded as \(config["seed"]?.serialized() ?? "nothing")")
        #expect(config["n"] == .int(20))
    }

    /// "n" is the number of sine points asked for, also when a test file adds held-out points.
    @Test func sinePointCountWithATestFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let test = try write("x,y\n0.1,0.5\n0.6,-0.4\n", to: "test.csv", in: folder)
        let config = try Self.configuration(
            RunSpecification(data: .init(source: "sine", testFile: test, pointCount: 30)))
        #expect(config["K"] == .int(30) && config["test_size"] == .int(2) && config["test_file"] == .string(test))
        #expect(config["n"] == .int(30))
    }
}
