extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends (HTTP's white space).
    func trimmingSpaces() -> String {
        // "\r\n" is one Character (one grapheme cluster), apart from "\r" and "\n".
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
