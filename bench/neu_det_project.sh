# Sourced by the NEU-DET benchmarks: neu_det_project DIR imports ../shared/datasets/neu-det (or
# $NEU_DET) into a project at DIR once, with its train/ and val/ folders as the tags `train` and
# `val`. Needs $Q, the quarry executable.
neu_det_project() {
  local dir=$1 data=${NEU_DET:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/datasets/neu-det}
  [[ -f $data/classes.txt ]] || { echo "NEU-DET not found at $data" >&2; return 1; }
  [[ -f $dir/project.quarry ]] && return 0
  "$Q" -q init "$dir"
  "$Q" -q -p "$dir" import "$data" --format yolo --folder-tags
}
