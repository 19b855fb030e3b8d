import Foundation
import SDEngine
import SDJSON

/// The YAML a sweep spec needs, read into the JSON model: a mapping of keys to scalars, to
/// lists (flow `[a, b]` or block `- a` lines), or (for `tags`) to a mapping one level deep;
/// comments, blank lines and a leading `---`. Scalars are typed as YAML 1.2's core schema types
/// them (whole numbers, decimal numbers, true/false; quoted or other text as strings).
/// Anchors, aliases, block scalars, tabs and deeper nesting are refused with the line, so that
/// a spec never means something other than it seems to.
enum SweepYAML {
    static func parse(_ text: String, source: String) throws(SweepError) -> JSONValue {
        var members = [(String, JSONValue)]()
        // The key whose value is the block below it, and what has come of that block.
        var open: (key: String, line: Int, list: [JSONValue], mapping: [(String, JSONValue)])?
        func close() {
            guard let block = open else { return }
            members.append((block.key, block.mapping.isEmpty ? .array(block.list) : .object(block.mapping)))
            open = nil
        }
        // Lines end in LF or CRLF (one Character in Swift, a newline all the same); a BOM is not text.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var seen = Set<String>()
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        {
            let number = offset + 1
            func fail(_ problem: String) -> SweepError { SweepError("\(source) line \(number): \(problem)") }
            var line = Substring(stripComment(rawLine))
            while line.last == " " || line.last == "\r" { line.removeLast() }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || (offset == 0 && line == "---") { continue }
            if line.contains("\t") { throw fail("a tab; indent with spaces") }
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if indent == 0 {
                close()
                let (key, value) = try keyAndValue(content, fail: fail)
                guard seen.insert(key).inserted else { throw fail("'\(key.shortened)' is given twice") }
                if value.isEmpty {
                    open = (key, number, [], [])
                } else {
                    members.append((key, try scalarOrList(value, fail: fail)))
                }
            } else {
                guard open != nil else { throw fail("an indented line outside a list or mapping") }
                if content.hasPrefix("- ") || content == "-" {
                    guard open!.mapping.isEmpty else { throw fail("a list item inside a mapping") }
                    open!.list.append(try scalar(content.dropFirst(1).trimmingCharacters(in: .whitespaces), fail: fail))
                } else {
                    guard open!.list.isEmpty else { throw fail("a mapping entry inside a list") }
                    let (key, value) = try keyAndValue(content, fail: fail)
                    guard !value.isEmpty else { throw fail("'\(key.shortened)' nests deeper than a spec needs") }
                    guard !open!.mapping.contains(where: { $0.0 == key }) else {
                        throw fail("'\(key.shortened)' is given twice")
                    }
                    open!.mapping.append((key, try scalar(value, fail: fail)))
                }
            }
        }
        close()
        return .object(members)
    }

    /// The line without a comment: `#` at its start or after a space, outside a quoted value (one
    /// that starts with a quote after `: `, `- `, `[` or `,`; an apostrophe inside plain text, as
    /// in "it's", opens nothing).
    private static func stripComment(_ line: Substring) -> String {
        var quote: Character?, previous: Character = " ", beforePrevious: Character = " "
        for (index, character) in zip(line.indices, line) {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'",
                previous == " " && ":-,[".contains(beforePrevious) || previous == "[" || previous == ","
            {
                quote = character
            } else if character == "#", previous == " " {
                return String(line[..<index])
            }
            beforePrevious = previous
            previous = character
        }
        return String(line)
    }

    private static func keyAndValue(
        _ content: Substring, fail: (String) -> SweepError
    ) throws(SweepError) -> (String, String) {
        guard let colon = content.firstIndex(of: ":"),
            content.index(after: colon) == content.endIndex || content[content.index(after: colon)] == " "
        else { throw fail("expected 'key: value'") }
        let key = content[..<colon].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, !key.hasPrefix("-") else { throw fail("expected 'key: value'") }
        return (unquoted(key), content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    private static func scalarOrList(_ text: String, fail: (String) -> SweepError) throws(SweepError) -> JSONValue {
        guard text.hasPrefix("[") else { return try scalar(text, fail: fail) }
        guard text.hasSuffix("]") else { throw fail("a list '[' without its ']' on the same line") }
        let inner = text.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        if inner.isEmpty { return .array([]) }
        var values = [JSONValue]()
        for item in inner.split(separator: ",", omittingEmptySubsequences: false) {
            values.append(try scalar(item.trimmingCharacters(in: .whitespaces), fail: fail))
        }
        return .array(values)
    }

    private static func scalar(_ text: String, fail: (String) -> SweepError) throws(SweepError) -> JSONValue {
        guard !text.isEmpty else { throw fail("a value is missing") }
        if let first = text.first, "&*|>!{%@`".contains(first) {
            throw fail("'\(text.shortened)': anchors, aliases, tags and block scalars are not part of a sweep spec")
        }
        if text.hasPrefix("["), text.hasSuffix("]") { throw fail("a list inside a list") }
        let quoted = text.hasPrefix("\"") && text.hasSuffix("\"") || text.hasPrefix("'") && text.hasSuffix("'")
        if quoted, text.count >= 2 { return .string(unquoted(text)) }
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null", "~": throw fail("a null value; leave the key out instead")
        default: break
        }
        if let whole = Int(text) { return .int(whole) }
        if let number = CSVTable.number(text) { return .number(number) }
        return .string(text)
    }

    private static func unquoted(_ text: String) -> String {
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else {
            return text
        }
        return String(text.dropFirst().dropLast())
    }
}
