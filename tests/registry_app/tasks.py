from celery import shared_task


@shared_task(name="tests.registry_app.tasks.sample_tick")
def sample_tick() -> str:
    return "tick"
