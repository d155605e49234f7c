from . import test_identifiers
from . import test_sale_capture
from . import test_sale_capture_tour
