from . import mrp_production
from . import mrp_unbuild
from . import serial_genealogy_link
from . import serial_recall
from . import serial_recall_line
from . import stock_lot
from . import stock_move
from . import stock_move_line
