from . import product_template
from . import product_product
from . import res_partner
from . import serial_register_entry
from . import stock_lot
from . import stock_move_line
from . import stock_picking
