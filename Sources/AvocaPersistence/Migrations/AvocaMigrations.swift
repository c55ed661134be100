import FluentKit

/// Every migration, in order. Append only: a released migration is never edited.
enum AvocaMigrations {
    static let all: [any Migration] = [
        CreateEmployees(),
        CreateAppMarkers(),
        CreateEmailCodes(),
        CreateMFAChallenges(),
        CreateRecoveryCodes(),
        CreateSessions(),
        CreateRefreshTokens(),
        CreateAPIKeys(),
        CreateAuthThrottles(),
        CreateMailOutbox(),
        AddIdentityIndexes(),
        CreateCustomers(),
        CreateAddresses(),
        CreateJobs(),
        CreateJobNotes(),
        CreateJobAssignments(),
        AddCustomerSearchIndex(),
        AddJobOverlapConstraint(),
        CreatePhoneCalls(),
        CreateTranscriptSegments(),
        CreatePhoneCallEvents(),
        CreateCallOffers(),
        CreateAgentPresence(),
        CreateRealtimeTickets(),
        AddCustomerSearchRows(),
        IndexSearchWordsWithPunctuation(),
        AddMFAChallengeFailures(),
        AddEmailCodePasswords(),
        AddOnboarding(),
        AddPresenceReasons(),
        AddPresenceHistory(),
        AddCallerMatch(),
    ]
}
