import SDEngine
import Testing

/// What CSVTable refuses rather than reads as something else, and its documented limits.
@Suite struct CSVLimitsTests {
    func error(_ text: String) -> String? {
        do {
            _ = try CSVTable(text: text, source: "d.csv")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func numbersAreDecimalOnly() {
        for accepted in ["1", "-1.5", "+2", ".5", "5.", "2e-3", "1E+06", "0"] {
            #expect(CSVTable.number(accepted) != nil, "\(accepted)")
        }
        for refused in [
            "0x10", "0x1p3", "nan", "inf", "-infinity", "1e", "e5", ".", "-", "1.2.3", "1e999", " 1", "1_0",
        ] {
            #expect(CSVTable.number(refused) == nil, "\(refused)")
        }
        #expect(error("x,y\n0x10,1\n2,3\n")?.contains("'0x10' is not a finite decimal number") == true)
    }

    @Test func columnsAreNamedOnceEach() {
        #expect(error("x,x,y\n1,2,3\n") == "d.csv has two columns named 'x'; rename one")
        #expect(error("x,,y\n1,2,3\n") == "d.csv: column 2 of the header has no name; name it")
    }

    @Test func longLinesAndValuesAreQuotedShort() {
        let long = String(repeating: "9", count: CSVTable.longestLine + 1)
        #expect(error("x,y\n1," + long + "\n") == "d.csv line 2 is longer than 1048576 bytes, sdtrack's limit")
        let message = error("x,y\n1," + String(repeating: "a", count: 5000) + "\n") ?? ""
        #expect(message.count < 200 && message.contains("'aaaa") && message.contains("...'"))
    }
}
