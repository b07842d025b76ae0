"""course_utils: the helper package of the course *GPT from scratch*.

What a chapter writes that later chapters need is saved here once and imported from then on.
"""

from course_utils.config import is_fast, scaled
from course_utils.device import cpu_generator, pick_device
from course_utils.learner_progress import progress
from course_utils.seeding import seed_everything

__all__ = ["cpu_generator", "is_fast", "pick_device", "progress", "scaled", "seed_everything"]
