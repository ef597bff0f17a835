#!/usr/bin/env bash
# The active-learning experiment on NEU-DET, fair by construction: NEU-DET's 360 `val` images are
# VAL in every seed, split per seed into a selection half (best epoch, thresholds, difficulty fit)
# and a test half (every reported figure); GT1 = 180 random `train` images, then ROUNDS rounds of
# BUDGET images chosen by each strategy against as many random ones (the control), paired over
# SEEDS. Budgets are epochs (steps grow with the labelled set) with a floor of MIN_STEPS, the same
# rule for every arm. The report (Markdown, SVG charts, results.json) goes to
# PROJECT_DIR/reports/NAME/.
# Usage: bench/neu_det_experiment.sh [PROJECT_DIR] [extra `quarry experiment` options...]
#   SEEDS (1,2,3,4,5), STRATEGIES (balanced,entropy), ROUNDS (5), BUDGET (150), GT (180),
#   EPOCHS (40), MIN_STEPS (1000), PRESET (tiny: about 20 steps/s here, where `small` is 6),
#   PASSES (20), NAME (neu-det), NEU_DET, QUARRY.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
dir=${1:-/tmp/quarry-neu}
shift || true
source "$root/bench/neu_det_project.sh"
neu_det_project "$dir"
name=${NAME:-neu-det}
"$Q" -p "$dir" experiment --name "$name" --seeds "${SEEDS:-1,2,3,4,5}" --val-tag val --gt "${GT:-180}" \
  --budget "${BUDGET:-150}" --rounds "${ROUNDS:-5}" --strategies "${STRATEGIES-balanced,entropy}" \
  --preset "${PRESET:-tiny}" --epochs "${EPOCHS:-40}" --min-steps "${MIN_STEPS:-1000}" --patience 100000 \
  --passes "${PASSES:-20}" "$@"
echo "report: $dir/reports/$name/report.md"
