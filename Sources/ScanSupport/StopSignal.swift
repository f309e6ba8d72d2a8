import Glibc
import Synchronization

/// SIGINT and SIGTERM turned into an orderly stop, for runs that must save something before they
/// exit (`scamscan chat --state`): the handler only records the signal; a read blocked on
/// input returns (no SA_RESTART) and the line reader ends the input there, so the run finishes,
/// saves and exits with 128 + the signal number, as a shell reports a killed command.
public enum StopSignal {
    /// The signal received, or 0. An atomic: the handler may run on any thread.
    static let received = Atomic<Int32>(0)

    /// The signal that asked the run to stop, or nil.
    public static var requested: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// Installs the handler for SIGINT and SIGTERM, and unblocks them: a parent may have started
    /// this process with them blocked (posix_spawn passes the signal mask on), and then a stop
    /// request would wait forever.
    public static func install() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM] {
            sigaddset(&unblock, signal)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { s in StopSignal.received.store(s, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
