"""One convolution mapping in four forms, timed side by side in one run (Q12).

    python benchmarks/vision_conv_forms.py [--batch 64] [--image-size 12] [--threads 1] [--device cpu]

Prints, for a 3×3 convolution from 8 to 16 channels, each form's stored numbers, learned parameters and
median forward time as a ratio to F.conv2d.
"""

from __future__ import annotations

import argparse

import torch

from mlqa.vision import conv_forms, time_forms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--image-size", type=int, default=12)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (1 is steadier on a shared machine)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    forms = conv_forms(8, 16, 3, args.image_size, device=args.device)
    seconds = time_forms(forms, torch.randn(args.batch, 8, args.image_size, args.image_size, device=args.device),
                         repeats=50)
    print(f"{'form':28s} {'stored':>10s} {'learned':>10s} {'ms':>9s} {'× conv2d':>9s}")
    for form in forms:
        value = seconds[form.name]
        print(f"{form.name:28s} {form.stored_values:>10,} {form.learned_parameters:>10,} {value * 1e3:9.3f} "
              f"{value / seconds['F.conv2d']:9.1f}")


if __name__ == "__main__":
    main()
