import AvocaPersistence
import AvocaServer
import Foundation
import Logging

/// Exit with status 1 after the message was already printed.
struct ExitCodeError: Error, CustomStringConvertible {
    var description: String { "" }
}
