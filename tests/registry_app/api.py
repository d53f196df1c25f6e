from django.http import HttpRequest
from ninja import Router

from backend.common.errors import DomainError
from tests.registry_app.errors import SampleErrorCode

router = Router(tags=["sample"])


@router.get("/hello", auth=None)
def hello(request: HttpRequest) -> dict[str, str]:
    return {"hello": "沁水"}


@router.get("/refuse", auth=None)
def refuse(request: HttpRequest) -> dict[str, str]:
    raise DomainError("Refused by the sample app.", code=SampleErrorCode.SAMPLE_REFUSED)
