// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "avoca",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "avoca", targets: ["avoca"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Tests read the served spec to check responses against it.
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.1"..<"7.0.0"),
    ],
    targets: [
        .target(
            name: "AvocaAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            // The generated code uses `package import`; this keeps SwiftPM's resource accessor unambiguous.
            swiftSettings: [.enableUpcomingFeature("InternalImportsByDefault")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(name: "AvocaCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "AvocaInsights", dependencies: ["AvocaCore"]),
        .target(name: "AvocaDemoData", dependencies: ["AvocaCore"]),
        .target(
            name: "AvocaPersistence",
            dependencies: [
                "AvocaCore", "AvocaDemoData",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AvocaIdentity",
            dependencies: [
                "AvocaCore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "AvocaDirectory", dependencies: ["AvocaCore"]),
        // A JSON object writer without Foundation: realtime messages and the hottest HTTP reads.
        .target(name: "AvocaJSON"),
        .target(
            name: "AvocaCalls",
            dependencies: [
                "AvocaCore", "AvocaInsights", "AvocaDemoData", "AvocaJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Carrier bridges (Twilio first): verify a webhook, decode it, feed the call service.
        .target(
            name: "AvocaTelephony",
            dependencies: [
                "AvocaCore", "AvocaCalls",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AvocaServer",
            dependencies: [
                "AvocaAPI", "AvocaCore", "AvocaPersistence", "AvocaIdentity", "AvocaDirectory", "AvocaCalls", "AvocaTelephony", "AvocaJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Public")]
        ),
        .executableTarget(
            name: "avoca",
            dependencies: [
                "AvocaServer", "AvocaPersistence", "AvocaCalls", "AvocaCore", "AvocaDemoData", "AvocaTelephony",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: the database a test runs on, deadlines for every wait.
        .target(
            name: "AvocaTestSupport", dependencies: ["AvocaPersistence", .product(name: "Logging", package: "swift-log")],
            path: "Tests/AvocaTestSupport"),
        .testTarget(name: "AvocaCoreTests", dependencies: ["AvocaCore"]),
        .testTarget(name: "AvocaInsightsTests", dependencies: ["AvocaInsights", "AvocaCore"]),
        .testTarget(name: "AvocaIdentityTests", dependencies: ["AvocaIdentity", "AvocaCore"]),
        .testTarget(name: "AvocaDirectoryTests", dependencies: ["AvocaDirectory", "AvocaPersistence", "AvocaCore", "AvocaTestSupport"]),
        .testTarget(
            name: "AvocaCallsTests",
            dependencies: [
                "AvocaCalls", "AvocaJSON", "AvocaPersistence", "AvocaCore", "AvocaTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "AvocaTelephonyTests",
            dependencies: [
                "AvocaTelephony", "AvocaCalls", "AvocaPersistence", "AvocaCore", "AvocaTestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "AvocaPersistenceTests",
            dependencies: [
                "AvocaPersistence", "AvocaCore", "AvocaTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "SQLKit", package: "sql-kit"),
            ]),
        .testTarget(
            name: "AvocaServerTests",
            dependencies: [
                "AvocaServer", "AvocaPersistence", "AvocaIdentity", "AvocaDirectory", "AvocaCalls", "AvocaCore", "AvocaAPI", "AvocaTestSupport",
                "AvocaTelephony",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
    ]
)
