from . import product_template
from . import product_product
from . import stock_lot
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import pos_order
from . import pos_order_line
