"""Public events of every service, one module per producer: `erp_contracts.events.<service>`.

Importing this package imports every module in it, so `event_types()` then lists every public
event. A service adds its events by adding a module here — there is no list to edit.
"""

import importlib
import pkgutil


def load_all() -> list[str]:
    """Import every module under `erp_contracts.events` (nested packages too); return their names.

    Importing registers each module's `@public_event` models. Calling it again is cheap: Python
    caches imported modules.
    """
    names = [info.name for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}.")]
    for name in names:
        importlib.import_module(name)
    return sorted(names)


load_all()
