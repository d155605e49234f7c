from . import serial_register_correct_wizard
from . import serial_register_opening_wizard
from . import serial_register_book_wizard
from . import medical_capture
from . import serial_register_end_user_wizard
from . import serial_register_event_wizard
from . import serial_register_notification_wizard
