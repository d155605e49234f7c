from . import test_pos_sync
from . import test_pos_check
from . import test_tour
from . import test_i18n
