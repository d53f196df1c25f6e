from __future__ import annotations

import factory

from backend.geo.models import Township, Village


class VillageFactory(factory.django.DjangoModelFactory):
    """A village row of a test. Codes follow the township's prefix like NBS codes do."""

    class Meta:
        model = Village

    township = factory.LazyFunction(lambda: Township.objects.get(code="140521103"))
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.township.code}{200 + n % 800:03d}")
    name = factory.Sequence(lambda n: f"测试{n}村")
