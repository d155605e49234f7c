from . import test_genealogy
from . import test_recall_components
from . import test_quality_hold
from . import test_tour_pdf
from . import test_i18n
