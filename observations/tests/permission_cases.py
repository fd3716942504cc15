from .permission_cases_labs import CASES as LAB_CASES
from .permission_cases_log import CASES as LOG_CASES
from .permission_cases_patrol import CASES as PATROL_CASES

CASES = [*LOG_CASES, *PATROL_CASES, *LAB_CASES]
