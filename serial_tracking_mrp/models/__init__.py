from . import mrp_production
from . import serial_recall
from . import serial_recall_line
from . import stock_lot
from . import stock_move_line
