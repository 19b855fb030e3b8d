import SDJSON

/// Parses conditions on configuration keys (`sdtrack query --where`): comparisons joined by
/// `and`, such as
/// `kernel = 'rbf' and eps < 0.01 and model != "resnet"`. Keys are configuration keys,
/// values numbers or quoted strings. The result is a list of conditions whose values are
/// bound as SQL parameters, so the text never becomes SQL.
public enum WhereClause {
    public struct SyntaxError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(SyntaxError) -> [ConfigCondition] {
        var tokens = try tokenize(text)
        guard !tokens.isEmpty else {
            throw SyntaxError(description: "the conditions are empty; write comparisons such as \(example)")
        }
        var conditions = [ConfigCondition]()
        while true {
            guard case .word(let name)? = tokens.first, let key = ConfigKey(name), name.lowercased() != "and" else {
                throw unexpected(tokens.first, expected: "a configuration key")
            }
            tokens.removeFirst()
            guard case .symbol(let symbol)? = tokens.first,
                let op = ConfigCondition.Operator(rawValue: symbol == "==" ? "=" : symbol == "<>" ? "!=" : symbol)
            else {
                throw unexpected(tokens.first, expected: "a comparison (=, !=, <, <=, >, >=) after \(name)")
            }
            tokens.removeFirst()
            let value: ConfigValue
            switch tokens.first {
            case .number(let number)?: value = .number(number)
            case .string(let string)?: value = .text(string)
            default:
                throw unexpected(tokens.first, expected: "a number or a quoted string after \(name) \(op.rawValue)")
            }
            tokens.removeFirst()
            conditions.append(ConfigCondition(key: key, op: op, value: value))
            guard let next = tokens.first else { return conditions }
            guard case .word(let word) = next, word.lowercased() == "and" else {
                throw unexpected(next, expected: "'and' or the end")
            }
            tokens.removeFirst()
        }
    }

    static let example = "\"kernel = 'rbf' and eps < 0.01\""

    private enum Token {
        case word(String)
        case number(Double)
        case string(String)
        case symbol(String)

        var shown: String {
            switch self {
            case .word(let word): "'\(word.shortened)'"
            case .number(let number): "\(number)"
            case .string(let string): "'\(string.shortened)'"
            case .symbol(let symbol): "'\(symbol)'"
            }
        }
    }

    private static func unexpected(_ token: Token?, expected: String) -> SyntaxError {
        SyntaxError(
            description: "malformed conditions: expected \(expected), found \(token?.shown ?? "the end"); "
                + "write comparisons such as \(example)")
    }

    private static func tokenize(_ text: String) throws(SyntaxError) -> [Token] {
        var tokens = [Token]()
        var rest = Substring(text)
        while let first = rest.first {
            if first.isWhitespace {
                rest = rest.dropFirst()
            } else if first == "'" || first == "\"" {
                // A quote inside is written twice, as in SQL: 'it''s'.
                var value = "", index = rest.index(after: rest.startIndex), closed = false
                while index < rest.endIndex {
                    if rest[index] == first {
                        let after = rest.index(after: index)
                        if after < rest.endIndex, rest[after] == first {
                            value.append(first)
                            index = rest.index(after: after)
                            continue
                        }
                        closed = true
                        rest = rest[after...]
                        break
                    }
                    value.append(rest[index])
                    index = rest.index(after: index)
                }
                guard closed else {
                    throw SyntaxError(
                        description: "malformed conditions: the string \(first)\(value) is not closed; "
                            + "end it with \(first)")
                }
                tokens.append(.string(value))
            } else if "=!<>".contains(first) {
                let symbol = String(rest.prefix { "=!<>".contains($0) })
                guard ["=", "==", "!=", "<>", "<", "<=", ">", ">="].contains(symbol) else {
                    throw SyntaxError(
                        description: "malformed conditions: '\(symbol)' is not a comparison; "
                            + "use =, !=, <, <=, > or >=")
                }
                tokens.append(.symbol(symbol))
                rest = rest.dropFirst(symbol.count)
            } else if first.isNumber || first == "-" || first == "+" || first == "." {
                let literal = rest.prefix { $0.isNumber || "+-.eE".contains($0) }
                guard let number = Double(literal), number.isFinite else {
                    throw SyntaxError(description: "malformed conditions: '\(literal.shortened)' is not a number")
                }
                tokens.append(.number(number))
                rest = rest.dropFirst(literal.count)
            } else if first.isLetter || first == "_" {
                let word = rest.prefix { $0.isLetter || $0.isNumber || "_.-".contains($0) }
                tokens.append(.word(String(word)))
                rest = rest.dropFirst(word.count)
            } else {
                throw SyntaxError(
                    description: "malformed conditions: unexpected '\(first)'; "
                        + "use keys, =, !=, <, <=, >, >=, numbers, 'strings' and 'and'")
            }
        }
        return tokens
    }
}
