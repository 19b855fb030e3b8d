import SDJSON

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// How an axis maps values to positions.
public enum AxisScale: String, Sendable {
    case linear, log

    /// Log when every finite value is positive and they span at least two decades (ratio
    /// 100); linear otherwise.
    public static func fitting(_ values: [Double]) -> AxisScale {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), low > 0 else { return .linear }
        return high / low >= 100 ? .log : .linear
    }
}

/// A value range mapped onto a pixel range, with its ticks.
///
/// Edge cases: an empty or single-valued domain is widened (by ±0.5 on a linear scale, by a
/// factor 10 on a log scale) so that a constant series is still drawn mid-panel; a log scale
/// maps values <= 0 to nil (they are left out of the drawing; `plot --json` still has them).
/// Values at the ends of double range neither overflow nor trap: a linear scale computes with
/// half-values (1.7e308 - (-1.7e308) is beyond double range, its half is not), a log scale
/// with exponents (1 / 1e-320 is beyond double range, 320 is not).
public struct Scale: Sendable {
    public let kind: AxisScale
    public let domain: ClosedRange<Double>
    public let range: ClosedRange<Double>
    /// Whether range.lowerBound is the position of domain.upperBound (y axes grow upward).
    public let flipped: Bool
    /// The domain as positions are computed from it: halves of the values (linear) or their
    /// base-10 logarithms (log).
    private let low: Double, high: Double

    public init(kind: AxisScale, values: [Double], range: ClosedRange<Double>, flipped: Bool, padded: Bool = true) {
        self.kind = kind
        self.range = range
        self.flipped = flipped
        let usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        var low: Double, high: Double
        switch kind {
        case .linear:
            low = (usable.min() ?? 0) / 2
            high = (usable.max() ?? 1) / 2
            if low == high { (low, high) = (low - 0.25, high + 0.25) }
        case .log:
            low = log10(usable.min() ?? 0.1)
            high = log10(usable.max() ?? 10)
            if low == high { (low, high) = (low - 1, high + 1) }
        }
        if padded {
            let pad = (high - low) * 0.05
            (low, high) = (low - pad, high + pad)
        }
        switch kind {
        case .linear:
            let largest = Double.greatestFiniteMagnitude
            domain = max(-largest, low * 2)...min(largest, high * 2)
        case .log:
            // 10^-323.3 is the smallest double above 0, 10^308.25 the largest.
            (low, high) = (
                max(low, log10(Double.leastNonzeroMagnitude)), min(high, log10(Double.greatestFiniteMagnitude))
            )
            domain = pow(10, low)...pow(10, high)
        }
        (self.low, self.high) = (low, high)
    }

    /// The position of `value`, nil where the scale has none (<= 0 on a log scale, NaN).
    public func position(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let fraction: Double
        switch kind {
        case .linear: fraction = (value / 2 - low) / (high - low)
        case .log:
            guard value > 0 else { return nil }
            fraction = (log10(value) - low) / (high - low)
        }
        let span = range.upperBound - range.lowerBound
        return flipped ? range.upperBound - fraction * span : range.lowerBound + fraction * span
    }

    /// Ticks inside the domain with their labels: 1, 2 or 5 times a power of ten on a linear
    /// scale (about `target` of them), powers of ten on a log scale (every second or third
    /// when there are many; 1, 2, 5 within a decade when the domain spans less than two).
    public func ticks(target: Int = 5, integers: Bool = false) -> [Tick] {
        switch kind {
        case .linear: return linearTicks(target: target, integers: integers)
        case .log: return logTicks()
        }
    }

    private func linearTicks(target: Int, integers: Bool) -> [Tick] {
        // Beyond double range (values near 1.8e308 of both signs): no ticks rather than wrong ones.
        let span = (high - low) * 2
        guard span.isFinite else { return [] }
        var step = Self.niceStep(span / Double(max(target, 1)))
        if integers { step = max(1, step.rounded()) }
        let first = (domain.lowerBound / step).rounded(.up), last = (domain.upperBound / step).rounded(.down)
        guard first <= last, last - first < 1000 else { return [] }
        let decimals = integers ? 0 : max(0, Int(-floor(log10(step) + 1e-9)))
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step
            return Tick(value: value, label: .plain(Self.label(value == 0 ? 0 : value, decimals: decimals, step: step)))
        }
    }

    private func logTicks() -> [Tick] {
        let lowExponent = Int(ceil(low - 1e-9))
        let highExponent = Int(floor(high + 1e-9))
        if highExponent - lowExponent < 1 {
            // Less than two decades: 1, 2 and 5 times the powers of ten in range.
            var ticks = [Tick]()
            for exponent in (lowExponent - 1)...(highExponent + 1) {
                for mantissa in [1.0, 2, 5] {
                    let value = mantissa * pow(10, Double(exponent))
                    if domain.contains(value) {
                        ticks.append(Tick(value: value, label: .plain(Self.shortLabel(value))))
                    }
                }
            }
            return ticks
        }
        let every = max(1, (highExponent - lowExponent + 6) / 7)
        return stride(from: lowExponent, through: highExponent, by: 1).compactMap { exponent in
            guard (exponent - lowExponent) % every == 0 else { return nil }
            return Tick(value: pow(10, Double(exponent)), label: .powerOfTen(exponent))
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, floor(log10(rough)))
        for multiple in [1.0, 2, 5, 10] where multiple * power >= rough * (1 - 1e-9) { return multiple * power }
        return 10 * power
    }

    static func label(_ value: Double, decimals: Int, step: Double) -> String {
        let magnitude = max(abs(value), step)
        if magnitude >= 1e5 || step < 1e-4 { return shortLabel(value) }
        return formatted("%.*f", Int32(decimals), value)
    }

    /// "2e-05" style for values far from 1, "%g" otherwise.
    static func shortLabel(_ value: Double) -> String {
        var text = formatted("%.3g", value)
        // "%.3g" writes 1e-05; people write 1e-5.
        if let e = text.firstIndex(of: "e") {
            let mantissa = text[..<e]
            var exponent = text[text.index(after: e)...]
            let sign = exponent.first == "-" ? "-" : ""
            exponent = exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" }
            text = mantissa + "e" + sign + (exponent.isEmpty ? "0" : exponent)
        }
        return text
    }
}

/// A tick's position and label.
public struct Tick: Sendable, Equatable {
    public enum Label: Sendable, Equatable {
        case plain(String)
        /// 10 with a superscript exponent, written as text.
        case powerOfTen(Int)
    }

    public let value: Double
    public let label: Label
}
