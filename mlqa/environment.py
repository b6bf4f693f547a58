"""What a reader's environment needs to run the notebooks, checked one item at a time."""

from __future__ import annotations

import importlib
import platform
import sys


def environment_checks() -> list[tuple[str, bool, str]]:
    """(name, ok, detail) for each thing a reader needs to run the notebooks."""
    checks = []
    py_ok = sys.version_info >= (3, 10)
    checks.append(("python >= 3.10", py_ok, platform.python_version()))
    try:
        import torch
        import torch.distributed as dist
    except ImportError as err:
        checks.append(("torch", False, str(err)))
        return checks
    major, minor = (int(x) for x in torch.__version__.split(".")[:2])
    checks.append(("torch >= 2.6", (major, minor) >= (2, 6), torch.__version__))
    checks.append(("torch.distributed with gloo", dist.is_available() and dist.is_gloo_available(),
                   "multi-process demos on CPU"))
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    mps = torch.backends.mps.is_available()
    checks.append(("accelerators", True, f"{gpus} CUDA GPU(s), MPS {'yes' if mps else 'no'} (a CPU is enough)"))
    for module in ("ipywidgets", "jupyterlab", "matplotlib", "sklearn", "transformers"):
        try:
            mod = importlib.import_module(module)
            checks.append((module, True, getattr(mod, "__version__", "installed")))
        except ImportError as err:
            checks.append((module, False, f"not importable: {err}"))
    return checks
