from . import test_warranty_repair
from . import test_repair_lookup
from . import test_i18n
