from . import serial_capture_wizard
from . import serial_loss_report_wizard
from . import serial_loss_clear_wizard
from . import serial_recall_resolve_wizard
from . import serial_recall_return_wizard
from . import serial_recall_close_wizard
from . import serial_transfer_wizard
from . import serial_warranty_lookup
