from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tremplin.ops import jobs
from tremplin.ops.health import check_databases, check_tasks
from tremplin.ops.models import BackgroundJob, JobStatus


@never_cache
@require_GET
def health(request):
    """200 when every database and the task queue answer, 503 otherwise; states only, no personal data.
    Not behind the login: the reverse proxy, the supervisor and the monitoring call it."""
    databases = check_databases()
    tasks = check_tasks()
    healthy = all(state == "ok" for state in databases.values()) and tasks["state"] in ("ok", "absent")
    return JsonResponse(
        {"status": "ok" if healthy else "erreur", "databases": databases, "tasks": tasks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def _job_for(request, job_id, **filters):
    return get_object_or_404(BackgroundJob.objects.visible_to(request.user), public_id=job_id, **filters)


@login_required
@never_cache
@require_GET
def job_detail(request, job_id):
    job = jobs.refresh(_job_for(request, job_id))
    context = {"job": job, "waiting_too_long": jobs.waiting_too_long(job)}
    if request.htmx:
        return render(request, "ops/_job_status.html", context)
    return render(request, "ops/job_detail.html", context)


@login_required
@require_GET
def job_download(request, job_id):
    job = _job_for(request, job_id, status=JobStatus.SUCCEEDED)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
