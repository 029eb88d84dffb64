#if canImport(Glibc)
    import Glibc
#endif

/// Which allocator this process runs on, for the figures' headers: the service and the benchmarks link jemalloc
/// on Linux (Package.swift), and a figure taken on glibc's allocator is not comparable with one taken on it.
enum Allocator {
    static var name: String {
        #if canImport(Glibc)
            // jemalloc, and only it, defines `mallctl`.
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallctl") == nil ? "glibc malloc" : "jemalloc"
        #else
            "the system's"
        #endif
    }
}
