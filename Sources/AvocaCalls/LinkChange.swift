/// What to do with one link of a call (its customer, its job) on an update.
public enum LinkChange<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Leave the link as it is.
    case unchanged
    /// Remove the link.
    case clear
    /// Link this value.
    case set(Value)
}
