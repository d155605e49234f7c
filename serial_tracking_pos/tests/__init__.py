from . import test_pos_sync
from . import test_pos_check
from . import test_tour
