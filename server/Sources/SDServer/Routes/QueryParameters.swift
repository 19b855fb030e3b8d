import Foundation
import Hummingbird
import SDJSON
import SDReports
import SDStore

/// A read request's query parameters as the command line's options: the same names (`tag` and
/// `status` repeatable) and the same parsers (`Tag.parse`, `Timestamp(dateOrAge:)`,
/// `WhereClause.parse`, `ConfigKey`), so that `GET /v1/best-rounds?metric=truth_mse` means what
/// `sdtrack query best-rounds --metric truth_mse` means. A parameter that is unknown, or given
/// badly, is a 400 that names it.
///
/// The dashboard's pages take them as an HTML form sends them (`init(form:)`): `+` for a space, and
/// an empty field meaning no filter.
struct QueryParameters {
    private let values: [(String, String)]

    init(_ request: Request) {
        values = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// The parameters of a page's URL, as a form encodes them (`application/x-www-form-urlencoded`).
    init(form request: Request) {
        self.init(formEncoded: request.uri.query ?? "")
    }

    /// `name=value&...` with `+` for spaces and %XX escapes, as forms send them in a URL or a body;
    /// empty values are left out. A part that does not decode is kept as sent (a parser then says
    /// what is wrong with it).
    init(formEncoded text: String) {
        func decoded(_ part: Substring) -> String {
            let spaced = part.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        values = text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count == 2 ? decoded(parts[1]) : ""
            return value.isEmpty ? nil : (decoded(parts[0]), value)
        }
    }

    /// The last value of `name`, as given.
    func value(_ name: String) -> String? { single(name) }

    /// The dashboard's runs page: the filters of `runs list` and `--where`, newest first, at most
    /// `limit` runs.
    func pageRunFilter(limit: Int) throws(ServerError) -> RunFilter {
        try allowOnly(["experiment", "tag", "status", "since", "until", "where"])
        var filter = RunFilter(experiment: single("experiment"), limit: limit)
        filter.statuses = try statuses()
        filter.tags = try tags()
        filter.since = try time("since")
        filter.until = try time("until")
        filter.conditions = try conditions()
        return filter
    }

    /// `GET /v1/runs`: as `runs list` (default limit 50, 0 for all).
    func runFilter() throws(ServerError) -> RunFilter {
        try allowOnly(["experiment", "tag", "status", "since", "until", "limit"])
        let limit = try integer("limit") ?? 50
        guard limit >= 0 else { throw .badParameter("limit", "must be 0 (all) or more, got \(limit)") }
        var filter = RunFilter(experiment: single("experiment"), limit: limit == 0 ? nil : limit)
        filter.statuses = try statuses()
        filter.tags = try tags()
        filter.since = try time("since")
        filter.until = try time("until")
        return filter
    }

    /// `GET /v1/best-rounds` and `GET /v1/curve`: as `query best-rounds` and `query curve`.
    func runQuery() throws(ServerError) -> RunQuery {
        try allowOnly(["experiment", "tag", "since", "until", "where", "group-by", "metric", "maximize"])
        var filter = RunFilter(experiment: single("experiment"))
        filter.tags = try tags()
        filter.since = try time("since")
        filter.until = try time("until")
        filter.conditions = try conditions()
        let metric = single("metric")
        if let metric, metric.isEmpty { throw .badParameter("metric", "needs a name, e.g. test_mse") }
        return RunQuery(filter: filter, groupBy: try groupKeys(), metric: metric, maximize: try flag("maximize"))
    }

    private func allowOnly(_ names: Set<String>) throws(ServerError) {
        for (name, _) in values where !names.contains(name) {
            throw .badParameter(name, "not a parameter here; known are \(names.sorted().joined(separator: ", "))")
        }
    }

    private func all(_ name: String) -> [String] { values.filter { $0.0 == name }.map(\.1) }

    private func single(_ name: String) -> String? { all(name).last }

    private func integer(_ name: String) throws(ServerError) -> Int? {
        guard let text = single(name) else { return nil }
        guard let value = Int(text) else { throw .badParameter(name, "'\(text.shortened)' is not a whole number") }
        return value
    }

    private func flag(_ name: String) throws(ServerError) -> Bool {
        switch single(name) {
        case nil, "false", "0": return false
        case "", "true", "1": return true
        case let text?: throw .badParameter(name, "'\(text.shortened)' is not true or false")
        }
    }

    /// `status`, repeatable; nil when not given.
    private func statuses() throws(ServerError) -> Set<RunStatus>? {
        let names = all("status")
        guard !names.isEmpty else { return nil }
        return Set(
            try names.map { (name) throws(ServerError) in
                guard let status = RunStatus(rawValue: name) else {
                    throw .badParameter(
                        "status", "unknown status '\(name.shortened)'; use running, finished, failed or killed")
                }
                return status
            })
    }

    /// `where`, as `--where`.
    private func conditions() throws(ServerError) -> [ConfigCondition] {
        guard let text = single("where") else { return [] }
        do throws(WhereClause.SyntaxError) {
            return try WhereClause.parse(text)
        } catch {
            throw .badParameter("where", error.description)
        }
    }

    private func tags() throws(ServerError) -> [Tag] {
        try all("tag").map { (text) throws(ServerError) in
            do throws(StoreError) {
                return try Tag.parse(text)
            } catch {
                throw .badParameter("tag", error.message)
            }
        }
    }

    private func time(_ name: String) throws(ServerError) -> Timestamp? {
        guard let text = single(name) else { return nil }
        guard let time = Timestamp(dateOrAge: text) else {
            throw .badParameter(name, "'\(text.shortened)' is not a time; give \(Timestamp.dateOrAgeForms)")
        }
        return time
    }

    private func groupKeys() throws(ServerError) -> [ConfigKey]? {
        guard let groupBy = single("group-by") else { return nil }
        return try groupBy.split(separator: ",", omittingEmptySubsequences: false).map { (part) throws(ServerError) in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let key = ConfigKey(name) else {
                throw .badParameter(
                    "group-by",
                    "'\(name.shortened)' is not a configuration key; give names such as kernel,eps separated by commas")
            }
            return key
        }
    }
}
