"""Run against a SQLite database (DATABASE_URL in the environment): an API token's first
use, and a use after its last-used stamp went stale, on the embedded default. Prints the
stamps as the ORM reads them back, as JSON."""

from __future__ import annotations

import json
from datetime import timedelta

import django


def main() -> None:
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.utils import timezone

    from backend.accounts.models import ApiToken, User
    from backend.accounts.services import api_token_authenticate, api_token_create

    user = User.objects.create_user(username="sqlite-script")
    token, raw = api_token_create(user=user, name="ci", expires_in_days=1)
    found = api_token_authenticate(raw=raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    long_ago = timezone.now() - timedelta(days=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    cache.delete(f"accounts:apitoken:{token.pk}:used")  # the once-a-minute gate lapses
    api_token_authenticate(raw=raw)
    again = ApiToken.objects.get(pk=token.pk).last_used_at
    with connection.cursor() as cursor:  # the stored text, beside the ORM's own stamp
        cursor.execute(
            "SELECT CAST(last_used_at AS TEXT), CAST(created_at AS TEXT)"
            " FROM accounts_apitoken WHERE id = %s",
            [token.pk],
        )
        stored, created = cursor.fetchone()
    print(json.dumps({
        "user": found.username if found else None,
        "first": first.isoformat() if first else None,
        "again_after_stale": bool(again and again > long_ago + timedelta(days=29)),
        "now": timezone.now().isoformat(),
        "stored": stored,
        "created": created,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
