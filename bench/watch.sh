#!/usr/bin/env bash
# quarry watch's throughput and latency (issue 17): a line writes 200x200 images (NEU-DET's size)
# into a folder at RATE images/s for SECONDS while the watch imports, auto-labels, scores and
# routes them with a small-preset run. The run is trained briefly: speed is measured here, not
# accuracy. Prints the watch's own summary (images/s, median latency from the file's last write
# to its routing tag) and its resident memory at the start and the end.
#   bench/watch.sh [RATE] [SECONDS]     (default 5 images/s for 60 s; target: it keeps up with 5,
#                                        median latency under 2 s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
Q=${QUARRY:-$root/build/src/quarry}
rate=${1:-5}
seconds=${2:-60}
work=$(mktemp -d)
trap 'kill $watch 2>/dev/null || true; rm -rf "$work"' EXIT
export OMP_WAIT_POLICY=PASSIVE
"$Q" -q demo "$work/p" --images 300 --size 200 --seed 3 >/dev/null
"$Q" -q -p "$work/p" split --val 60 --gt 200 --seed 1 >/dev/null
"$Q" -q -p "$work/p" train --run W --preset small --max-steps 60 --threads 2 >/dev/null
"$Q" -q -p "$work/p" score --run W >/dev/null
total=$((rate * seconds))
"$Q" -q demo "$work/src" --images "$total" --size 200 --seed 8 --unlabeled >/dev/null
mkdir -p "$work/line"
"$Q" -q -p "$work/p" watch "$work/line" --run W --poll 0.2 --settle 0.5 --budget 100000/day --json \
  >"$work/watch.json" 2>"$work/watch.err" &
watch=$!
sleep 1
rss() { awk '/VmRSS/ {print $2 / 1024}' "/proc/$watch/status"; }
rss_start=$(rss)
files=("$work/src/dataset/images/"*.png)
start=$(date +%s.%N)
samples=()
for ((i = 0; i < total; ++i)); do
  ((i % (rate * 20) == 0)) && samples+=("$(rss)")
  cp "${files[i]}" "$work/line/.incoming.part" && mv "$work/line/.incoming.part" "$work/line/$(basename "${files[i]}")"
  # Paced to the rate from the start, so a slow copy does not slow the line down.
  next=$(echo "$start + ($i + 1) / $rate" | bc -l)
  now=$(date +%s.%N)
  (($(echo "$next > $now" | bc -l))) && sleep "$(echo "$next - $now" | bc -l)"
done
routed() { sqlite3 "$work/p/project.quarry" "SELECT COUNT(*) FROM stream_images WHERE routed_at IS NOT NULL"; }
for ((k = 0; k < 600 && $(routed) < total; ++k)); do sleep 0.2; done
rss_end=$(rss)
kill -INT $watch
wait $watch || true
echo "line: $total images at $rate/s over $seconds s; routed $(routed)"
echo "watch resident memory: $rss_start MB at the start, every 20 s: ${samples[*]} MB, $rss_end MB at the end"
cat "$work/watch.json"
