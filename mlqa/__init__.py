"""mlqa: the runnable companion to the book *Machine Learning Q and AI*."""

from mlqa.utils import get_device, print_versions, save_figure, set_seed, use_style

__version__ = "0.1.0"

__all__ = ["get_device", "print_versions", "save_figure", "set_seed", "use_style", "__version__"]
