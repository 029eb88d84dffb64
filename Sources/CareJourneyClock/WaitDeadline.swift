import Foundation

/// The deadline of a thread's bounded wait on a condition variable (`NSCondition.wait(until:)` takes a date of the
/// wall clock): real time, how long a thread may sleep, never a time the service records or decides by — those come
/// from the injected `CareClock`, which a test's manual clock may hold still.
///
/// ```swift
/// condition.wait(until: WaitDeadline.after(.milliseconds(2)))
/// ```
public enum WaitDeadline {
    /// The wall clock's date `duration` from now.
    public static func after(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
