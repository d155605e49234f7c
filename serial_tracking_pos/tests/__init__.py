from . import test_pos_sync
