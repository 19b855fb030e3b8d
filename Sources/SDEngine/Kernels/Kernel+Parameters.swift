extension Kernel {
    /// A kernel parameter as records and JSON name it, whether it is a whole number, and its domain.
    ///
    /// The domains are the ones every kernel needs to be a finite positive semi-definite
    /// function: gamma and length_scale > 0, degree and depth >= 1, coef0 >= 0 (a negative
    /// constant makes the polynomial kernel indefinite: (x . x' + coef0)^2 with coef0 < 0 is
    /// not PSD in general). Every domain excludes NaN and the infinities.
    public enum Parameter: String, CaseIterable, Sendable {
        case gamma
        case lengthScale = "length_scale"
        case degree, coef0, depth

        /// Whether the parameter counts something (polynomial degree, network depth).
        public var isInteger: Bool {
            switch self {
            case .degree, .depth: true
            case .gamma, .lengthScale, .coef0: false
            }
        }

        /// The largest degree and depth: beyond it a polynomial kernel overflows a Double for
        /// any |gamma x . x' + coef0| > 2, an NTK that deep is constant to rounding, and every
        /// whole number converts between Int and Double exactly.
        public static let largestWholeValue = 1000

        /// The domain in words for messages: "rbf gamma must be \(domain)".
        public var domain: String {
            switch self {
            case .gamma, .lengthScale: "positive"
            case .degree, .depth: "a whole number from 1 to \(Self.largestWholeValue)"
            case .coef0: ">= 0"
            }
        }

        /// Whether `value` is finite, in the domain, and whole when `isInteger`.
        public func contains(_ value: Double) -> Bool {
            guard value.isFinite else { return false }
            switch self {
            case .gamma, .lengthScale: return value > 0
            case .degree, .depth:
                return value >= 1 && value <= Double(Self.largestWholeValue) && value.rounded(.towardZero) == value
            case .coef0: return value >= 0
            }
        }
    }

    /// The kernel's parameters in a fixed order, typed (for validation, reports and records).
    /// Whole-number parameters convert exactly up to magnitude 2^53, far beyond any usable degree or depth.
    public var parameters: [(parameter: Parameter, value: Double)] {
        switch self {
        case .rbf(let gamma), .laplacian(let gamma): [(.gamma, gamma)]
        case .matern32(let l), .matern52(let l): [(.lengthScale, l)]
        case .polynomial(let degree, let gamma, let coef0):
            [(.degree, Double(degree)), (.gamma, gamma), (.coef0, coef0)]
        case .linear: []
        case .ntk(let depth): [(.depth, Double(depth))]
        }
    }

    /// Throws .invalidParameter naming the kernel, the parameter, its value and its domain
    /// for the first parameter (in `parameters` order) outside its domain, for example
    /// "ntk depth must be a whole number from 1 to 1000 (got 0)" or "rbf gamma must be finite and
    /// positive (got inf)".
    public func validate() throws(EngineError) {
        for (parameter, value) in parameters where !parameter.contains(value) {
            // "must be positive (got inf)" would contradict itself: name finiteness when it is what failed.
            let requirement = value.isFinite ? parameter.domain : "finite and \(parameter.domain)"
            let shown = Self.describe(value, parameter)
            var message = "\(name) \(parameter.rawValue) must be \(requirement) (got \(shown))"
            if parameter == .coef0, value < 0 { message += "; a negative constant makes the kernel indefinite" }
            throw EngineError(.invalidParameter, message)
        }
    }

    /// A whole-number parameter as an integer ("0", not "0.0"); anything else as Swift prints it.
    private static func describe(_ value: Double, _ parameter: Parameter) -> String {
        if parameter.isInteger, let whole = Int(exactly: value) { return String(whole) }
        return "\(value)"
    }
}
