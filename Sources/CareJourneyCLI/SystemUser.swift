import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who runs a command on this machine, as the access log records a command-line read: `unix:alice`.
enum SystemUser {
    static var current: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return "unix:" + String(cString: name)
        }
        return "unix:uid-\(getuid())"
    }
}
