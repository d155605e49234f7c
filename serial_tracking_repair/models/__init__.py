from . import repair_order
from . import stock_lot
