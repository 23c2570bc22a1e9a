"""No cyclic garbage collection while a dataset's records are read and checked.

Reading a curated dataset allocates millions of small objects (YAML values, pydantic
models, row dicts) that live until the end, and almost none of them form reference
cycles: reference counting frees everything else. CPython's cyclic collector still
walks the young objects every 700 allocations and every live object each time the heap
grows by a quarter; at a few hundred articles that was a third of the time, for
collections that freed nothing (raising the thresholds did not help: the young passes
cost the same in total). Inside :func:`paused_collection` the cyclic collector is off;
it is switched back on on the way out (also when an exception leaves the block). Nested
uses keep it off until the outermost one ends.

Switched back on as it was, the collector's next young pass would walk every object
made in the block (half a second at 320 articles). So the objects are first moved to
the oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, two list splices): they
are walked, and any cycles among them collected, by the next full collection, which
CPython runs when the long-lived objects have grown by a quarter. When something else
has frozen objects (``gc.get_freeze_count()``), theirs are left frozen and ours to
the young pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collection() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
