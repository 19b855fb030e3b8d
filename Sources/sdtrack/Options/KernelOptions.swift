import ArgumentParser
import SDEngine

enum KernelName: String, CaseIterable {
    case rbf, laplacian, matern32, matern52, polynomial, linear, ntk

    static let list = allCases.map(\.rawValue).joined(separator: ", ")
}

/// The kernel and its parameters.
struct KernelOptions: ParsableArguments {
    // A string rather than an enum so that a typo gets one line naming the valid kernels.
    @Option(name: .customLong("kernel"), help: "The kernel: \(KernelName.list).")
    var kernelName = KernelName.rbf.rawValue

    var kernel: KernelName { KernelName(rawValue: kernelName) ?? .rbf }

    @Option(help: "rbf, laplacian, matern: the length scale sigma (default: median distance between training points).")
    var bandwidth: Double?

    @Option(help: "rbf: exp(-gamma |x-x'|^2); laplacian: exp(-gamma |x-x'|_1); polynomial: the scale of x.x' (default 1/p).")
    var gamma: Double?

    @Option(help: "polynomial: the degree.")
    var degree: Int?

    @Option(help: "polynomial: the constant term (>= 0).")
    var coef0: Double?

    @Option(help: "ntk: the number of hidden layers.")
    var depth: Int?

    static let defaultDegree = 3
    static let defaultCoef0 = 1.0
    static let defaultDepth = 2

    func validate() throws {
        guard KernelName(rawValue: kernelName) != nil else {
            throw ValidationError("unknown kernel '\(kernelName)'; use one of \(KernelName.list)")
        }
        // The domains are the engine's; --bandwidth is a length scale for every kernel it applies to.
        let values: [(String, Double?, Kernel.Parameter)] = [
            ("bandwidth", bandwidth, .lengthScale), ("gamma", gamma, .gamma), ("depth", depth.map(Double.init), .depth),
            ("degree", degree.map(Double.init), .degree), ("coef0", coef0, .coef0)]
        for case let (flag, value?, parameter) in values where !parameter.contains(value) {
            let shown = parameter.isInteger ? Int(exactly: value).map(String.init) ?? "\(value)" : "\(value)"
            throw ValidationError("--\(flag) must be \(parameter.domain), got \(shown)")
        }
        if bandwidth != nil, gamma != nil { throw ValidationError("--bandwidth and --gamma set the same scale; give one") }
        let accepted: Set<String> = switch kernel {
        case .rbf, .laplacian: ["bandwidth", "gamma"]
        case .matern32, .matern52: ["bandwidth"]
        case .polynomial: ["gamma", "degree", "coef0"]
        case .linear: []
        case .ntk: ["depth"]
        }
        let given: [(String, Bool)] = [("bandwidth", bandwidth != nil), ("gamma", gamma != nil), ("degree", degree != nil),
                                       ("coef0", coef0 != nil), ("depth", depth != nil)]
        for (name, isGiven) in given where isGiven && !accepted.contains(name) {
            throw ValidationError("--\(name) does not apply to the \(kernel.rawValue) kernel")
        }
    }

    /// The kernel as asked: its name and each parameter that applies to it, null where the
    /// default depends on the data (the median distance, 1/p). Runs over seeds share it,
    /// while the resolved kernel differs with the data.
    var request: JSONValue {
        let parameters: [(String, JSONValue)] = switch kernel {
        case .rbf, .laplacian: [("gamma", .optional(gamma)), ("bandwidth", .optional(bandwidth))]
        case .matern32, .matern52: [("bandwidth", .optional(bandwidth))]
        case .polynomial: [("degree", .int(degree ?? Self.defaultDegree)), ("gamma", .optional(gamma)), ("coef0", .number(coef0 ?? Self.defaultCoef0))]
        case .linear: []
        case .ntk: [("depth", .int(depth ?? Self.defaultDepth))]
        }
        return .object([("name", .string(kernelName))] + parameters)
    }

    /// The kernel, with defaults that depend on the training points filled in.
    func resolve(for points: Points) -> Kernel {
        func scale() -> Double { bandwidth ?? Kernel.medianDistance(points) }
        switch kernel {
        case .rbf: return .rbf(gamma: gamma ?? 1 / (2 * scale() * scale()))
        case .laplacian: return .laplacian(gamma: gamma ?? 1 / scale())
        case .matern32: return .matern32(lengthScale: scale())
        case .matern52: return .matern52(lengthScale: scale())
        case .polynomial:
            return .polynomial(degree: degree ?? Self.defaultDegree, gamma: gamma ?? 1 / Double(points.dimension),
                               coef0: coef0 ?? Self.defaultCoef0)
        case .linear: return .linear
        case .ntk: return .ntk(depth: depth ?? Self.defaultDepth)
        }
    }
}
