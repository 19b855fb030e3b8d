import ArgumentParser
import SDEngine
import SDSpec

/// The kernel and its parameters: a `KernelRequest`.
struct KernelOptions: ParsableArguments {
    // A string rather than an enum so that a typo gets one line naming the valid kernels.
    @Option(name: .customLong("kernel"), help: "The kernel: \(KernelName.list).")
    var kernelName = KernelName.rbf.rawValue

    @Option(
        help: "rbf, laplacian, matern: the length scale sigma (default: median distance between training points).",
        transform: decimal)
    var bandwidth: Double?

    @Option(
        help:
            "rbf: exp(-gamma |x-x'|^2); laplacian: exp(-gamma |x-x'|_1); polynomial: the scale of x.x' (default 1/p).",
        transform: decimal)
    var gamma: Double?

    @Option(help: "polynomial: the degree (default \(KernelRequest.defaultDegree)).")
    var degree: Int?

    @Option(help: "polynomial: the constant term (>= 0; default \(KernelRequest.defaultCoef0)).", transform: decimal)
    var coef0: Double?

    @Option(help: "ntk: the number of hidden layers (default \(KernelRequest.defaultDepth)).")
    var depth: Int?

    var request: KernelRequest {
        KernelRequest(name: kernelName, bandwidth: bandwidth, gamma: gamma, degree: degree, coef0: coef0, depth: depth)
    }

    func validate() throws {
        try validating { try request.validate() }
    }
}
