/// How c_t is chosen each round.
public enum DistillationMode: Sendable, Equatable {
    /// The paper: c_t makes (1/K) ||f_t(X) - y_t||^2 = eps.
    case eps(Double)
    /// eps = ratio * mean(y_0^2): the same as `.eps` once resolved against the labels.
    case relativeEps(Double)
    /// The same c every round (beyond the paper; Borup & Andersen 2021).
    case fixedC(Double)

    /// The mode's constant: eps, the eps-rel ratio, or c.
    public var constant: Double {
        switch self {
        case .eps(let value), .relativeEps(let value), .fixedC(let value): value
        }
    }

    /// The domain of every mode's constant: positive and finite.
    public static func isValidConstant(_ value: Double) -> Bool { value > 0 && value.isFinite }

    public var name: String {
        switch self {
        case .eps: "eps"
        case .relativeEps: "eps-rel"
        case .fixedC: "fixed-c"
        }
    }

    /// The absolute eps for labels `y`, or nil in fixed-c mode.
    public func resolvedEps(labels y: [Double]) -> Double? {
        switch self {
        case .eps(let eps): eps
        case .relativeEps(let ratio): ratio * y.reduce(0) { $0 + $1 * $1 } / Double(y.count)
        case .fixedC: nil
        }
    }
}
