from . import portal
from . import serial_units
from . import serial_public
from . import serial_registration
