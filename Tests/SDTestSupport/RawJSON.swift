/// The text of JSON values, split without parsing numbers: Foundation's JSON parser on Linux
/// can be one ulp off, so exact comparisons compare the shortest round-trip text sdtrack wrote.
public struct RawJSON: Equatable, CustomStringConvertible {
    public let text: Substring
    public var description: String { String(text) }

    public init(_ text: some StringProtocol) { self.text = Substring(text).trimmingWhitespace() }

    /// The members of an object, in order.
    public var members: [(key: String, value: RawJSON)] {
        split(open: "{").map { member in
            let colon = Self.topLevelIndex(of: ":", in: member)!
            return (
                String(member[..<colon].trimmingWhitespace().dropFirst().dropLast()),
                RawJSON(member[member.index(after: colon)...])
            )
        }
    }

    /// The elements of an array, in order.
    public var elements: [RawJSON] { split(open: "[").map { RawJSON($0) } }

    public subscript(key: String) -> RawJSON? { members.first { $0.key == key }?.value }

    private func split(open: Character) -> [Substring] {
        precondition(text.first == open, "not a JSON \(open == "{" ? "object" : "array"): \(text.prefix(40))")
        var inner = text.dropFirst().dropLast()
        var parts = [Substring]()
        while let comma = Self.topLevelIndex(of: ",", in: inner) {
            parts.append(inner[..<comma])
            inner = inner[inner.index(after: comma)...]
        }
        if !inner.trimmingWhitespace().isEmpty { parts.append(inner) }
        return parts
    }

    /// The first `target` outside strings and nested brackets.
    private static func topLevelIndex(of target: Character, in text: Substring) -> Substring.Index? {
        var depth = 0, inString = false, escaped = false
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"": inString = true
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case target where depth == 0: return index
            default: break
            }
        }
        return nil
    }
}

private extension Substring {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
