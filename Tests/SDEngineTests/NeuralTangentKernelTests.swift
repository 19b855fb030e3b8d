import Foundation
import SDTestSupport
import Testing

@testable import SDEngine

@Suite struct NeuralTangentKernelTests {
    /// Pairs in R^1 and R^3 spanning small and obtuse angles between the augmented inputs
    /// (e.g. (-2, 1) and (2, 1) have cosine -0.6), so theta > pi / 2 is exercised too.
    static let pairs: [([Double], [Double])] = [
        ([0.4], [-1.3]), ([-2.0], [2.0]), ([0.0], [3.5]), ([1.1], [1.1]),
        ([0.5, -1.0, 0.3], [1.2, 0.4, -0.7]), ([-0.8, 0.1, 0.9], [0.8, -0.1, -0.9]),
        ([2.0, 1.5, -0.5], [0.1, 0.2, 0.3]), ([0.5, -1.0, 0.3], [0.5, -1.0, 0.3]),
    ]

    @Test(arguments: [1, 2, 3])
    func matchesArorasSumFormWithArcCosineKernels(depth: Int) {
        for (x, y) in Self.pairs {
            let expected = referenceNTK(x, y, depth: depth)
            let actual = NeuralTangentKernel(depth: depth)(x[...], y[...])
            #expect(isClose(actual, expected, relative: 1e-12), "x = \(x), y = \(y): \(actual) vs \(expected)")
            #expect(Kernel.ntk(depth: depth)(x[...], y[...]) == actual)
        }
    }

    @Test func arcCosineClosedFormsMatchTheirGaussianExpectations() {
        // The reference above trusts Cho & Saul's closed forms; check them against the
        // expectations they stand for, for a few covariances [[a, c], [c, b]].
        for (a, b, c) in [(1.0, 1.0, 0.3), (2.0, 0.5, -0.9), (0.7, 1.3, 0.95), (1.5, 1.5, -1.4)] {
            let theta = atan2(max(0, a * b - c * c).squareRoot(), c)
            let expectations = gaussianReLUExpectations(a: a, b: b, c: c)
            #expect(isClose(expectations.relu, (a * b).squareRoot() * arcCosineJ1(theta) / (2 * .pi), relative: 1e-10))
            #expect(isClose(expectations.step, arcCosineJ0(theta) / (2 * .pi), relative: 1e-10))
        }
    }

    @Test func isSymmetric() {
        // Exactly: every operation in the evaluation is symmetric in x and y.
        for depth in 1...3 {
            let ntk = NeuralTangentKernel(depth: depth)
            for (x, y) in Self.pairs { #expect(ntk(x[...], y[...]) == ntk(y[...], x[...])) }
        }
    }

    @Test func diagonalIsDepthPlusOneTimesInputCovariance() {
        // On the diagonal theta = 0: every S_h(x, x) = S_0(x, x) and every Sd_h = 1. Holding
        // this to rounding needs S_h(x, x) to reproduce S_{h-1}(x, x) exactly: one ulp below
        // makes rho = 1 - 2^-53 and acos turns that into theta ~ 1e-8, a 1e-8 relative error.
        for depth in 1...3 {
            for x in Self.pairs.flatMap({ [$0.0, $0.1] }) {
                let inputCovariance = (x.reduce(0) { $0 + $1 * $1 } + 1) / Double(x.count + 1)
                let expected = Double(depth + 1) * inputCovariance
                #expect(isClose(NeuralTangentKernel(depth: depth)(x[...], x[...]), expected, relative: 1e-14))
            }
        }
    }

    @Test(arguments: [1, 3], [1, 2, 3])
    func gramOfRandomPointsIsPositiveSemidefinite(dimension: Int, depth: Int) throws {
        var generator = SeededGenerator(seed: 20_240_601)
        let count = 20
        let points = Points(
            count: count, dimension: dimension,
            values: (0..<count * dimension).map { _ in generator.nextGaussian() })
        var gram = Kernel.ntk(depth: depth).gram(points)
        let eigenvalues = try Lapack.symmetricEigen(&gram, n: count)
        let largest = eigenvalues.last!
        #expect(largest > 0)
        #expect(eigenvalues.first! >= -1e-10 * largest, "eigenvalues \(eigenvalues)")
    }

    /// The empirical NTK of wide random networks against the analytic T_L.
    ///
    /// Tolerance: at width m each entry is an average over m units, so it fluctuates with
    /// relative standard deviation of order sqrt(depth / m) (Hanin & Nica 2019); its mean is
    /// off by only O(depth / m). Measured over 24 networks of width 2048, one network's
    /// entries have standard deviation up to 4%, 5.5% and 7% at depths 1, 2, 3; the average
    /// of four networks halves that, so 10% is about three standard deviations at depth 3,
    /// while a wrong constant or angle dependence in the closed form moves entries by tens of
    /// percent. (Four networks of width 2048 resolve as much as twelve of width 1024 and fit
    /// the time budget; the m x m weights dominate the cost.) Errors are relative to
    /// sqrt(NTK(x, x) NTK(x', x')), the natural scale of an off-diagonal entry.
    @Test(arguments: [1, 2, 3])
    func empiricalNTKOfWideReLUNetworksConvergesToAnalytic(depth: Int) {
        let width = 2048
        let seeds: [UInt64] = [1, 2, 3, 4]
        let inputs: [[Double]] = [[0.5, -1.0, 0.3], [1.2, 0.4, -0.7], [-0.8, 0.1, 0.9]]
        var averaged = [[Double]](repeating: [Double](repeating: 0, count: inputs.count), count: inputs.count)
        for seed in seeds {
            let network = ReLUNetwork(inputDimension: 3, width: width, depth: depth, seed: seed)
            let gradients = inputs.map(network.layerGradients)
            for i in inputs.indices {
                for j in inputs.indices {
                    averaged[i][j] += empiricalNTK(gradients[i], gradients[j]) / Double(seeds.count)
                }
            }
        }
        let analytic = NeuralTangentKernel(depth: depth)
        var worst = 0.0
        for i in inputs.indices {
            for j in i..<inputs.count {
                let expected = analytic(inputs[i][...], inputs[j][...])
                let scale = (analytic(inputs[i][...], inputs[i][...]) * analytic(inputs[j][...], inputs[j][...]))
                    .squareRoot()
                worst = max(worst, abs(averaged[i][j] - expected) / scale)
            }
        }
        #expect(worst < 0.10, "worst relative error \(worst) at depth \(depth), width \(width)")
    }

    @Test func backpropagationMatchesFiniteDifferences() {
        // Guards the test's own network: every weight's gradient against a central difference.
        // f is piecewise linear in any single weight, so the difference is exact up to
        // rounding (~1e-10 here) unless a ReLU kink lies within one step.
        var network = ReLUNetwork(inputDimension: 3, width: 6, depth: 2, seed: 5)
        let x = [0.5, -1.0, 0.3]
        let gradients = network.layerGradients(x)
        let step = 1e-6
        for layer in network.weights.indices {
            let rows = gradients[layer].outputGradient.count
            for index in network.weights[layer].indices {
                let (row, column) = (index % rows, index / rows)
                let backpropagated = gradients[layer].outputGradient[row] * gradients[layer].scaledInput[column]
                let original = network.weights[layer][index]
                network.weights[layer][index] = original + step
                let above = network.output(x)
                network.weights[layer][index] = original - step
                let below = network.output(x)
                network.weights[layer][index] = original
                #expect(abs((above - below) / (2 * step) - backpropagated) <= 1e-7 * max(1, abs(backpropagated)))
            }
        }
    }
}

// MARK: - Independent closed form (Arora et al. 2019, sum form)

/// Cho & Saul's arc-cosine functions: for (u, v) Gaussian with correlation cos theta,
/// E[relu(u) relu(v)] = sqrt(E u^2 E v^2) J1 / (2 pi) and E[step(u) step(v)] = J0 / (2 pi).
private func arcCosineJ1(_ theta: Double) -> Double { sin(theta) + (Double.pi - theta) * cos(theta) }
private func arcCosineJ0(_ theta: Double) -> Double { Double.pi - theta }

/// Theta_L = sum_{h=0..L} Sigma_h prod_{h'=h+1..L} SigmaDot_{h'}, with Sigma_h and SigmaDot_h
/// the c_sigma = 2 arc-cosine expectations under the 2 x 2 covariance of layer h - 1.
/// Written independently of the production recursion: angles by atan2, diagonals carried
/// through the same formula rather than shortcut, and the sum form instead of T_h.
private func referenceNTK(_ x: [Double], _ y: [Double], depth: Int) -> Double {
    let cSigma = 2.0
    let xAugmented = x + [1], yAugmented = y + [1]
    func inner(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).map { $0 * $1 }.reduce(0, +) / Double(x.count + 1) }
    var (a, b, c) = (inner(xAugmented, xAugmented), inner(yAugmented, yAugmented), inner(xAugmented, yAugmented))
    func angle(_ a: Double, _ b: Double, _ c: Double) -> Double { atan2(max(0, a * b - c * c).squareRoot(), c) }
    func sigmaNext(_ a: Double, _ b: Double, _ c: Double) -> Double {
        cSigma * (a * b).squareRoot() * arcCosineJ1(angle(a, b, c)) / (2 * .pi)
    }
    var sigma = [c]
    var sigmaDot = [Double.nan]  // SigmaDot_0 is never used
    for _ in 1...depth {
        sigmaDot.append(cSigma * arcCosineJ0(angle(a, b, c)) / (2 * .pi))
        (a, b, c) = (sigmaNext(a, a, a), sigmaNext(b, b, b), sigmaNext(a, b, c))
        sigma.append(c)
    }
    return (0...depth).reduce(0) { total, h in total + sigma[h] * sigmaDot[(h + 1)...].reduce(1, *) }
}

/// E[relu(u) relu(v)] and E[step(u) step(v)] for (u, v) ~ N(0, [[a, c], [c, b]]) by quadrature.
///
/// Writing (u, v) = (sqrt(a) r cos phi, sqrt(b) r cos(phi - theta)) with cos theta the
/// correlation, the radial integrals are closed (int r^3 e^{-r^2/2} dr = 2, int r e^{-r^2/2} dr = 1),
/// and both integrands are non-zero exactly for phi in [theta - pi/2, pi/2]. The angular
/// integral of the smooth product there is done by composite Simpson.
private func gaussianReLUExpectations(a: Double, b: Double, c: Double) -> (relu: Double, step: Double) {
    let theta = acos(c / (a * b).squareRoot())
    let (lower, upper) = (theta - Double.pi / 2, Double.pi / 2)
    let intervals = 4000
    let h = (upper - lower) / Double(intervals)
    var integral = 0.0
    for k in 0...intervals {
        let phi = lower + Double(k) * h
        let weight: Double = (k == 0 || k == intervals) ? 1 : (k % 2 == 1 ? 4 : 2)
        integral += weight * cos(phi) * cos(phi - theta)
    }
    integral *= h / 3
    let relu = (a * b).squareRoot() * 2 * integral / (2 * .pi)
    let step = (upper - lower) / (2 * .pi)
    return (relu, step)
}

// MARK: - A wide random ReLU network in the NTK parameterisation

/// A bias-free fully connected ReLU network with `depth` hidden layers of width m, standard
/// normal weights, on x~ = (x, 1) in R^(p+1):
///
///     h_1 = W_1 x~ / sqrt(p + 1),  h_{l+1} = W_{l+1} sqrt(2 / m) relu(h_l),  f = v . sqrt(2 / m) relu(h_L)
///
/// Why this scaling gives docs/math.md's T_L as m -> infinity: h_1 has covariance S_0; if h_l
/// has covariance S_{l-1}, then h_{l+1} has (2 / m) sum_j E[relu relu] -> 2 E[relu relu] = S_l,
/// and f has S_L. The gradient with respect to a layer is an outer product (output gradient
/// x scaled input), so its contribution to <grad f(x), grad f(x')> is (delta . delta')(in . in').
/// The inputs contribute S_{l-1}; the output gradients, by backpropagation through
/// sqrt(2 / m) step(h_k) masks, contribute prod_{k=l..L} 2 E[step step] = prod Sd_k.
/// Summing over layers gives sum_h S_h prod_{h' > h} Sd_h' = T_L.
private struct ReLUNetwork {
    let inputDimension: Int
    let width: Int
    /// Column-major weight matrices: W_1 (m x (p+1)), W_2 ... W_L (m x m), and v as 1 x m.
    var weights: [[Double]]

    init(inputDimension: Int, width: Int, depth: Int, seed: UInt64) {
        self.inputDimension = inputDimension
        self.width = width
        var generator = SeededGenerator(seed: seed)
        // A plain loop: in a debug build it is four times faster than map with a closure.
        func gaussians(_ count: Int) -> [Double] {
            [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count { buffer[index] = generator.nextGaussian() }
                initialized = count
            }
        }
        weights = [gaussians(width * (inputDimension + 1))]
        for _ in 1..<depth { weights.append(gaussians(width * width)) }
        weights.append(gaussians(width))
    }

    private var depth: Int { weights.count - 1 }

    /// Rows and columns of layer k's weight matrix (k = 0 is W_1, k = depth is v).
    private func shape(_ layer: Int) -> (rows: Int, columns: Int) {
        (layer == depth ? 1 : width, layer == 0 ? inputDimension + 1 : width)
    }

    /// Layer inputs times their NTK scale, and each layer's pre-activations.
    private func forward(_ x: [Double]) -> (scaledInputs: [[Double]], preActivations: [[Double]]) {
        let hiddenScale = (2 / Double(width)).squareRoot()
        var input = (x + [1]).map { $0 / Double(inputDimension + 1).squareRoot() }
        var scaledInputs = [[Double]](), preActivations = [[Double]]()
        for layer in weights.indices {
            let (rows, columns) = shape(layer)
            let output = Lapack.multiply(weights[layer], rows: rows, columns: columns, input)
            scaledInputs.append(input)
            preActivations.append(output)
            input = output.map { hiddenScale * max(0, $0) }
        }
        return (scaledInputs, preActivations)
    }

    func output(_ x: [Double]) -> Double { forward(x).preActivations.last![0] }

    /// The gradient of f(x) with respect to every layer's weights, by backpropagation.
    func layerGradients(_ x: [Double]) -> [LayerGradient] {
        let hiddenScale = (2 / Double(width)).squareRoot()
        let (scaledInputs, preActivations) = forward(x)
        var outputGradients = [[Double]](repeating: [], count: weights.count)
        outputGradients[depth] = [1]
        for layer in stride(from: depth, to: 0, by: -1) {
            let (rows, columns) = shape(layer)
            let inputGradient = Lapack.multiply(
                weights[layer], rows: rows, columns: columns,
                outputGradients[layer], transposed: true)
            outputGradients[layer - 1] = zip(inputGradient, preActivations[layer - 1]).map { gradient, h in
                h > 0 ? hiddenScale * gradient : 0
            }
        }
        return zip(outputGradients, scaledInputs).map(LayerGradient.init)
    }
}

/// df/dW for one layer, kept factored as the outer product outputGradient scaledInput^T
/// (an m x m gradient per layer and input would not fit the time budget).
private struct LayerGradient {
    /// df / d(pre-activation) of the layer.
    let outputGradient: [Double]
    /// The layer's input times its NTK scale.
    let scaledInput: [Double]
}

/// <grad f(x), grad f(x')> summed over layers: <d a^T, d' a'^T>_F = (d . d')(a . a').
private func empiricalNTK(_ first: [LayerGradient], _ second: [LayerGradient]) -> Double {
    zip(first, second).reduce(0) { total, layers in
        let (a, b) = layers
        return total + dot(a.outputGradient[...], b.outputGradient[...]) * dot(a.scaledInput[...], b.scaledInput[...])
    }
}
