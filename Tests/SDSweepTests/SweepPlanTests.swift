import SDJSON
import SDSpec
import Testing

@testable import SDSweep

/// The grid's numbering and groups, and the spec readers, in process.
@Suite struct SweepPlanTests {
    static func spec(_ text: String, source: String = "spec.json") throws -> SweepSpecification {
        try SweepSpecification(text: text, source: source)
    }

    /// The first axis varies slowest; a point's number is its mixed-radix digits.
    @Test func pointsAreNumberedFirstAxisSlowest() throws {
        let plan = try SweepPlan(try Self.spec(#"{"seed": [0, 1], "eps": [0.1, 0.2, 0.3]}"#))
        let points = plan.points
        #expect(points.count == 6)
        for point in points {
            #expect(point.specification.data.seed == UInt64(point.index / 3))
            #expect(point.specification.mode.eps == [0.1, 0.2, 0.3][point.index % 3])
            #expect(
                point.specification.labels.tags.contains { $0.key == "sweep.point" && $0.value == "\(point.index)" })
        }
    }

    /// Points that differ only in eps, eps-rel, c or rounds share a group; anything else splits.
    @Test func groupsAreTheDecompositions() throws {
        let plan = try SweepPlan(
            try Self.spec(
                #"{"seed": [0, 1], "kernel": ["rbf", "laplacian"], "eps": [0.1, 0.2], "rounds": [3, 4], "#
                    + #""standardize": [true, false]}"#))
        #expect(plan.pointCount == 32)
        #expect(plan.groups.count == 8)  // seed x kernel x standardize
        for group in plan.groups {
            let first = group.points[0].specification
            #expect(group.points.count == 4)
            #expect(group.points.allSatisfy { $0.specification.data == first.data })
            #expect(group.points.allSatisfy { $0.specification.kernel == first.kernel })
        }
    }

    /// Shards split the groups: together they hold every point once.
    @Test func shardsPartitionThePoints() throws {
        let spec = try Self.spec(#"{"seed": "0..6", "eps": [0.1, 0.2]}"#)
        var seen = [Int]()
        for shard in 1...3 { seen += try SweepPlan(spec, shard: shard, of: 3).points.map(\.index) }
        #expect(seen.sorted() == Array(0..<14))
    }

    /// The id depends on the options and values in order and the experiment, not the labels.
    @Test func theIDIsTheGrids() throws {
        let a = try SweepPlan(try Self.spec(#"{"eps": [0.1, 0.2], "seed": "0..1", "tags": {"x": "1"}}"#)).id
        let b = try SweepPlan(try Self.spec(#"{"eps": [0.1, 0.2], "seed": [0, 1], "note": "n"}"#)).id
        let c = try SweepPlan(try Self.spec(#"{"seed": [0, 1], "eps": [0.1, 0.2]}"#)).id
        let d = try SweepPlan(try Self.spec(#"{"eps": [0.1, 0.2], "seed": [0, 1], "experiment": "other"}"#)).id
        #expect(a == b && a != c && a != d && a.count == 12)
    }

    /// A flag over a spec's option keeps the spec's axis place.
    @Test func anOverriddenOptionKeepsItsPlace() throws {
        var spec = try Self.spec(#"{"eps": [0.1, 0.2], "seed": [0, 1]}"#)
        try spec.add(.eps, SweepSpecification.values(flag: "0.3,0.4", option: .eps))
        #expect(spec.options.map(\.option) == [.eps, .seed])
    }

    @Test func yamlReadsWhatJSONReads() throws {
        let yaml = try Self.spec(
            """
            # a comment
            experiment: 'quoted # not a comment'
            eps: [0.1, 0.2]   # trailing
            seed:
              - 0
              - 1
            kernel: rbf
            standardize: true
            tags:
              paper: fig3
              year: 2026
            """, source: "spec.yml")
        let json = try Self.spec(
            #"{"experiment": "quoted # not a comment", "eps": [0.1, 0.2], "seed": [0, 1], "kernel": "rbf", "#
                + #""standardize": true, "tags": {"paper": "fig3", "year": "2026"}}"#)
        #expect(yaml == json)
    }

    @Test(arguments: [
        ("seed: 1\nseed: 2", "line 2: 'seed' is given twice"),
        ("tags:\n  a: 1\n  a: 2", "line 3: 'a' is given twice"),
        ("eps: [0.1", "line 1: a list '[' without its ']'"),
        ("  eps: 0.1", "line 1: an indented line outside"),
        ("eps:\n  - 0.1\n  a: 1", "line 3: a mapping entry inside a list"),
        ("eps: ~", "line 1: a null value"),
        ("eps: |", "line 1: '|': anchors"),
    ])
    func yamlRefusesWhatASpecDoesNotNeed(text: String, message: String) {
        let error = #expect(throws: SweepError.self) { try Self.spec(text, source: "s.yaml") }
        #expect(error?.description.contains("s.yaml \(message)") == true, "\(String(describing: error))")
    }
}
