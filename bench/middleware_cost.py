"""What each middleware costs a request: /healthz with all of them, then without each one.

    DATABASE_URL=... SECRET_KEY=... DEBUG=0 ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 \\
        .venv/bin/python bench/middleware_cost.py [--requests 2000]

The best of 5 runs of N requests each, per configuration (the machine may be shared).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def best_ms(client, path: str, n: int) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            client.get(path)
        runs.append((time.perf_counter() - start) / n * 1000)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--path", default="/healthz")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    full = list(settings.MIDDLEWARE)
    client = Client()
    client.get(args.path)
    everything = best_ms(client, args.path, args.requests)
    print(f"{args.path} with all {len(full)} middleware: {everything:.3f} ms a request")
    with override_settings(MIDDLEWARE=[]):
        bare = Client()
        bare.get(args.path)
        print(f"  without any: {best_ms(bare, args.path, args.requests):.3f} ms")
    for middleware in full:
        with override_settings(MIDDLEWARE=[m for m in full if m != middleware]):
            client = Client()
            client.get(args.path)
            cost = everything - best_ms(client, args.path, args.requests)
        print(f"  {middleware:55s} {cost * 1000:+6.0f} µs")


if __name__ == "__main__":
    main()
