import SDEngine
import SDJSON

/// How c_t is chosen: the paper's eps, eps relative to the labels, or a fixed c. At most one
/// is given; none means eps-rel at `defaultEpsRel`.
public struct ModeSpecification: Sendable, Equatable {
    public var eps: Double?
    public var epsRel: Double?
    public var fixedC: Double?

    public static let defaultEpsRel = 0.05

    public init(eps: Double? = nil, epsRel: Double? = nil, fixedC: Double? = nil) {
        self.eps = eps
        self.epsRel = epsRel
        self.fixedC = fixedC
    }

    public func validate() throws(SpecificationError) {
        if [eps, epsRel, fixedC].compactMap({ $0 }).count > 1 {
            throw SpecificationError(["eps", "eps_rel", "c"], "choose the mode; give one")
        }
        for (field, value) in [("eps", eps), ("eps_rel", epsRel), ("c", fixedC)] {
            if let value, !DistillationMode.isValidConstant(value) {
                let requirement = value.isFinite || value.isNaN ? "positive" : "finite and positive"
                throw SpecificationError(field, "must be \(requirement), got \(JSONNumber.display(value))")
            }
        }
    }

    public var mode: DistillationMode {
        if let eps { return .eps(eps) }
        if let fixedC { return .fixedC(fixedC) }
        return .relativeEps(epsRel ?? Self.defaultEpsRel)
    }

    /// The eps-rel ratio in use: the one given, or the default when no mode is given.
    public var resolvedEpsRel: Double? { eps == nil && fixedC == nil ? epsRel ?? Self.defaultEpsRel : nil }
}
