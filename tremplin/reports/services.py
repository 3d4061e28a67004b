from django.db import transaction

from tremplin.core.models import save_audited
from tremplin.reports.models import Narrative


@transaction.atomic
def save_narrative(*, year: int, section: str, text: str, by) -> Narrative:
    narrative, _ = Narrative.objects.select_for_update().get_or_create(year=year, section=section)
    narrative.text = text.strip()
    narrative.updated_by = by
    return save_audited(narrative, by)
