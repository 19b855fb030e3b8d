extension StringProtocol {
    /// At most 40 characters of a value someone gave, for an error message: a message quotes a
    /// short prefix of a bad value, never the whole of it (which may be megabytes).
    public var shortened: String { count > 40 ? String(prefix(40)) + "..." : String(self) }
}
