import Testing

@testable import SDEngine

/// Kernel parameter domains, defined once in Kernel.Parameter and applied by Kernel.validate().
@Suite struct KernelParameterTests {
    /// A real-valued parameter of one kernel: `make` builds the kernel with that parameter set
    /// to a value and every other parameter valid.
    struct RealCase: Sendable, CustomTestStringConvertible {
        let parameter: Kernel.Parameter
        let make: @Sendable (Double) -> Kernel
        var testDescription: String { "\(make(1).name) \(parameter.rawValue)" }
    }

    static let realCases = [
        RealCase(parameter: .gamma, make: { .rbf(gamma: $0) }),
        RealCase(parameter: .gamma, make: { .laplacian(gamma: $0) }),
        RealCase(parameter: .lengthScale, make: { .matern32(lengthScale: $0) }),
        RealCase(parameter: .lengthScale, make: { .matern52(lengthScale: $0) }),
        RealCase(parameter: .gamma, make: { .polynomial(degree: 2, gamma: $0, coef0: 1) }),
        RealCase(parameter: .coef0, make: { .polynomial(degree: 2, gamma: 1, coef0: $0) }),
    ]

    /// Values just outside the domain, the non-finite values, and the smallest valid value.
    static func edges(of parameter: Kernel.Parameter) -> (invalid: [Double], smallestValid: Double) {
        let nonFinite: [Double] = [.nan, .infinity, -.infinity]
        switch parameter {
        case .gamma, .lengthScale: return ([0, -0.0, -.leastNonzeroMagnitude, -1] + nonFinite, .leastNonzeroMagnitude)
        case .coef0: return ([-.leastNonzeroMagnitude, -1] + nonFinite, 0)
        case .degree, .depth: return ([0, 1 - .ulpOfOne / 2, 1.5, 2.5, -1] + nonFinite, 1)
        }
    }

    @Test(arguments: realCases)
    func realParameterEdges(testCase: RealCase) throws {
        let (invalid, smallestValid) = Self.edges(of: testCase.parameter)
        for value in invalid {
            let kernel = testCase.make(value)
            let error = #expect(throws: EngineError.self, "\(value)") { try kernel.validate() }
            #expect(error?.code == .invalidParameter)
            let message = error?.message ?? ""
            let named = "\(kernel.name) \(testCase.parameter.rawValue) must be "
            #expect(message.hasPrefix(named) && message.contains(testCase.parameter.domain), "\(message)")
            #expect(message.contains("(got \(value))") && !message.contains("\n"), "\(message)")
        }
        try testCase.make(smallestValid).validate()
        try testCase.make(.greatestFiniteMagnitude).validate()
    }

    /// A whole-number parameter: degree and depth are Ints in Kernel, so only 0 and negatives
    /// reach validate(); 1.5 and the non-finite values are covered through Parameter.contains.
    struct IntegerCase: Sendable, CustomTestStringConvertible {
        let parameter: Kernel.Parameter
        let make: @Sendable (Int) -> Kernel
        var testDescription: String { "\(make(1).name) \(parameter.rawValue)" }
    }

    @Test(arguments: [
        IntegerCase(parameter: .degree, make: { .polynomial(degree: $0, gamma: 1, coef0: 1) }),
        IntegerCase(parameter: .depth, make: { .ntk(depth: $0) }),
    ])
    func integerParameterEdges(testCase: IntegerCase) throws {
        let largest = Kernel.Parameter.largestWholeValue
        #expect(throws: EngineError.self) { try testCase.make(Int.max).validate() }
        for value in [0, -1, Int.min, largest + 1] {
            let kernel = testCase.make(value)
            let error = #expect(throws: EngineError.self, "\(value)") { try kernel.validate() }
            #expect(error?.code == .invalidParameter)
            #expect(
                error?.message == "\(kernel.name) \(testCase.parameter.rawValue) must be a whole number from 1 to "
                    + "\(largest) (got \(value))")
        }
        try testCase.make(1).validate()
        try testCase.make(largest).validate()
    }

    @Test(arguments: Kernel.Parameter.allCases)
    func containsMatchesTheDomain(parameter: Kernel.Parameter) {
        let (invalid, smallestValid) = Self.edges(of: parameter)
        for value in invalid { #expect(!parameter.contains(value), "\(value)") }
        #expect(parameter.contains(smallestValid))
        #expect(parameter.contains(2))
        // Real parameters have no upper bound; whole ones stop at largestWholeValue.
        #expect(parameter.contains(.greatestFiniteMagnitude) == !parameter.isInteger)
        #expect(parameter.contains(Double(Kernel.Parameter.largestWholeValue)))
        #expect(parameter.contains(Double(Kernel.Parameter.largestWholeValue) + 1) == !parameter.isInteger)
    }

    @Test func integerParametersAreDegreeAndDepth() {
        #expect(Kernel.Parameter.allCases.filter(\.isInteger) == [.degree, .depth])
        #expect(Kernel.Parameter.lengthScale.rawValue == "length_scale")
    }

    @Test func messagesSayWhatIsWrongAndWhatIsValid() {
        func message(_ kernel: Kernel) -> String? {
            do {
                try kernel.validate()
                return nil
            } catch { return error.message }
        }
        #expect(message(.ntk(depth: 0)) == "ntk depth must be a whole number from 1 to 1000 (got 0)")
        #expect(message(.rbf(gamma: 0)) == "rbf gamma must be positive (got 0.0)")
        #expect(
            message(.matern32(lengthScale: .infinity))
                == "matern32 length_scale must be finite and positive (got inf)")
        #expect(message(.laplacian(gamma: .nan)) == "laplacian gamma must be finite and positive (got nan)")
        #expect(
            message(.polynomial(degree: 3, gamma: 1, coef0: -1))
                == "polynomial coef0 must be >= 0 (got -1.0); a negative constant makes the kernel indefinite")
        #expect(
            message(.polynomial(degree: 3, gamma: 1, coef0: .nan))
                == "polynomial coef0 must be finite and >= 0 (got nan)")
        // The first parameter out of its domain, in `parameters` order, is the one named.
        #expect(
            message(.polynomial(degree: 0, gamma: -1, coef0: -1))
                == "polynomial degree must be a whole number from 1 to 1000 (got 0)")
        #expect(message(.linear) == nil)
    }

    @Test func parametersComeInAFixedOrderWithTheirTypes() {
        let polynomial = Kernel.polynomial(degree: 3, gamma: 0.5, coef0: 2).parameters
        #expect(polynomial.map(\.parameter) == [.degree, .gamma, .coef0])
        #expect(polynomial.map(\.value) == [3, 0.5, 2])
        #expect(Kernel.rbf(gamma: 4).parameters.map(\.parameter) == [.gamma])
        #expect(Kernel.laplacian(gamma: 4).parameters.map(\.parameter) == [.gamma])
        #expect(Kernel.matern32(lengthScale: 1).parameters.map(\.parameter) == [.lengthScale])
        #expect(Kernel.matern52(lengthScale: 1).parameters.map(\.parameter) == [.lengthScale])
        #expect(Kernel.ntk(depth: 2).parameters.map(\.parameter) == [.depth])
        #expect(Kernel.ntk(depth: 2).parameters.map(\.value) == [2])
        #expect(Kernel.linear.parameters.isEmpty)
    }
}
