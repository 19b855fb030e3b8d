import SDEngine
import SDStore
import SDTestSupport
import Testing

@testable import SDSpec

/// Every way a specification can be refused before it loads or records anything: the fields
/// named (configuration keys) and the rest of the sentence.
@Suite struct SpecificationValidationTests {
    struct Invalid: Sendable, CustomTestStringConvertible {
        let label: String
        let specification: RunSpecification
        let fields: [String]
        let problem: String
        var testDescription: String { label }
    }

    static func data(_ data: DataSpecification) -> RunSpecification { RunSpecification(data: data) }
    static func kernel(_ kernel: KernelRequest) -> RunSpecification { RunSpecification(kernel: kernel) }
    static func mode(_ mode: ModeSpecification) -> RunSpecification { RunSpecification(mode: mode) }
    static func labels(_ labels: RunLabels) -> RunSpecification { RunSpecification(labels: labels) }

    static let dataCases: [Invalid] = [
        Invalid(
            label: "test fraction 0", specification: data(.init(testFraction: 0)),
            fields: ["test_fraction"], problem: "must be in (0, 1), got 0; try 0.2"),
        Invalid(
            label: "test fraction 1", specification: data(.init(testFraction: 1)),
            fields: ["test_fraction"], problem: "must be in (0, 1), got 1; try 0.2"),
        Invalid(
            label: "test fraction 1.5", specification: data(.init(testFraction: 1.5)),
            fields: ["test_fraction"], problem: "must be in (0, 1), got 1.5; try 0.2"),
        Invalid(
            label: "test fraction NaN", specification: data(.init(testFraction: .nan)),
            fields: ["test_fraction"], problem: "must be in (0, 1), got nan; try 0.2"),
        Invalid(
            label: "test file and test fraction", specification: data(.init(testFile: "t.csv", testFraction: 0.2)),
            fields: ["test_file", "test_fraction"], problem: "both give a held-out set; use one"),
        Invalid(
            label: "target on toy", specification: data(.init(source: "toy", target: "y")),
            fields: ["target", "features"], problem: "apply to CSV files, not the built-in 'toy' data"),
        Invalid(
            label: "features on sine", specification: data(.init(source: "sine", features: ["x"])),
            fields: ["target", "features"], problem: "apply to CSV files, not the built-in 'sine' data"),
        Invalid(
            label: "target on diabetes", specification: data(.init(source: "diabetes", target: "0")),
            fields: ["target", "features"], problem: "apply to CSV files, not the built-in 'diabetes' data"),
        Invalid(
            label: "n on toy", specification: data(.init(source: "toy", pointCount: 10)),
            fields: ["n", "noise"], problem: "apply to the sine data only"),
        Invalid(
            label: "noise on a CSV file", specification: data(.init(source: "data.csv", noise: 0.1)),
            fields: ["n", "noise"], problem: "apply to the sine data only"),
        Invalid(
            label: "n 1", specification: data(.init(source: "sine", pointCount: 1)),
            fields: ["n"], problem: "must be 2 ... 200000 (a Gram matrix of K points takes 8 K^2 bytes), got 1"),
        Invalid(
            label: "n -5", specification: data(.init(source: "sine", pointCount: -5)),
            fields: ["n"], problem: "must be 2 ... 200000 (a Gram matrix of K points takes 8 K^2 bytes), got -5"),
        Invalid(
            label: "n 200001", specification: data(.init(source: "sine", pointCount: 200_001)),
            fields: ["n"], problem: "must be 2 ... 200000 (a Gram matrix of K points takes 8 K^2 bytes), got 200001"),
        Invalid(
            label: "noise negative", specification: data(.init(source: "sine", noise: -0.1)),
            fields: ["noise"], problem: "must be a finite number >= 0, got -0.1"),
        Invalid(
            label: "noise NaN", specification: data(.init(source: "sine", noise: .nan)),
            fields: ["noise"], problem: "must be a finite number >= 0, got nan"),
        Invalid(
            label: "noise infinite", specification: data(.init(source: "sine", noise: .infinity)),
            fields: ["noise"], problem: "must be a finite number >= 0, got inf"),
    ]

    static let kernelCases: [Invalid] = [
        Invalid(
            label: "unknown kernel", specification: kernel(.init(name: "gaussian")),
            fields: ["kernel"],
            problem: "'gaussian' is unknown; use one of rbf, laplacian, matern32, matern52, polynomial, linear, ntk"),
        Invalid(
            label: "bandwidth 0", specification: kernel(.init(name: "rbf", bandwidth: 0)),
            fields: ["bandwidth"], problem: "must be positive, got 0"),
        Invalid(
            label: "matern bandwidth negative", specification: kernel(.init(name: "matern52", bandwidth: -0.5)),
            fields: ["bandwidth"], problem: "must be positive, got -0.5"),
        Invalid(
            label: "gamma -1", specification: kernel(.init(name: "rbf", gamma: -1)),
            fields: ["gamma"], problem: "must be positive, got -1"),
        Invalid(
            label: "polynomial gamma 0", specification: kernel(.init(name: "polynomial", gamma: 0)),
            fields: ["gamma"], problem: "must be positive, got 0"),
        Invalid(
            label: "degree 0", specification: kernel(.init(name: "polynomial", degree: 0)),
            fields: ["degree"], problem: "must be \(Kernel.Parameter.degree.domain), got 0"),
        Invalid(
            label: "coef0 -1", specification: kernel(.init(name: "polynomial", coef0: -1)),
            fields: ["coef0"], problem: "must be >= 0, got -1"),
        Invalid(
            label: "depth 0", specification: kernel(.init(name: "ntk", depth: 0)),
            fields: ["depth"], problem: "must be \(Kernel.Parameter.depth.domain), got 0"),
        Invalid(
            label: "depth -3", specification: kernel(.init(name: "ntk", depth: -3)),
            fields: ["depth"], problem: "must be \(Kernel.Parameter.depth.domain), got -3"),
        Invalid(
            label: "gamma NaN", specification: kernel(.init(name: "laplacian", gamma: .nan)),
            fields: ["gamma"], problem: "must be positive, got nan"),
        Invalid(
            label: "bandwidth infinite", specification: kernel(.init(name: "matern32", bandwidth: .infinity)),
            fields: ["bandwidth"], problem: "must be finite and positive, got inf"),
        Invalid(
            label: "coef0 infinite", specification: kernel(.init(name: "polynomial", coef0: .infinity)),
            fields: ["coef0"], problem: "must be finite and >= 0, got inf"),
        Invalid(
            label: "gamma minus infinity", specification: kernel(.init(name: "rbf", gamma: -.infinity)),
            fields: ["gamma"], problem: "must be finite and positive, got -inf"),
        Invalid(
            label: "fractional gamma shown as given", specification: kernel(.init(name: "rbf", gamma: -0.25)),
            fields: ["gamma"], problem: "must be positive, got -0.25"),
        Invalid(
            label: "bandwidth with gamma", specification: kernel(.init(name: "rbf", bandwidth: 0.5, gamma: 2)),
            fields: ["bandwidth", "gamma"], problem: "set the same scale; give one"),
        Invalid(
            label: "depth on rbf", specification: kernel(.init(name: "rbf", depth: 2)),
            fields: ["depth"], problem: "does not apply to the rbf kernel"),
        Invalid(
            label: "gamma on linear", specification: kernel(.init(name: "linear", gamma: 1)),
            fields: ["gamma"], problem: "does not apply to the linear kernel"),
        Invalid(
            label: "gamma on matern32", specification: kernel(.init(name: "matern32", gamma: 1)),
            fields: ["gamma"], problem: "does not apply to the matern32 kernel"),
        Invalid(
            label: "bandwidth on polynomial", specification: kernel(.init(name: "polynomial", bandwidth: 1)),
            fields: ["bandwidth"], problem: "does not apply to the polynomial kernel"),
        Invalid(
            label: "degree on ntk", specification: kernel(.init(name: "ntk", degree: 2)),
            fields: ["degree"], problem: "does not apply to the ntk kernel"),
        Invalid(
            label: "coef0 on laplacian", specification: kernel(.init(name: "laplacian", coef0: 1)),
            fields: ["coef0"], problem: "does not apply to the laplacian kernel"),
        Invalid(
            label: "depth on polynomial", specification: kernel(.init(name: "polynomial", depth: 1)),
            fields: ["depth"], problem: "does not apply to the polynomial kernel"),
    ]

    static let modeCases: [Invalid] = [
        Invalid(
            label: "eps and c", specification: mode(.init(eps: 0.1, fixedC: 0.1)),
            fields: ["eps", "eps_rel", "c"], problem: "choose the mode; give one"),
        Invalid(
            label: "eps and eps-rel", specification: mode(.init(eps: 0.1, epsRel: 0.1)),
            fields: ["eps", "eps_rel", "c"], problem: "choose the mode; give one"),
        Invalid(
            label: "all three modes", specification: mode(.init(eps: 0.1, epsRel: 0.1, fixedC: 1)),
            fields: ["eps", "eps_rel", "c"], problem: "choose the mode; give one"),
        Invalid(
            label: "eps 0", specification: mode(.init(eps: 0)), fields: ["eps"], problem: "must be positive, got 0"),
        Invalid(
            label: "eps negative", specification: mode(.init(eps: -0.5)), fields: ["eps"],
            problem: "must be positive, got -0.5"),
        Invalid(
            label: "eps-rel 0", specification: mode(.init(epsRel: 0)), fields: ["eps_rel"],
            problem: "must be positive, got 0"),
        Invalid(
            label: "eps-rel negative", specification: mode(.init(epsRel: -1)), fields: ["eps_rel"],
            problem: "must be positive, got -1"),
        Invalid(label: "c 0", specification: mode(.init(fixedC: 0)), fields: ["c"], problem: "must be positive, got 0"),
        Invalid(
            label: "c negative", specification: mode(.init(fixedC: -2)), fields: ["c"],
            problem: "must be positive, got -2"),
        Invalid(
            label: "eps NaN", specification: mode(.init(eps: .nan)), fields: ["eps"],
            problem: "must be positive, got nan"),
    ]

    static let otherCases: [Invalid] = [
        Invalid(
            label: "max rounds 0", specification: RunSpecification(maxRounds: 0),
            fields: ["max_rounds"], problem: "must be from 1 to 1000000, got 0"),
        Invalid(
            label: "max rounds negative", specification: RunSpecification(maxRounds: -1),
            fields: ["max_rounds"], problem: "must be from 1 to 1000000, got -1"),
        Invalid(
            label: "empty experiment", specification: labels(.init(experiment: "")),
            fields: ["experiment"], problem: "needs a name, got an empty string"),
        Invalid(
            label: "tag key with a space",
            specification: labels(.init(tags: [SDStore.Tag(key: "bad key", value: "v")])),
            fields: ["tag"], problem: "'bad key=v': tag key 'bad key' is not letters, digits, '.', '_' and '-'"),
        Invalid(
            label: "empty tag key",
            specification: labels(.init(tags: [SDStore.Tag(key: "ok", value: "1"), SDStore.Tag(key: "", value: "x")])),
            fields: ["tag"], problem: "'=x': tag key '' is not letters, digits, '.', '_' and '-'"),
    ]

    /// Each refused specification names its fields and says what is wrong, exactly.
    @Test(arguments: dataCases + kernelCases + modeCases + otherCases)
    func refusedWithFieldsAndProblem(_ invalid: Invalid) {
        let error = #expect(throws: SpecificationError.self) { try invalid.specification.validate() }
        #expect(error?.fields == invalid.fields)
        #expect(error?.problem == invalid.problem)
    }

    /// The parts refuse on their own what the whole specification refuses.
    @Test func partsValidateAlone() {
        let data = #expect(throws: SpecificationError.self) {
            try DataSpecification(source: "sine", pointCount: 1).validate()
        }
        #expect(
            data == SpecificationError("n", "must be 2 ... 200000 (a Gram matrix of K points takes 8 K^2 bytes), got 1")
        )
        let kernel = #expect(throws: SpecificationError.self) { try KernelRequest(name: "ntk", depth: 0).validate() }
        #expect(kernel == SpecificationError("depth", "must be \(Kernel.Parameter.depth.domain), got 0"))
        let mode = #expect(throws: SpecificationError.self) { try ModeSpecification(fixedC: -1).validate() }
        #expect(mode == SpecificationError("c", "must be positive, got -1"))
        let labels = #expect(throws: SpecificationError.self) { try RunLabels(experiment: "").validate() }
        #expect(labels?.fields == ["experiment"])
    }

    /// The first wrong part is reported: data before kernel before mode before rounds before labels.
    @Test func firstProblemWins() {
        let everything = RunSpecification(
            data: .init(testFraction: 2), kernel: .init(name: "nope"), mode: .init(eps: 0),
            maxRounds: 0, labels: .init(experiment: ""))
        #expect((#expect(throws: SpecificationError.self) { try everything.validate() })?.fields == ["test_fraction"])
        var rest = everything
        rest.data = DataSpecification()
        #expect((#expect(throws: SpecificationError.self) { try rest.validate() })?.fields == ["kernel"])
        rest.kernel = KernelRequest()
        #expect((#expect(throws: SpecificationError.self) { try rest.validate() })?.fields == ["eps"])
        rest.mode = ModeSpecification()
        #expect((#expect(throws: SpecificationError.self) { try rest.validate() })?.fields == ["max_rounds"])
        rest.maxRounds = 5
        #expect((#expect(throws: SpecificationError.self) { try rest.validate() })?.fields == ["experiment"])
    }

    /// Valid specifications pass: the defaults, every kernel with its own parameters, every mode.
    @Test func validSpecificationsPass() {
        let valid: [RunSpecification] = [
            RunSpecification(),
            RunSpecification(
                data: .init(source: "sine", testFraction: 0.25, seed: 3, pointCount: 2, noise: 0),
                kernel: .init(name: "rbf", bandwidth: 0.2), mode: .init(eps: 0.01), maxRounds: 1,
                labels: .init(experiment: "e", tags: [SDStore.Tag(key: "a.b_c-1", value: "any = text")], note: "n")),
            RunSpecification(
                data: .init(source: "data.csv", target: "y", features: ["x"], standardize: true, testFile: "t.csv"),
                kernel: .init(name: "laplacian", gamma: 3), mode: .init(epsRel: 0.1)),
            RunSpecification(kernel: .init(name: "matern32", bandwidth: 1), mode: .init(fixedC: 0.5)),
            RunSpecification(kernel: .init(name: "matern52")),
            RunSpecification(kernel: .init(name: "polynomial", gamma: 0.5, degree: 2, coef0: 0)),
            RunSpecification(kernel: .init(name: "linear")),
            RunSpecification(kernel: .init(name: "ntk", depth: 1)),
        ]
        for specification in valid { #expect(throws: Never.self) { try specification.validate() } }
    }

    /// The message names one, two or three fields in words ("a, b and c"), each as the front
    /// end calls it; with no fields it is the problem alone.
    @Test func messageNamesTheFields() {
        let option = { (field: String) in "--" + field.replacingOccurrences(of: "_", with: "-") }
        #expect(
            SpecificationError("test_fraction", "must be in (0, 1), got 2; try 0.2").message(naming: option)
                == "--test-fraction must be in (0, 1), got 2; try 0.2")
        #expect(
            SpecificationError(["test_file", "test_fraction"], "both give a held-out set; use one").message(
                naming: option)
                == "--test-file and --test-fraction both give a held-out set; use one")
        #expect(
            SpecificationError(["eps", "eps_rel", "c"], "choose the mode; give one").message(naming: option)
                == "--eps, --eps-rel and --c choose the mode; give one")
        #expect(SpecificationError(["a", "b", "c", "d"], "x").message { $0.uppercased() } == "A, B, C and D x")
        #expect(SpecificationError([], "something is wrong").message(naming: option) == "something is wrong")
        #expect(
            SpecificationError(["n", "noise"], "apply to the sine data only").description
                == "n and noise apply to the sine data only")
    }

    /// A tag key given twice is refused by validation, as the store refuses it ("two tags with
    /// one key"), so that the specification fails before it loads anything, with or without a store.
    @Test func tagKeyGivenTwiceIsRefused() {
        let labels = RunLabels(tags: [SDStore.Tag(key: "sweep", value: "1"), SDStore.Tag(key: "sweep", value: "2")])
        let error = #expect(throws: SpecificationError.self) { try RunSpecification(labels: labels).validate() }
        #expect(error?.fields == ["tag"] && error?.problem.contains("sweep") == true)
    }

    /// A whole-number parameter far beyond 2^53 (depth Int.max) is refused or recorded, never a
    /// crash: validation passes it, and the configuration converts it back to Int.
    @Test func hugeWholeNumberParameterDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            for request in [
                KernelRequest(name: "ntk", depth: Int.max), KernelRequest(name: "polynomial", degree: Int.max),
            ] {
                do {
                    try request.validate()
                    let specification = RunSpecification(kernel: request, mode: ModeSpecification(eps: 0.1))
                    let loaded = try specification.data.load()
                    _ = specification.configuration(
                        data: loaded, kernel: request.resolve(for: loaded.dataset.train.points),
                        eps: 0.1)
                } catch {}
            }
        }
    }
}
