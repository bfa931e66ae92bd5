from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Report whether the database (and Redis, when configured) answers; 503 when not."""
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"
    return "ok"


def _redis() -> str:
    # Through the cache itself, so the check covers the client the app really uses.
    try:
        cache.set("healthz", "ok", timeout=10)
        answer = cache.get("healthz")
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"
    return "ok" if answer == "ok" else "unreachable"
