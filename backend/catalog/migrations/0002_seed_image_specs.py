"""Seed the per-platform image spec table from imaging.DEFAULT_SPECS (data, adjustable)."""

from django.db import migrations


def seed(apps, schema_editor):
    from backend.catalog.imaging import DEFAULT_SPECS

    ImageSpec = apps.get_model("catalog", "ImageSpec")
    for spec in DEFAULT_SPECS:
        ImageSpec.objects.update_or_create(
            name=spec.name,
            seller=None,
            defaults={
                "platform": spec.platform,
                "width": spec.width,
                "height": spec.height,
                "mode": spec.mode,
                "format": spec.format,
                "max_bytes": spec.max_bytes,
                "background": spec.background,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("catalog", "ImageSpec").objects.filter(seller=None).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
