import Foundation

/// The repository's root folder (where tools/ is), from this file's place in it.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs a program found on PATH to completion.
public func runProgram(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [name] + arguments
    if let directory { process.currentDirectoryURL = directory }
    return try runToCompletion(process)
}

/// Whether `xmllint --noout` accepts the file as well-formed XML; its complaint otherwise.
public func xmllintProblems(_ path: String) throws -> String? {
    let result = try runProgram("xmllint", ["--noout", path])
    if result.status == 127 || result.stderr.contains("No such file or directory") && result.status != 1 {
        throw TestSupportError("xmllint is missing: apt-get install libxml2-utils (tools/setup test does)")
    }
    return result.status == 0 ? nil : result.stderr
}

/// What headless Chromium shows of an SVG or HTML file (tools/render-check): the screenshot's
/// painted fraction and colours, and each figure's series as the DOM has them.
public struct Rendering: Sendable {
    public struct Series: Sendable {
        public let key: String
        public let points: Int
        public let groupIndex: String?
        public let round: String?
        public let displayed: Bool
        /// The line's vertices mapped back to values through the panel's box and domains.
        public let drawn: [[Double]]
    }

    public struct Figure: Sendable {
        public let kind: String
        public let series: [Series]
    }

    public let paintedFraction: Double
    public let distinctColours: Int
    public let figures: [Figure]

    public init(path: String, width: Int = 1280, height: Int = 900) throws {
        let result = try runProgram(
            repositoryRoot.appendingPathComponent("tools/render-check").path,
            [path, "--width", String(width), "--height", String(height)])
        guard result.status == 0 else { throw TestSupportError("render-check failed: \(result.stderr)") }
        let object = try result.jsonObject()
        let screenshot = object["screenshot"] as? [String: Any] ?? [:]
        paintedFraction = screenshot["painted_fraction"] as? Double ?? 0
        distinctColours = screenshot["distinct_colours"] as? Int ?? 0
        figures = (object["figures"] as? [[String: Any]] ?? []).map { figure in
            Figure(
                kind: figure["kind"] as? String ?? "",
                series: (figure["series"] as? [[String: Any]] ?? []).map { series in
                    Series(
                        key: series["key"] as? String ?? "", points: series["points"] as? Int ?? -1,
                        groupIndex: series["group_index"] as? String, round: series["round"] as? String,
                        displayed: series["displayed"] as? Bool ?? false,
                        drawn: (series["drawn"] as? [[Any]] ?? []).map {
                            $0.compactMap { ($0 as? NSNumber)?.doubleValue }
                        })
                })
        }
    }
}
