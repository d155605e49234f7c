from . import test_identifiers
from . import test_lifecycle
from . import test_receipt_capture
from . import test_security
from . import test_uniqueness
from . import test_tour
from . import test_sale_capture
from . import test_sale_capture_tour
