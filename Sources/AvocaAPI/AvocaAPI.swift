// Generated code lives in the build folder; this file keeps the target non-empty.
