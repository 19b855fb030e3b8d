import Testing

@testable import SDEngine

@Suite struct CSVTableTests {
    @Test func parsesHeaderRowsQuotesAndCRLF() throws {
        let table = try CSVTable(text: "\"a\", b ,c\r\n1,2,3\r\n\r\n4.5, -6 ,7e-1\r\n", source: "t.csv")
        #expect(table.columns == ["a", "b", "c"])
        #expect(table.rowCount == 2)
        #expect(table.cells == [1, 2, 3, 4.5, -6, 0.7])
        #expect(table.column(1) == [2, -6])
        #expect(table.points(columns: [2, 0]).values == [3, 1, 0.7, 4.5])
    }

    @Test func columnsByNameOrIndex() throws {
        let table = try CSVTable(text: "x,y\n1,2\n", source: "t.csv")
        #expect(try table.columnIndex("y", source: "t.csv") == 1)
        #expect(try table.columnIndex("0", source: "t.csv") == 0)
        let error = #expect(throws: EngineError.self) { try table.columnIndex("z", source: "t.csv") }
        #expect(error?.message == "t.csv has no column 'z'; its columns are x, y (or 0-based indices 0-1)")
    }

    @Test(arguments: [
        ("", "t.csv is empty"),
        ("x,y\n", "t.csv has a header but no data rows"),
        ("x,y\n1,2\n3\n", "t.csv line 3 has 1 fields but the header has 2"),
        ("x,y\n1,2,3\n", "t.csv line 2 has 3 fields but the header has 2"),
        ("x,y\n1,abc\n", "t.csv line 2, column 'y': 'abc' is not a finite decimal number"),
        ("x,y\nnan,1\n", "t.csv line 2, column 'x': 'nan' is not a finite decimal number"),
        ("x,y\n1,inf\n", "t.csv line 2, column 'y': 'inf' is not a finite decimal number"),
        ("x,y\n1,-Infinity\n", "t.csv line 2, column 'y': '-Infinity' is not a finite decimal number"),
        ("x,y\n1,\n", "t.csv line 2, column 'y': an empty cell is not a finite decimal number"),
        ("x,y\n1,1e999\n", "t.csv line 2, column 'y': '1e999' is not a finite decimal number"),
    ])
    func rejectsMalformedInput(text: String, expectedPrefix: String) {
        let error = #expect(throws: EngineError.self) { try CSVTable(text: text, source: "t.csv") }
        #expect(error?.code == .invalidData)
        #expect(error?.message.hasPrefix(expectedPrefix) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }
}

/// RFC 4180 fields within a line, in time linear in the line (the fuzzer found quadratic cases).
@Suite struct CSVFieldTests {
    @Test func quotedFieldsHoldCommasAndQuotes() {
        #expect(CSVTable.fields(of: #"a, "b, c" ,"say ""hi""",,  d  "#) == ["a", "b, c", #"say "hi""#, "", "d"])
        #expect(CSVTable.fields(of: #"  "x"  "#) == ["x"] && CSVTable.fields(of: "") == [""])
        // A quote after text is text; one in an unquoted field stays.
        #expect(CSVTable.fields(of: #"ab"c,"d"#) == [#"ab"c"#, "d"])
    }

    @Test func manyQuotesAndSpacesAreRead() {
        let spaces = String(repeating: " ", count: 50_000), quotes = String(repeating: "\"", count: 50_000)
        let fields = CSVTable.fields(of: Substring("0," + spaces + "x" + quotes))
        #expect(fields.count == 2 && fields[1] == "x" + quotes)
        #expect(CSVTable.lines(of: "a\r\nb\rc\n\nd") == ["a", "b", "c", "", "d"])
    }
}
