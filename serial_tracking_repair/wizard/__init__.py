from . import serial_warranty_lookup
