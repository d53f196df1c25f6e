"""An app that lives only in the test suite: it declares one of everything an app can
declare, and tests/backend/common/test_registry.py checks each shows up (EXTRA_APPS)."""
