import Foundation

/// The neural tangent kernel of a fully connected ReLU network with `depth` hidden layers
/// and no bias, on inputs augmented with a constant 1 (docs/math.md section 6; Arora et al. 2019).
///
///     S_0(x,x') = x~ . x~' / (p + 1)
///     rho = S_{h-1}(x,x') / sqrt(S_{h-1}(x,x) S_{h-1}(x',x')),  theta = arccos(clamp(rho))
///     S_h  = sqrt(S_{h-1}(x,x) S_{h-1}(x',x')) (sin theta + (pi - theta) cos theta) / pi
///     Sd_h = (pi - theta) / pi
///     T_0 = S_0,  T_h = T_{h-1} Sd_h + S_h,  NTK = T_L
///
/// rho is clamped to [-1, 1] because rounding can push it just outside. The augmentation
/// keeps every S_0(x, x) >= 1 / (p + 1) > 0, so the normalisation never divides by zero.
public struct NeuralTangentKernel: Sendable {
    public let depth: Int

    public init(depth: Int) {
        precondition(depth >= 1, "NTK depth must be at least 1")
        self.depth = depth
    }

    public func callAsFunction(_ x: ArraySlice<Double>, _ y: ArraySlice<Double>) -> Double {
        let augmentedDimension = Double(x.count + 1)
        var sxy = (dot(x, y) + 1) / augmentedDimension
        // On the diagonal theta = 0, so S_h(x, x) = S_{h-1}(x, x) = S_0(x, x) for every h.
        let sxx = (dot(x, x) + 1) / augmentedDimension
        let syy = (dot(y, y) + 1) / augmentedDimension
        let norm = (sxx * syy).squareRoot()
        var ntk = sxy
        for _ in 0..<depth {
            let theta = acos(min(1, max(-1, sxy / norm)))
            let derivative = (Double.pi - theta) / Double.pi
            // Divide before scaling so that theta = 0 gives exactly norm (pi / pi == 1).
            sxy = norm * ((sin(theta) + (Double.pi - theta) * cos(theta)) / Double.pi)
            ntk = ntk * derivative + sxy
        }
        return ntk
    }
}
