import SDJSON

/// A `key=value` label on a run. The key is letters, digits, '.', '_' and '-' (so that it can
/// be written on a command line and in a URL as it is); the value is any text. The store
/// refuses a run or an update whose tags break this, whoever writes them.
public struct Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `key=value` (the value may contain '=' and be empty).
    public static func parse(_ text: String) throws(StoreError) -> Tag {
        guard let equals = text.firstIndex(of: "=") else {
            throw StoreError(.invalidTag, "tag '\(text.shortened)' has no '='")
        }
        let tag = Tag(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
        try tag.validate()
        return tag
    }

    /// Throws `.invalidTag` unless the key is non-empty ASCII letters, digits, '.', '_' and '-'.
    public func validate() throws(StoreError) {
        guard !key.isEmpty, key.utf8.allSatisfy(Self.isKeyByte) else {
            throw StoreError(.invalidTag, "tag key '\(key.shortened)' is not letters, digits, '.', '_' and '-'")
        }
        guard key.utf8.count <= Self.longestKey, value.utf8.count <= Self.longestValue else {
            throw StoreError(
                .invalidTag,
                "tag '\(key.shortened)' is too long: keys are at most \(Self.longestKey) bytes, values "
                    + "\(Self.longestValue)")
        }
    }

    public static let longestKey = 128
    public static let longestValue = 4096

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// Throws `.invalidTag` unless every tag passes `validate()` and no key is given twice.
    public static func validate(_ tags: [Tag]) throws(StoreError) {
        var keys = Set<String>()
        for tag in tags {
            try tag.validate()
            guard keys.insert(tag.key).inserted else {
                throw StoreError(.invalidTag, "tag '\(tag.key.shortened)' is given twice")
            }
        }
    }

    /// The tags of a JSON object of string values (`{"sweep": "eps"}`), as documents and
    /// import headers write them: each key checked, none given twice; null is no tags.
    public static func tags(from value: JSONValue) throws(StoreError) -> [Tag] {
        if value.isNull { return [] }
        guard case .object(let members) = value else {
            throw StoreError(.invalidTag, "tags must be an object of key: value strings, got \(value.messageText)")
        }
        let tags = try members.map { (key, member) throws(StoreError) in
            guard let text = member.stringValue else {
                throw StoreError(.invalidTag, "tag '\(key)' must have a string value, got \(member.messageText)")
            }
            return Tag(key: key, value: text)
        }
        try validate(tags)
        return tags
    }
}
