"""The tasks run by the worker (django-tasks). Thin: they load by id and call a service."""

from django_tasks import task

from tremplin.ops import jobs


@task()
def run_job(job_id: int) -> None:
    jobs.run(job_id)
