#!/usr/bin/env bash
# GPU checks for a machine with CUDA: every notebook with MLQA_DEVICE=cuda, and the launcher with NCCL on all GPUs.
# Usage: scripts/gpu-check.sh [extra pytest arguments]    (GPU_CHECK_WORKERS=N runs N test processes, default 4)
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python - <<'PY'
import torch
gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {gpus} GPU(s)")
for i in range(gpus):
    print(f"  GPU {i}: {torch.cuda.get_device_name(i)}")
PY
log=$(mktemp)
start=$(date +%s)
python -m pytest tests/gpu -m gpu -n "${GPU_CHECK_WORKERS:-4}" -p no:cacheprovider -q -rA "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo
echo "=== GPU check summary ($(( $(date +%s) - start )) s) ==="
grep -E "^(PASSED|FAILED|SKIPPED|ERROR)" "$log" | sed -E 's/ - .{200}.*//' | sort | uniq
tail -n 1 "$log"
rm -f "$log"
exit "$status"
