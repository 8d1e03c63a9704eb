"""A process that edits and adds one firm's accounts until a file appears, as busy users do.

`python tests/integration/account_writer.py <firm name> <stop file>`: prints WRITING once it
is under way, then, on stopping, the last password and notes it wrote per account (JSON).
Each transaction is held a moment (a slow request), so a key rotation meets rows it holds.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vault.test_settings")


def main(firm_name: str, stop: str) -> None:
    import django

    django.setup()
    from django.db import transaction

    from ccus.accounts.models import Worker
    from ccus.accounts.services import account_update, worker_create
    from vault.firms.models import Organization

    organization = Organization.objects.get(name=firm_name)
    uuids = list(Worker.objects.filter(organization=organization).values_list("uuid", flat=True))
    rng, last = random.Random(7), {}
    while not os.path.exists(stop):
        n = len(last)
        with transaction.atomic():
            if n % 10 == 9:
                worker = worker_create(
                    organization=organization, name=f"追加 {n}", password=f"new-{n}"
                )
                last[str(worker.uuid)] = [f"new-{n}", None]
            else:
                record = rng.choice(uuids)
                worker = Worker.objects.get(uuid=record)
                account_update(account=worker, password=f"edit-{n}", notes=f"編集{n}")
                last[str(record)] = [f"edit-{n}", f"編集{n}"]
            time.sleep(0.005)
        if n == 20:
            print("WRITING", flush=True)
    print(json.dumps(last), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
