import Foundation
import SDEngine
import SDJSON
import SDTestSupport
import Testing

@testable import SDSpec

/// Reading a specification back from a recorded configuration: the inverse of
/// `configuration(data:kernel:eps:)`, and an error naming the member for anything else.
@Suite struct RunSpecificationConfigurationTests {
    /// A specification, made with the path of a temporary folder holding CSV files.
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let specification: @Sendable (String) -> RunSpecification
        var testDescription: String { label }
    }

    static let csv = "a,b,label\n1,10,0.5\n2,20,1.5\n3,30,2.5\n4,40,3.5\n5,55,4\n6,61,4.5\n7,70,6\n8,85,7\n"

    static func rbf(gamma: Double) -> KernelRequest { KernelRequest(name: "rbf", gamma: gamma) }

    static let cases: [Case] = [
        Case(label: "toy, every default") { _ in RunSpecification() },
        Case(label: "toy rbf gamma 80 eps 0.01, 7 rounds") { _ in
            RunSpecification(kernel: rbf(gamma: 80), mode: .init(eps: 0.01), maxRounds: 7)
        },
        Case(label: "sine with n, noise, seed and a test fraction") { _ in
            RunSpecification(
                data: .init(source: "sine", testFraction: 0.25, seed: 9, pointCount: 40, noise: 0.3),
                kernel: .init(name: "rbf", bandwidth: 0.15), mode: .init(epsRel: 0.1))
        },
        Case(label: "sine, default n and noise") { _ in RunSpecification(data: .init(source: "sine", seed: 2)) },
        Case(label: "CSV with target, features and a test fraction") { folder in
            RunSpecification(
                data: .init(
                    source: folder + "/data.csv", target: "2", features: ["b"], standardize: true,
                    testFraction: 0.25, seed: 3),
                kernel: .init(name: "laplacian", gamma: 0.5), mode: .init(fixedC: 0.01))
        },
        Case(label: "CSV with a test file, default columns") { folder in
            RunSpecification(
                data: .init(source: folder + "/data.csv", testFile: folder + "/test.csv"),
                kernel: .init(name: "linear"), mode: .init(epsRel: 0.2))
        },
        Case(label: "diabetes standardized, polynomial defaults") { _ in
            RunSpecification(
                data: .init(source: "diabetes", standardize: true, testFraction: 0.2),
                kernel: .init(name: "polynomial"), mode: .init(epsRel: 0.3), maxRounds: 3)
        },
        Case(label: "polynomial with every parameter") { _ in
            RunSpecification(kernel: .init(name: "polynomial", gamma: 2, degree: 5, coef0: 0.5), mode: .init(eps: 0.05))
        },
        Case(label: "laplacian, median bandwidth") { _ in RunSpecification(kernel: .init(name: "laplacian")) },
        Case(label: "matern32") { _ in
            RunSpecification(kernel: .init(name: "matern32", bandwidth: 0.3), mode: .init(fixedC: 0.001))
        },
        Case(label: "matern52, median bandwidth") { _ in RunSpecification(kernel: .init(name: "matern52")) },
        Case(label: "ntk depth 4") { _ in
            RunSpecification(kernel: .init(name: "ntk", depth: 4), mode: .init(eps: 0.02), maxRounds: 1)
        },
        Case(label: "ntk default depth, a large seed") { _ in
            RunSpecification(data: .init(seed: UInt64(Int.max)), kernel: .init(name: "ntk"))
        },
    ]

    static func folder() throws -> URL {
        let folder = try temporaryFolder()
        try write(csv, to: "data.csv", in: folder)
        try write("a,b,label\n9,90,8\n10,95,9.5\n", to: "test.csv", in: folder)
        return folder
    }

    /// The configuration of `specification` as `Runner` makes it: loaded data, resolved kernel and eps.
    static func configuration(_ specification: RunSpecification) throws -> JSONValue {
        let loaded = try specification.data.load()
        let kernel = specification.kernel.resolve(for: loaded.dataset.train.points)
        let eps = specification.mode.mode.resolvedEps(labels: loaded.dataset.train.targets)
        return specification.configuration(data: loaded, kernel: kernel, eps: eps)
    }

    /// The specification read back from a configuration (as stored: its text) gives the
    /// configuration again, byte for byte.
    @Test(arguments: cases)
    func roundTrip(_ testCase: Case) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specification = testCase.specification(folder.path)
        try specification.validate()
        let configuration = try Self.configuration(specification)
        let text = configuration.serialized()
        let read = try RunSpecification(configuration: try #require(JSONValue.parse(text)))
        #expect(try Self.configuration(read).serialized() == text)
        #expect(try RunSpecification(configuration: .raw(text)) == read)
        #expect(read.data.source == specification.data.source && read.data.seed == specification.data.seed)
        #expect(read.kernel.name == specification.kernel.name && read.mode.mode == specification.mode.mode)
        #expect(read.labels == RunLabels())
    }

    /// The columns come back by name: a target given by index is read as the column's name.
    @Test func csvColumnsComeBackByName() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let specification = RunSpecification(data: .init(source: folder.path + "/data.csv", target: "0"))
        let read = try RunSpecification(configuration: try Self.configuration(specification))
        #expect(read.data.target == "a" && read.data.features == ["b", "label"])
        let builtin = try RunSpecification(configuration: try Self.configuration(RunSpecification()))
        #expect(builtin.data.target == nil && builtin.data.features == nil && builtin.data.source == "toy")
    }

    static func toyConfiguration() throws -> JSONValue {
        try configuration(RunSpecification(kernel: rbf(gamma: 80), mode: .init(eps: 0.01)))
    }

    /// `configuration` with the member `key` (a path such as ["kernel", "gamma"]) set to `value`,
    /// or removed when nil.
    static func changing(_ configuration: JSONValue, _ key: [String], to value: JSONValue?) -> JSONValue {
        guard case .object(var members) = configuration, let first = key.first else { return configuration }
        let index = members.firstIndex { $0.0 == first }
        if key.count > 1, let index {
            members[index].1 = changing(members[index].1, Array(key.dropFirst()), to: value)
        } else if let index {
            if let value { members[index].1 = value } else { members.remove(at: index) }
        } else if let value {
            members.append((first, value))
        }
        return .object(members)
    }

    static func error(_ configuration: JSONValue) -> SpecificationError? {
        #expect(throws: SpecificationError.self) { try RunSpecification(configuration: configuration) }
    }

    /// Every member must be there: a missing one is named.
    @Test(arguments: RunSpecification.configurationKeys)
    func missingMemberIsNamed(_ key: String) throws {
        let error = Self.error(Self.changing(try Self.toyConfiguration(), [key], to: nil))
        #expect(error?.fields == [key] && error?.problem == "is missing from the configuration")
        #expect(error?.description == "\(key) is missing from the configuration")
    }

    /// Unknown members, at the top and in the kernel, are named.
    @Test func unknownMemberIsNamed() throws {
        let configuration = try Self.toyConfiguration()
        let top = Self.error(Self.changing(configuration, ["colour"], to: .string("red")))
        #expect(top?.description == "colour is not a member of a run's configuration; remove it")
        // depth belongs to ntk, not to rbf.
        let kernel = Self.error(Self.changing(configuration, ["kernel", "depth"], to: .int(2)))
        #expect(kernel?.fields == ["kernel.depth"])
        let missing = Self.error(Self.changing(configuration, ["kernel", "bandwidth"], to: nil))
        #expect(missing?.description == "kernel.bandwidth is missing from the configuration")
    }

    /// A member of the wrong type is named with its value, shortened to 40 characters, on one line.
    @Test func malformedMemberIsNamed() throws {
        let configuration = try Self.toyConfiguration()
        let long = String(repeating: "x", count: 100)
        let seed = Self.error(Self.changing(configuration, ["seed"], to: .string(long)))
        #expect(seed?.fields == ["seed"])
        #expect(seed?.description == "seed must be a whole number, got \"\(String(repeating: "x", count: 39))...")
        let cases: [([String], JSONValue, String)] = [
            (["seed"], .int(-1), "seed must be a whole number >= 0, got -1"),
            (["standardize"], .int(1), "standardize must be true or false, got 1"),
            (["features"], .array([.int(1)]), "features must be an array of strings, got [1]"),
            (["eps"], .string("small"), "eps must be a number or null, got \"small\""),
            (["max_rounds"], .number(2.5), "max_rounds must be a whole number, got 2.5"),
            (["kernel", "gamma"], .bool(true), "kernel.gamma must be a number or null, got true"),
            (["kernel"], .string("rbf"), "kernel must be an object, got \"rbf\""),
            (["kernel", "name"], .string("cubic"), "kernel 'cubic' is unknown; use one of \(KernelName.list)"),
            (["resolved"], .null, "resolved must be an object, got null"),
            (["mode"], .string("fixed-c"), "mode 'fixed-c' does not match the eps, eps_rel and c given (eps)"),
            (["c"], .number(0.5), "eps, eps_rel and c choose the mode; give one"),
            // The values are validated as a run's are.
            (["kernel", "gamma"], .number(-1), "gamma must be positive, got -1"),
            (["n"], .int(50), "n and noise apply to the sine data only"),
        ]
        for (key, value, message) in cases {
            let error = Self.error(Self.changing(configuration, key, to: value))
            #expect(error?.description == message, "\(key)")
            #expect(error?.description.contains("\n") == false)
        }
        #expect(Self.error(.array([]))?.description == "a run's configuration must be a JSON object, got []")
    }
}
