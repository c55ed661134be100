/// The access rule of every operation in openapi.yaml, by operationId. A test checks that every
/// operation of the spec is listed, so a new operation cannot silently become public.
enum OperationRules {
    static let all: [String: Access] = [
        "signUp": .anyone,
        "verifyEmail": .anyone,
        "resendVerification": .anyone,
        "signIn": .anyone,
        "totpSetup": .anyone,
        "totpVerify": .anyone,
        "recoveryCodeSignIn": .anyone,
        "refreshToken": .anyone,
        "forgotPassword": .anyone,
        "resetPassword": .anyone,
        "regenerateRecoveryCodes": .employee,
        "signOut": .employee,
        "changePassword": .employee,
        "getMe": .employee,
        "listSessions": .employee,
        "revokeSession": .employee,
        "listEmployees": .employeeOrKey(.directoryRead),
        "deactivateEmployee": .admin,
        "listApiKeys": .admin,
        "createApiKey": .admin,
        "revokeApiKey": .admin,
    ]
}
