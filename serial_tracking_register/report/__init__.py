from . import serial_register_implant_card
