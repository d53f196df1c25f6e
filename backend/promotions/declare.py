"""What promotions declare: error codes, the API, the demo's coupon."""

from backend.common.registry import declare
from backend.promotions.api import router
from backend.promotions.demo import demo_promotions_write
from backend.promotions.errors import PromotionErrorCode

app = declare("promotions")
app.error_codes(PromotionErrorCode)
app.router("/promotions", router)
app.demo(demo_promotions_write, after=("live", "orders"))
