import Dispatch
import SDStore

/// sdtrack's central question over many runs: which number of rounds is best, per
/// configuration, and how sure are we.
public enum BestRounds {
    /// The default metric: held-out error where every run of the group has a held-out set,
    /// else GCV (which needs none). A run has one when it recorded the zero predictor's
    /// held-out error (so a run that collapsed before its first round counts too), or, for an
    /// imported run, a held-out error at round 0.
    public static func defaultMetric(for series: [RunSeries]) -> String {
        let everyRunHeldOut = series.allSatisfy { run in
            run.zeroPredictor.testMSE != nil || run.values(of: RoundMetric.testMSE.name)?.first?.isNaN == false
        }
        return everyRunHeldOut ? RoundMetric.testMSE.name : RoundMetric.gcv.name
    }

    /// Groups `series` by their group key and analyses each, sorted by gain (largest first).
    /// `metric` nil picks `defaultMetric` per group. Groups in which some run lacks the
    /// metric at round 0 are returned in `skipped`.
    public static func analyze(_ series: [RunSeries], metric: String?, maximize: Bool) -> (
        groups: [GroupAnalysis], skipped: [String]
    ) {
        // One hash of the group key per run.
        var order = [String](), members = [[RunSeries]](), position = [String: Int]()
        for entry in series {
            if let group = position[entry.group] {
                members[group].append(entry)
            } else {
                position[entry.group] = order.count
                order.append(entry.group)
                members.append([entry])
            }
        }
        let keys = order, runs = members
        // Groups are independent: analyse them on every core, keeping their order.
        let results = ResultSlots<GroupAnalysis>(count: keys.count)
        DispatchQueue.concurrentPerform(iterations: keys.count) { index in
            let group = runs[index]
            results.set(
                index,
                GroupAnalysis(
                    group: keys[index], series: group, metric: metric ?? defaultMetric(for: group), maximize: maximize))
        }
        var groups = [GroupAnalysis](), skipped = [String]()
        for (key, analysis) in zip(keys, results.values) {
            if let analysis { groups.append(analysis) } else { skipped.append(key) }
        }
        groups.sort { ($0.gain ?? -.infinity) > ($1.gain ?? -.infinity) }
        return (groups, skipped)
    }
}

/// One slot per iteration of a concurrentPerform, each written by its own iteration only:
/// distinct elements of one buffer, so the writes need no lock.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Value?) { slots[index] = value }

    /// Read after concurrentPerform has returned.
    var values: [Value?] { Array(slots) }
}
