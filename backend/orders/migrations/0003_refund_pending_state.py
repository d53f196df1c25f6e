import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = [("pending", "Pending"), ("succeeded", "Succeeded"), ("failed", "Failed")]


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_seed_couriers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="refund",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="refund", name="attempts", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="refund",
            name="last_error",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="refund",
            name="settled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Refunds stored before this migration were written once the provider had paid them.
        migrations.AddField(
            model_name="refund",
            name="status",
            field=models.CharField(choices=STATUSES, default="succeeded", max_length=16),
        ),
        migrations.AlterField(
            model_name="refund",
            name="status",
            field=models.CharField(choices=STATUSES, default="pending", max_length=16),
        ),
        migrations.AddConstraint(
            model_name="refund",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "succeeded", "failed"])),
                name="refund_status_valid",
            ),
        ),
    ]
