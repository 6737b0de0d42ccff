"""The screens: every module of this package registers its pages (`shell.screen`) when
imported, so a new screen is a new module and nothing else."""

import importlib
import pkgutil


def register_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
