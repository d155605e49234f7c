from . import test_register_entries
from . import test_register_integrity
from . import test_register_alerts
from . import test_register_access
from . import test_register_book
from . import test_i18n
from . import test_medical_register
from . import test_medical_tracking
