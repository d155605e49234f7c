from . import serial_register_correct_wizard
from . import serial_register_opening_wizard
from . import serial_register_book_wizard
from . import medical_capture
