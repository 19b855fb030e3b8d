import SDEngine
import SDJSON
import SDSpec

/// The options of `sdtrack run` a sweep takes, by their names in a spec file (the flag is the
/// same with dashes). Each sets one field of a `RunSpecification`.
public enum SweepOption: String, CaseIterable, Sendable {
    case data, target, features, standardize, test
    case testFraction = "test_fraction"
    case seed, n, noise
    case kernel, bandwidth, gamma, degree, coef0, depth
    case eps
    case epsRel = "eps_rel"
    case fixedC = "fixed_c"
    case rounds

    /// The flag of `sdtrack run` and `sdtrack sweep`, without its dashes.
    public var flag: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    enum Kind { case text, number, whole, flag }

    var kind: Kind {
        switch self {
        case .data, .target, .features, .test, .kernel: .text
        case .standardize: .flag
        case .seed, .n, .degree, .depth, .rounds: .whole
        case .testFraction, .noise, .bandwidth, .gamma, .coef0, .eps, .epsRel, .fixedC: .number
        }
    }

    /// Options that do not change the Gram matrix or its decomposition: runs that differ only in
    /// these share one (docs/math.md: one decomposition serves every eps, c and round cap).
    public var sharesDecomposition: Bool {
        switch self {
        case .eps, .epsRel, .fixedC, .rounds: true
        default: false
        }
    }

    /// The option's name of the field a `SpecificationError` names (a configuration key).
    public static func named(field: String) -> String {
        switch field {
        case "dataset": SweepOption.data.rawValue
        case "test_file": SweepOption.test.rawValue
        case "c": SweepOption.fixedC.rawValue
        case "max_rounds": SweepOption.rounds.rawValue
        default: field
        }
    }

    /// The values of one spec member (a JSON scalar; a string range "a..b" for whole numbers).
    func parse(_ value: JSONValue, context: String) throws(SweepError) -> [SweepValue] {
        switch (kind, value) {
        case (.text, .string(let text)): return [.text(text)]
        // A column index or a name that is a number (`target: 3` in YAML), as written.
        case (.text, _) where value.doubleValue != nil: return [.text(value.serialized())]
        case (.flag, .bool(let flag)): return [.flag(flag)]
        case (.number, _) where value.doubleValue != nil: return [.number(value.doubleValue!)]
        case (.whole, _) where value.intValue != nil: return try parse(String(value.intValue!), context: context)
        case (.whole, .string(let text)): return try parse(text, context: context)
        default:
            throw SweepError(
                "\(context) must be \(description) (or a list of them), got \(value.serialized().shortened)")
        }
    }

    /// The values of a flag's token: a number, a whole number or a range "a..b", a name.
    func parse(_ token: String, context: String) throws(SweepError) -> [SweepValue] {
        let values = try parseToken(token, context: context)
        if self == .seed, values.contains(where: { if case .integer(let seed) = $0 { seed < 0 } else { false } }) {
            throw SweepError("\(context) '\(token.shortened)': a seed is a whole number >= 0")
        }
        return values
    }

    private func parseToken(_ token: String, context: String) throws(SweepError) -> [SweepValue] {
        switch kind {
        case .text: return [.text(token)]
        case .flag:
            guard let flag = ["true": true, "false": false][token] else {
                throw SweepError("\(context) '\(token.shortened)' is not true or false")
            }
            return [.flag(flag)]
        case .number:
            guard let number = CSVTable.number(token) else {
                throw SweepError("\(context) '\(token.shortened)' is not a decimal number")
            }
            return [.number(number)]
        case .whole:
            if let range = token.range(of: "..") {
                guard let low = Int(token[..<range.lowerBound]), let high = Int(token[range.upperBound...]) else {
                    throw SweepError("\(context) '\(token.shortened)' is not a range of whole numbers such as 0..9")
                }
                guard low <= high else {
                    throw SweepError("\(context) '\(token.shortened)' is an empty range; write it low..high")
                }
                let (span, overflow) = high.subtractingReportingOverflow(low)
                guard !overflow, span < Self.longestRange else {
                    throw SweepError("\(context) '\(token.shortened)' has more than \(Self.longestRange) values")
                }
                return (low...high).map(SweepValue.integer)
            }
            guard let whole = Int(token) else {
                throw SweepError("\(context) '\(token.shortened)' is not a whole number or a range such as 0..9")
            }
            return [.integer(whole)]
        }
    }

    /// The most values one range gives: a larger grid is a mistake more often than a plan.
    static let longestRange = 100_000

    var description: String {
        switch kind {
        case .text: "a string"
        case .flag: "true or false"
        case .number: "a number"
        case .whole: "a whole number or a range such as \"0..9\""
        }
    }

    /// Sets this option's field of `specification` to `value` (of this option's kind).
    func apply(_ value: SweepValue, to specification: inout RunSpecification) {
        switch (self, value) {
        case (.data, .text(let text)): specification.data.source = text
        case (.target, .text(let text)): specification.data.target = text
        case (.features, .text(let text)):
            specification.data.features = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case (.standardize, .flag(let flag)): specification.data.standardize = flag
        case (.test, .text(let text)): specification.data.testFile = text
        case (.testFraction, .number(let number)): specification.data.testFraction = number
        case (.seed, .integer(let whole)): specification.data.seed = UInt64(clamping: whole)
        case (.n, .integer(let whole)): specification.data.pointCount = whole
        case (.noise, .number(let number)): specification.data.noise = number
        case (.kernel, .text(let text)): specification.kernel.name = text
        case (.bandwidth, .number(let number)): specification.kernel.bandwidth = number
        case (.gamma, .number(let number)): specification.kernel.gamma = number
        case (.degree, .integer(let whole)): specification.kernel.degree = whole
        case (.coef0, .number(let number)): specification.kernel.coef0 = number
        case (.depth, .integer(let whole)): specification.kernel.depth = whole
        case (.eps, .number(let number)): specification.mode.eps = number
        case (.epsRel, .number(let number)): specification.mode.epsRel = number
        case (.fixedC, .number(let number)): specification.mode.fixedC = number
        case (.rounds, .integer(let whole)): specification.maxRounds = whole
        default: preconditionFailure("\(rawValue) takes \(description), not \(value)")
        }
    }
}
