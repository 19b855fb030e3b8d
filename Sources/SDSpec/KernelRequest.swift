import SDEngine
import SDJSON

/// The kernels a specification can name.
public enum KernelName: String, CaseIterable, Sendable {
    case rbf, laplacian, matern32, matern52, polynomial, linear, ntk

    /// "rbf, laplacian, ...": for messages and help.
    public static let list = allCases.map(\.rawValue).joined(separator: ", ")

    /// The request parameters that apply to the kernel.
    var accepted: [String] {
        switch self {
        case .rbf, .laplacian: ["bandwidth", "gamma"]
        case .matern32, .matern52: ["bandwidth"]
        case .polynomial: ["gamma", "degree", "coef0"]
        case .linear: []
        case .ntk: ["depth"]
        }
    }
}

/// The kernel as asked: its name and the parameters given. What is not given comes from the
/// data when the run starts (`resolve(for:)`): the median distance between training points
/// for a length scale, 1/p for the polynomial's gamma.
public struct KernelRequest: Sendable, Equatable {
    public var name: String
    /// rbf, laplacian, matern: the length scale sigma (rbf: gamma = 1 / (2 sigma^2);
    /// laplacian: gamma = 1 / sigma).
    public var bandwidth: Double?
    public var gamma: Double?
    public var degree: Int?
    public var coef0: Double?
    public var depth: Int?

    public static let defaultDegree = 3
    public static let defaultCoef0 = 1.0
    public static let defaultDepth = 2

    public init(
        name: String = KernelName.rbf.rawValue, bandwidth: Double? = nil, gamma: Double? = nil,
        degree: Int? = nil, coef0: Double? = nil, depth: Int? = nil
    ) {
        self.name = name
        self.bandwidth = bandwidth
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.depth = depth
    }

    /// The kernel named; rbf until `validate()` has passed.
    public var kernel: KernelName { KernelName(rawValue: name) ?? .rbf }

    /// The given parameters by name, with the engine parameter whose domain each must be in
    /// (a bandwidth is a length scale).
    private var given: [(name: String, value: Double, domain: Kernel.Parameter)] {
        var given = [(name: String, value: Double, domain: Kernel.Parameter)]()
        if let bandwidth { given.append(("bandwidth", bandwidth, .lengthScale)) }
        if let gamma { given.append(("gamma", gamma, .gamma)) }
        if let degree { given.append(("degree", Double(degree), .degree)) }
        if let coef0 { given.append(("coef0", coef0, .coef0)) }
        if let depth { given.append(("depth", Double(depth), .depth)) }
        return given
    }

    public func validate() throws(SpecificationError) {
        guard let kernel = KernelName(rawValue: name) else {
            throw SpecificationError("kernel", "'\(name.shortened)' is unknown; use one of \(KernelName.list)")
        }
        for (name, value, domain) in given where !domain.contains(value) {
            // "must be positive, got inf" would contradict itself: name finiteness when it is what failed.
            let requirement = value.isInfinite ? "finite and \(domain.domain)" : domain.domain
            throw SpecificationError(name, "must be \(requirement), got \(JSONNumber.display(value))")
        }
        if bandwidth != nil, gamma != nil {
            throw SpecificationError(["bandwidth", "gamma"], "set the same scale; give one")
        }
        for (name, _, _) in given where !kernel.accepted.contains(name) {
            throw SpecificationError(name, "does not apply to the \(kernel.rawValue) kernel")
        }
    }

    /// The kernel as asked: its name and each parameter that applies to it, null where the
    /// default depends on the data. Runs over seeds share it, while the resolved kernel
    /// differs with the data.
    public var json: JSONValue {
        let parameters: [(String, JSONValue)] =
            switch kernel {
            case .rbf, .laplacian: [("gamma", .optional(gamma)), ("bandwidth", .optional(bandwidth))]
            case .matern32, .matern52: [("bandwidth", .optional(bandwidth))]
            case .polynomial:
                [
                    ("degree", .int(degree ?? Self.defaultDegree)), ("gamma", .optional(gamma)),
                    ("coef0", .number(coef0 ?? Self.defaultCoef0)),
                ]
            case .linear: []
            case .ntk: [("depth", .int(depth ?? Self.defaultDepth))]
            }
        return .object([("name", .string(name))] + parameters)
    }

    /// The kernel, with the defaults that depend on the training points filled in.
    public func resolve(for points: Points) -> Kernel {
        func scale() -> Double { bandwidth ?? Kernel.medianDistance(points) }
        switch kernel {
        case .rbf: return .rbf(gamma: gamma ?? 1 / (2 * scale() * scale()))
        case .laplacian: return .laplacian(gamma: gamma ?? 1 / scale())
        case .matern32: return .matern32(lengthScale: scale())
        case .matern52: return .matern52(lengthScale: scale())
        case .polynomial:
            return .polynomial(
                degree: degree ?? Self.defaultDegree, gamma: gamma ?? 1 / Double(points.dimension),
                coef0: coef0 ?? Self.defaultCoef0)
        case .linear: return .linear
        case .ntk: return .ntk(depth: depth ?? Self.defaultDepth)
        }
    }
}

extension Kernel {
    /// The kernel as used: its name and its parameters, whole numbers (degree, depth) as
    /// integers.
    public var json: JSONValue {
        .object(
            [("name", .string(name))]
                + parameters.map { parameter, value in
                    (parameter.rawValue, parameter.isInteger ? .int(Int(value)) : .number(value))
                })
    }
}
