import SDEngine
import SDJSON
import SDTestSupport
import Testing

@testable import SDSpec

/// Resolving a kernel request against the training points: what is not given comes from the
/// median distance between points (length scales) or from 1/p (the polynomial's gamma).
@Suite struct KernelRequestTests {
    /// The gamma of an rbf or laplacian kernel.
    static func gamma(_ kernel: Kernel) -> Double? {
        switch kernel {
        case .rbf(let gamma), .laplacian(let gamma): gamma
        default: nil
        }
    }

    /// 1-D points 0, 1, 3: distances 1, 3, 2, median sigma = 2. rbf gamma = 1/(2 sigma^2) = 1/8,
    /// laplacian gamma = 1/sigma = 1/2, matern length scale sigma = 2.
    @Test func medianDistanceDefaults() {
        let points = Points([0, 1, 3])
        #expect(Kernel.medianDistance(points) == 2)
        #expect(KernelRequest(name: "rbf").resolve(for: points) == .rbf(gamma: 0.125))
        #expect(KernelRequest(name: "laplacian").resolve(for: points) == .laplacian(gamma: 0.5))
        #expect(KernelRequest(name: "matern32").resolve(for: points) == .matern32(lengthScale: 2))
        #expect(KernelRequest(name: "matern52").resolve(for: points) == .matern52(lengthScale: 2))
        // An even number of distances: 0, 1, 3, 7 give 1, 3, 7, 2, 6, 4; median (3 + 4) / 2.
        let four = Points([0, 1, 3, 7])
        #expect(Kernel.medianDistance(four) == 3.5)
        #expect(KernelRequest(name: "rbf").resolve(for: four) == .rbf(gamma: 1 / (2 * 3.5 * 3.5)))
        #expect(KernelRequest(name: "laplacian").resolve(for: four) == .laplacian(gamma: 1 / 3.5))
    }

    /// On random 3-D points the defaults use the median of every pairwise Euclidean distance.
    @Test func medianDistanceOnRandomPoints() throws {
        var random = TestRandom(seed: 11)
        let count = 9, dimension = 3
        let values = (0..<count * dimension).map { _ in Double.random(in: -2...2, using: &random) }
        let points = Points(count: count, dimension: dimension, values: values)
        var distances = [Double]()
        for i in 0..<count {
            for j in i + 1..<count {
                distances.append(
                    (0..<dimension).map { values[i * dimension + $0] - values[j * dimension + $0] }
                        .reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
        }
        // 36 distances: the median is the mean of the 18th and 19th smallest.
        distances.sort()
        let sigma = (distances[17] + distances[18]) / 2
        #expect(isClose(Kernel.medianDistance(points), sigma, relative: 1e-15))
        let rbf = KernelRequest(name: "rbf").resolve(for: points)
        let gamma = try #require(Self.gamma(rbf))
        #expect(rbf.name == "rbf" && isClose(gamma, 1 / (2 * sigma * sigma), relative: 1e-14))
        let laplacian = KernelRequest(name: "laplacian").resolve(for: points)
        let laplacianGamma = try #require(Self.gamma(laplacian))
        #expect(laplacian.name == "laplacian" && isClose(laplacianGamma, 1 / sigma, relative: 1e-14))
        // The polynomial's gamma is 1/p with p = 3, its degree 3 and coef0 1.
        #expect(
            KernelRequest(name: "polynomial").resolve(for: points) == .polynomial(degree: 3, gamma: 1.0 / 3, coef0: 1))
    }

    /// Given parameters win over the defaults: a bandwidth sigma gives rbf gamma 1/(2 sigma^2)
    /// and laplacian gamma 1/sigma; gamma is used as it is.
    @Test func givenParametersWin() {
        let points = Points([0, 1, 3])
        #expect(KernelRequest(name: "rbf", bandwidth: 0.5).resolve(for: points) == .rbf(gamma: 2))
        #expect(KernelRequest(name: "rbf", gamma: 80).resolve(for: points) == .rbf(gamma: 80))
        #expect(KernelRequest(name: "laplacian", bandwidth: 0.25).resolve(for: points) == .laplacian(gamma: 4))
        #expect(KernelRequest(name: "matern52", bandwidth: 0.3).resolve(for: points) == .matern52(lengthScale: 0.3))
        #expect(
            KernelRequest(name: "polynomial", gamma: 0.1, degree: 2, coef0: 0).resolve(for: points)
                == .polynomial(degree: 2, gamma: 0.1, coef0: 0))
        #expect(KernelRequest(name: "linear").resolve(for: points) == .linear)
        #expect(KernelRequest(name: "ntk").resolve(for: points) == .ntk(depth: 2))
        #expect(KernelRequest(name: "ntk", depth: 4).resolve(for: points) == .ntk(depth: 4))
    }

    /// The request as JSON: only the parameters of its kernel, null where the data decide,
    /// the polynomial's and ntk's defaults filled in as integers.
    @Test func requestJSON() {
        #expect(KernelRequest().json.serialized() == #"{"name":"rbf","gamma":null,"bandwidth":null}"#)
        #expect(
            KernelRequest(name: "matern32", bandwidth: 0.5).json.serialized() == #"{"name":"matern32","bandwidth":0.5}"#
        )
        #expect(
            KernelRequest(name: "polynomial").json.serialized()
                == #"{"name":"polynomial","degree":3,"gamma":null,"coef0":1}"#)
        #expect(KernelRequest(name: "ntk").json.serialized() == #"{"name":"ntk","depth":2}"#)
        #expect(Kernel.ntk(depth: 3).json.serialized() == #"{"name":"ntk","depth":3}"#)
        #expect(
            Kernel.polynomial(degree: 2, gamma: 0.5, coef0: 1).json.serialized()
                == #"{"name":"polynomial","degree":2,"gamma":0.5,"coef0":1}"#)
    }
}
