"""What promotions declare: error codes, the API, the draw sweep, the demo."""

from backend.common.registry import declare
from backend.promotions.api import FLASH_BUY_PATH, flash_sold_out_answer, router
from backend.promotions.demo import demo_promotions_write
from backend.promotions.errors import PromotionErrorCode

app = declare("promotions")
app.error_codes(PromotionErrorCode)
app.router("/promotions", router)
app.early("POST", FLASH_BUY_PATH, flash_sold_out_answer)
app.beat(
    "promotions.lotteries-draw",
    task="backend.promotions.tasks.lotteries_draw_due",
    schedule=5.0,
)
app.demo(demo_promotions_write, after=("live", "orders"))
