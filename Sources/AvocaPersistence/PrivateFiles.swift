import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// Creates the data folder, the SQLite file and the generated secrets so that only their owner
/// can read them — from the first moment, not after a later chmod (which would leave a window,
/// and nothing at all when the process stops in between).
public enum PrivateFiles {
    /// Creates `path` and any missing parents with mode 0700. A folder that already exists is left
    /// as it is: it may be the user's own (`AVOCA_DATA_DIR=.`).
    public static func createDirectory(atPath path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw PrivateFileError(path: current, errno: errno) }
        }
    }

    /// Creates an empty file with mode 0600 unless it exists.
    public static func createFileIfMissing(atPath path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw PrivateFileError(path: path, errno: errno)
        }
    }

    /// Replaces `path` with `contents` atomically: written to a new 0600 file beside it, then renamed over it.
    public static func write(_ contents: Data, toPath path: String) throws {
        let temporary = "\(path).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path: temporary, errno: errno) }
        let written = contents.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
        let writeError = errno
        close(descriptor)
        guard written == contents.count else {
            unlink(temporary)
            throw PrivateFileError(path: temporary, errno: writeError)
        }
        guard rename(temporary, path) == 0 else {
            let renameError = errno
            unlink(temporary)
            throw PrivateFileError(path: path, errno: renameError)
        }
    }

    /// Sets mode 0700 on a folder Avoca owns outright (such as its `secrets` folder).
    public static func restrictDirectory(atPath path: String) throws {
        guard chmod(path, 0o700) == 0 else { throw PrivateFileError(path: path, errno: errno) }
    }
}

/// A private file or folder could not be created.
public struct PrivateFileError: Error, CustomStringConvertible {
    /// The path.
    public let path: String
    /// The system error number.
    public let errno: Int32

    public var description: String { "cannot create \(path): \(String(cString: strerror(errno)))" }
}
