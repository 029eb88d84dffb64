import Foundation
import ServiceLifecycle

/// Runs a blocking loop on a thread of its own as the body of a `Service`'s `run()`: one shape for the services
/// that own a thread (the engine's writer, the broker, a worker), whose loops block (on `fsync`, on `poll`)
/// and so must not hold one of the cooperative pool's few threads.
///
/// On graceful shutdown or cancellation of the task that runs it, `stop` is called; it must make the loop return
/// soon, as posting a stop to the loop's mailbox or closing its queue does. `run` returns when the loop returns, and throws what the loop throws.
///
/// ```swift
/// public final class Echo: Service, Sendable {
///     private let mailbox = Mailbox<Mail>()
///
///     public func run() async throws {
///         try await ServiceThread.run(named: "echo", stop: { self.mailbox.post(.stop) }) {
///             try self.serve()  // polls its socket and the mailbox; returns once it takes `.stop`
///         }
///     }
/// }
/// ```
public enum ServiceThread {
    /// Runs `loop` on a new thread named `name` until it returns, calling `stop` on graceful shutdown or
    /// cancellation.
    ///
    /// - Parameters:
    ///   - name: the thread's name, as `top -H` and debuggers show it.
    ///   - stop: asks the loop to return; called from another thread on graceful shutdown and on cancellation (so
    ///     perhaps twice, and perhaps before the loop has started).
    ///   - loop: the blocking loop.
    /// - Throws: what `loop` throws.
    public static func run<Failure: Error>(
        named name: String, stop: @escaping @Sendable () -> Void,
        _ loop: @escaping @Sendable () throws(Failure) -> Void
    ) async throws(Failure) {
        let ended: Result<Void, Failure> = await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let thread = Thread { continuation.resume(returning: Result(catching: loop)) }
                    thread.name = name
                    thread.start()
                }
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            stop()
        }
        try ended.get()
    }
}
