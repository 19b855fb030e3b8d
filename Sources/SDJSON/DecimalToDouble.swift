/// Decimal to binary64 conversion by the Eisel-Lemire algorithm (D. Lemire, "Number Parsing at
/// a Gigabyte per Second", Software: Practice and Experience 51(8), 2021; the form here
/// follows Go's strconv.eiselLemire64).
///
/// Exactness: the result, when there is one, is the correctly rounded Double (round half to
/// even), the same bits as a correct strtod. The algorithm multiplies the normalised decimal
/// mantissa by a 128-bit truncation of 10^q (`PowersOfTen`); where that truncation could move
/// the result across a rounding boundary, or the result is subnormal, infinite or exactly
/// halfway, it gives up (nil) and the caller uses strtod. glibc's strtod takes a
/// multi-precision path for 17-digit mantissas; this handles them with two 64-bit products.
enum DecimalToDouble {
    /// The Double nearest to `mantissa` x 10^`exponent10` (negated when `negative`), or nil
    /// when this method cannot decide it. `mantissa` holds the decimal digits exactly (at most
    /// 19 of them).
    static func convert(mantissa: UInt64, exponent10: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0 }
        guard exponent10 >= PowersOfTen.minimumExponent, exponent10 <= PowersOfTen.maximumExponent else { return nil }
        // Normalisation: the mantissa's top bit set.
        let leadingZeros = UInt64(mantissa.leadingZeroBitCount)
        let man = mantissa << leadingZeros
        // floor(log2(10) x 2^16) = 217706; the exponent of the result, biased by 1023.
        var exponent2 = UInt64(bitPattern: Int64((217706 * exponent10) >> 16 + 64 + 1023)) &- leadingZeros
        let power = PowersOfTen.mantissas[exponent10 - PowersOfTen.minimumExponent]

        // Multiplication by the high 64 bits of 10^q.
        var (high, low) = man.multipliedFullWidth(by: power.hi)
        // Wider approximation: when the low bits leave the result undecided, add the product
        // with the next 64 bits of 10^q.
        if high & 0x1FF == 0x1FF && low &+ man < man {
            let (nextHigh, nextLow) = man.multipliedFullWidth(by: power.lo)
            var mergedHigh = high
            let mergedLow = low &+ nextHigh
            if mergedLow < low { mergedHigh &+= 1 }
            if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && nextLow &+ man < man { return nil }
            (high, low) = (mergedHigh, mergedLow)
        }

        // Shifting to 54 bits.
        let topBit = high >> 63
        var result = high >> (topBit + 9)
        exponent2 &-= 1 ^ topBit

        // Halfway ambiguity: the decimal may lie exactly between two Doubles.
        if low == 0 && high & 0x1FF == 0 && result & 3 == 1 { return nil }

        // From 54 to 53 bits, rounding half to even.
        result &+= result & 1
        result >>= 1
        if result >> 53 > 0 {
            result >>= 1
            exponent2 &+= 1
        }
        // Subnormal (exponent 0 or below, wrapped) or infinite: strtod decides.
        if exponent2 &- 1 >= 0x7FF - 1 { return nil }
        var bits = exponent2 << 52 | result & 0x000F_FFFF_FFFF_FFFF
        if negative { bits |= 1 << 63 }
        return Double(bitPattern: bits)
    }
}
