import Foundation

extension QRCode {
    /// Width of the light margin around the symbol, in modules. The standard asks for
    /// at least four; without it many readers fail to find the finder patterns.
    static let quietZoneModules = 4

    /// SVG with a 4-module quiet zone, one `<path>` for dark modules, `shape-rendering="crispEdges"`,
    /// a white background rect, a `viewBox` in modules, and `width`/`height` attributes of
    /// `moduleSize` pixels per module (default 6 px).
    ///
    /// The markup has no XML declaration, so it can be served as `image/svg+xml` or
    /// inlined in HTML as is.
    public func svg(moduleSize: Int = 6) -> String {
        precondition(moduleSize > 0, "moduleSize must be positive")
        let quietZone = Self.quietZoneModules
        let extent = size + 2 * quietZone
        let pixels = extent * moduleSize

        // One closed rectangle per horizontal run of dark modules keeps the path short
        // and avoids hairline gaps between neighbouring modules in anti-aliased renderers.
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && isDark(x: x, y: y) {
                    x += 1
                }
                let length = x - start
                path += "M\(start + quietZone) \(y + quietZone)h\(length)v1h-\(length)z"
            }
        }

        return """
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(extent) \(extent)" shape-rendering="crispEdges">\
            <rect width="\(extent)" height="\(extent)" fill="#ffffff"/>\
            <path fill="#000000" d="\(path)"/>\
            </svg>

            """
    }
}
