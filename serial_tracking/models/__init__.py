from . import res_company
from . import res_config_settings
from . import product_template
from . import serial_ownership
from . import stock_lot
from . import stock_move
from . import stock_move_line
from . import stock_quant
