"""Phone sign-ups were named m<phone>, which ledgers and member lists showed to merchants,
the office and inspectors: give them a random buyer_… name instead."""

import re
import secrets

from django.db import migrations

PHONE_USERNAME = re.compile(r"^m1[3-9]\d{9}$")


def buyer_username() -> str:
    return f"buyer_{secrets.token_hex(5)}"


def usernames_without_phone(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(username__startswith="m").only("pk", "username"):
        if not PHONE_USERNAME.match(user.username):
            continue
        name = buyer_username()
        while User.objects.filter(username=name).exists():
            name = buyer_username()
        User.objects.filter(pk=user.pk).update(username=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(usernames_without_phone, migrations.RunPython.noop)]
