/// One thing a sync sends for a run: the whole run, or only its labels (tags and note) when
/// the server has everything else already.
public enum SyncItem: Sendable, Equatable {
    case run(CompleteRun)
    case labels(LabelsEdit)

    public var runID: String {
        switch self {
        case .run(let complete): complete.run.id
        case .labels(let edit): edit.runID
        }
    }
}

/// A run's tags and note as of an edit: what a sync sends after `sdtrack runs tag`.
public struct LabelsEdit: Sendable, Equatable {
    public var runID: String
    public var tags: [Tag]
    public var note: String?
    /// nil: the labels are as the run was created.
    public var editedAt: Timestamp?

    public init(runID: String, tags: [Tag], note: String?, editedAt: Timestamp?) {
        self.runID = runID
        self.tags = tags
        self.note = note
        self.editedAt = editedAt
    }

    public init(of run: RunRecord) {
        self.init(runID: run.id, tags: run.tags, note: run.note, editedAt: run.labelsEditedAt)
    }
}

/// What the server did with one item of a sync.
public enum UpsertOutcome: String, Sendable, Equatable, CaseIterable {
    /// The run was new: it is stored whole.
    case inserted
    /// The run was there and the item added to it: rounds, its end, its spectrum, newer labels.
    case updated
    /// The run was there with everything the item holds (or newer labels): nothing changed.
    case unchanged
    /// The item contradicts what is stored of the run (what never changes once written):
    /// nothing changed; `message` names what differs.
    case conflict
    /// The item is not a valid run: nothing changed; `message` says what is wrong.
    case rejected
    /// Labels for a run the server does not have: send the whole run.
    case unknown

    /// Whether the server now holds what the item holds: the client may count it as sent.
    public var isAcknowledgement: Bool { self == .inserted || self == .updated || self == .unchanged }
}

/// The result of one item, in the order the items came.
public struct UpsertResult: Sendable, Equatable {
    public var runID: String?
    public var outcome: UpsertOutcome
    /// For `.updated`: what changed, among "rounds", "end", "spectrum", "labels".
    public var changed: [String]
    public var message: String?

    public init(runID: String?, outcome: UpsertOutcome, changed: [String] = [], message: String? = nil) {
        self.runID = runID
        self.outcome = outcome
        self.changed = changed
        self.message = message
    }
}
