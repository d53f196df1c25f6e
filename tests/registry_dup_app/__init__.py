"""A test-only app that declares an error code another app already owns: start-up stops."""
