#!/usr/bin/env bash
# Fault tests: what a crash, a second writer, a full disk, a read-only folder or a moved image
# does to a project. After each fault the project is reopened and checked with SQLite's
# `PRAGMA integrity_check` and by its content. Needs $QUARRY (the CLI), $EDITOR_SCRIPT (the GUI
# annotation script, tests/faults/gui_edit_script.cpp) and the sqlite3 shell. The full-disk and
# read-only cases mount a small tmpfs and a read-only bind, which needs root; without it they
# are reported as skipped.
set -u
source "$(dirname "$0")/../cli/lib.sh"
EDIT=${EDITOR_SCRIPT:?set EDITOR_SCRIPT to the gui_edit_script executable}
export QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=PASSIVE XDG_RUNTIME_DIR=$tmp/runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"

sql() { sqlite3 -batch "$1/project.quarry" "$2"; }
intact() {  # intact NAME DIR: integrity_check says ok and the CLI opens the project
  expect "$1: integrity_check" "$([[ $(sql "$2" 'PRAGMA integrity_check') == ok ]]; echo $?)"
  $Q -q -p "$2" stats >/dev/null 2>&1
  expect "$1: the project opens" $?
}
wait_for() {  # wait_for SECONDS COMMAND...: polls every 20 ms until COMMAND succeeds
  local until=$((SECONDS + $1))
  shift
  while ((SECONDS < until)); do
    "$@" && return 0
    sleep 0.02
  done
  return 1
}
at_least() { [[ $(sql "$1" "$2" 2>/dev/null || echo 0) -ge $3 ]]; }
start() { "$@" >/dev/null 2>&1 & job=$!; }  # start COMMAND...: in the background, as $job
crash() { kill -9 $job; wait $job 2>/dev/null; }  # crash: kill -9 of $job, reaped
auto_per_image() {  # the auto-box count of every image, by path, as one checksum
  sql "$1" "SELECT i.path, COUNT(b.id) FROM images i LEFT JOIN boxes b ON b.image_id = i.id AND b.source = 1 GROUP BY i.id ORDER BY i.path" | md5sum
}

# --- kill -9 in the middle of an import --------------------------------------------------------
check "demo source" 0 $Q -q demo "$tmp/src" --images 6000 --size 64 --seed 1
check "reference project" 0 $Q -q init "$tmp/ref"
check "reference import" 0 $Q -q -p "$tmp/ref" import "$tmp/src/dataset" --format yolo
want_images=$(sql "$tmp/ref" "SELECT COUNT(*) FROM images")
want_boxes=$(sql "$tmp/ref" "SELECT COUNT(*) FROM boxes")

P=$tmp/imp
check "init" 0 $Q -q init "$P"
start $Q -q -p "$P" import "$tmp/src/dataset" --format yolo --chunk 32
wait_for 30 at_least "$P" "SELECT COUNT(*) FROM images" 96
seen=$(sql "$P" "SELECT COUNT(*) FROM images")
crash
got=$(sql "$P" "SELECT COUNT(*) FROM images")
echo "import: killed with $got of $want_images images committed ($seen seen before the kill)"
expect "import was interrupted mid-way" "$( ((got < want_images)); echo $?)"
expect "no committed chunk lost" "$( ((got >= seen)); echo $?)"
expect "only whole chunks" "$( ((got % 32 == 0)); echo $?)"
intact "after kill -9 of import" "$P"
check "import re-run" 0 $Q -q -p "$P" import "$tmp/src/dataset" --format yolo --chunk 32
expect "re-run: every image once" "$([[ $(sql "$P" "SELECT COUNT(*) FROM images") == "$want_images" ]]; echo $?)"
expect "re-run: every box once" "$([[ $(sql "$P" "SELECT COUNT(*) FROM boxes") == "$want_boxes" ]]; echo $?)"
expect "re-run: no duplicate paths" "$([[ $(sql "$P" "SELECT COUNT(DISTINCT path) FROM images") == "$want_images" ]]; echo $?)"

# --- kill -9 in the middle of training and of an auto-label ------------------------------------
M=$tmp/model
check "model demo" 0 $Q -q demo "$M" --images 80 --size 96 --seed 2
check "model split" 0 $Q -q -p "$M" split --val 20 --gt 40 --seed 1
train=(-q -p "$M" train --run T1 --preset tiny --max-steps 150 --batch 8 --epochs 100000 --patience 100000 --threads 2)
start $Q "${train[@]}"
wait_for 120 test -f "$M/models/T1/model.pt"
sleep 0.5
crash
expect "training was interrupted (no run row yet)" "$([[ $(sql "$M" "SELECT COUNT(*) FROM model_runs") == 0 ]]; echo $?)"
intact "after kill -9 of train" "$M"
check "train re-run with the same name" 0 $Q "${train[@]}"
expect "one run T1" "$([[ $(sql "$M" "SELECT COUNT(*) FROM model_runs WHERE name = 'T1'") == 1 ]]; echo $?)"
expect "no half-written checkpoint left" "$(! ls "$M/models/T1" | grep -q '\.part$'; echo $?)"

# The pool: 2,000 unlabelled images, so the auto-label takes a few seconds.
check "pool demo" 0 $Q -q demo "$tmp/pool" --images 2000 --size 96 --seed 9 --unlabeled
check "import pool" 0 $Q -q -p "$M" import "$tmp/pool/dataset/images" --format folder --tag POOL
cp -r "$M" "$tmp/model_ref"
check "reference auto-label" 0 $Q -q -p "$tmp/model_ref" autolabel --run T1 --where tag:POOL --batch 8 --score-threshold 0.05
ref_auto=$(sql "$tmp/model_ref" "SELECT COUNT(*) FROM boxes WHERE source = 1")
ref_per_image=$(auto_per_image "$tmp/model_ref")
start $Q -q -p "$M" autolabel --run T1 --where tag:POOL --batch 8 --score-threshold 0.05
wait_for 60 at_least "$M" "SELECT COUNT(*) FROM boxes WHERE source = 1" 50
crash
got=$(sql "$M" "SELECT COUNT(*) FROM boxes WHERE source = 1")
echo "autolabel: killed with $got of $ref_auto auto boxes committed"
expect "auto-label was interrupted mid-way" "$( ((got > 0 && got < ref_auto)); echo $?)"
intact "after kill -9 of autolabel" "$M"
check "auto-label re-run" 0 $Q -q -p "$M" autolabel --run T1 --where tag:POOL --batch 8 --score-threshold 0.05
expect "re-run: the same auto boxes as an uninterrupted run" \
  "$([[ $(sql "$M" "SELECT COUNT(*) FROM boxes WHERE source = 1") == "$ref_auto" ]]; echo $?)"
expect "re-run: the same boxes per image" \
  "$([[ $(auto_per_image "$M") == "$ref_per_image" ]]; echo $?)"

# --- kill -9 of quarry watch in the middle of a stream (issue 17) -----------------------------
# A line writes 300 images while the watch routes them with T1; the watch is killed, restarted,
# and every file must be imported exactly once and routed, none lost.
check "score T1 for the stream" 0 $Q -q -p "$M" score --run T1 --passes 2 --score-threshold 0.05
check "line demo" 0 $Q -q demo "$tmp/linesrc" --images 300 --size 96 --seed 13 --unlabeled
mkdir -p "$tmp/line"
stream_rows() { sql "$M" "SELECT COUNT(*) FROM stream_images" 2>/dev/null || echo 0; }
check "slow demo" 0 $Q -q demo "$tmp/slowsrc" --images 1 --size 96 --seed 77 --unlabeled
start $Q -q -p "$M" watch "$tmp/line" --run T1 --poll 0.2 --settle 0.3 --budget 100000/day
# A file written slowly while the watch looks, in two halves with a pause shorter than the
# settle time: a half read would be a truncated PNG, skipped.
head -c 300 "$tmp/slowsrc/dataset/images/img_00000.png" >"$tmp/line/slow.png"
sleep 0.2
tail -c +301 "$tmp/slowsrc/dataset/images/img_00000.png" >>"$tmp/line/slow.png"
files=("$tmp/linesrc/dataset/images/"*.png)
for ((k = 0; k < ${#files[@]}; k += 50)); do cp "${files[@]:k:50}" "$tmp/line/"; sleep 0.3; done
wait_for 60 at_least "$M" "SELECT COUNT(*) FROM stream_images" 50
crash
echo "watch: killed with $(stream_rows) of ${#files[@]} files recorded"
intact "after kill -9 of watch" "$M"
check "watch restarted" 0 $Q -q -p "$M" watch "$tmp/line" --run T1 --once --settle 1 --json
expect "every file imported once" "$([[ $(sql "$M" "SELECT COUNT(*) FROM images WHERE path LIKE '%/line/%'") == 301 ]]; echo $?)"
expect "every stream image routed" "$([[ $(sql "$M" "SELECT COUNT(*) FROM stream_images WHERE routed_at IS NOT NULL") == 301 ]]; echo $?)"
expect "no stream image lost" "$([[ $(stream_rows) == 301 ]]; echo $?)"
expect "the slow file imported whole" \
  "$([[ $(sql "$M" "SELECT COUNT(*) FROM images WHERE path LIKE '%/line/slow.png'") == 1 ]]; echo $?)"

# --- kill -9 of the GUI while an annotation script edits boxes ---------------------------------
G=$tmp/gui
check "gui demo" 0 $Q -q demo "$G" --images 30 --size 200 --seed 4 --unlabeled
"$EDIT" edit "$G" 60 >"$tmp/edits.log" 2>"$tmp/edits.err" &
job=$!
lines_at_least() { [[ -f $1 && $(wc -l <"$1") -ge $2 ]]; }
wait_for 60 lines_at_least "$tmp/edits.log" 200
crash
echo "gui: killed after $(grep -c '^draw\|^clear' "$tmp/edits.log") logged edits"
expect "gui script was running when killed" "$(! grep -q '^done\|^error' "$tmp/edits.log"; echo $?)"
intact "after kill -9 of the GUI" "$G"
"$EDIT" verify "$G" "$tmp/edits.log" >"$tmp/verify.out" 2>&1
expect "every completed GUI edit is in the store" $?
cat "$tmp/verify.out"

# --- two writers at once: the GUI's edits while the CLI auto-labels and tags -------------------
cp -r "$tmp/model_ref" "$tmp/both"
B=$tmp/both
# The GUI edits the labelled images while the CLI auto-labels and tags the pool: the same file,
# different rows, so every write of both must land.
"$EDIT" edit "$B" 12 notag:POOL >"$tmp/both.log" 2>"$tmp/both.err" &
gui=$!
(
  rc=0
  for i in 1 2 3; do
    $Q -q -p "$B" autolabel --run T1 --where tag:POOL --batch 8 --score-threshold 0.05 >>"$tmp/both.cli" 2>&1 || rc=1
    $Q -q -p "$B" tag add "ROUND$i" --where tag:POOL >>"$tmp/both.cli" 2>&1 || rc=1
  done
  exit $rc
) &
cli=$!
wait $gui
gui_rc=$?
wait $cli
cli_rc=$?
expect "GUI writer finished without an error" "$gui_rc"
expect "CLI writer finished without an error" "$cli_rc"
expect "nobody saw 'database is locked'" "$(! grep -qi 'locked\|busy' "$tmp/both.log" "$tmp/both.cli"; echo $?)"
grep -i 'locked\|busy\|error' "$tmp/both.log" "$tmp/both.cli" | head -5
"$EDIT" verify "$B" "$tmp/both.log" >"$tmp/verify.out" 2>&1
expect "every GUI edit made during the auto-label is stored" $?
cat "$tmp/verify.out"
for i in 1 2 3; do
  expect "tag ROUND$i on every pool image" \
    "$([[ $(sql "$B" "SELECT COUNT(*) FROM image_tags it JOIN tags t ON t.id = it.tag_id WHERE t.name = 'ROUND$i'") == 2000 ]]; echo $?)"
done
expect "auto boxes as in one uninterrupted run" \
  "$([[ $(sql "$B" "SELECT COUNT(*) FROM boxes WHERE source = 1") == "$ref_auto" ]]; echo $?)"
intact "after two writers" "$B"

# The file a stored image path points at: through its image root ($NAME/rel), else relative to
# the project folder (or absolute).
file_of() {
  local project=$1 stored=$2
  if [[ $stored == '$'* ]]; then
    local name=${stored%%/*}
    name=${name#'$'}
    echo "$(sql "$project" "SELECT location FROM image_roots WHERE name = '$name'")/${stored#*/}"
  else
    (cd "$project" && realpath -m "$stored")
  fi
}

# --- a moved image: shown as missing (GUI test), skipped with a warning by jobs ----------------
cp -r "$tmp/model_ref" "$tmp/moved"
V=$tmp/moved
gone=$(sql "$V" "SELECT path FROM images WHERE id = (SELECT MAX(id) FROM images)")
rm -f "$(file_of "$V" "$gone")"
[[ ! -e $(file_of "$V" "$gone") ]]
expect "the image file is gone" $?
check "autolabel with a missing image" 0 $Q -p "$V" autolabel --run T1 --where tag:POOL --batch 8
expect_err "autolabel warns about the missing file" "$(basename "$gone").*missing"
expect "the other images were labelled" \
  "$([[ $(sql "$V" "SELECT COUNT(DISTINCT b.image_id) FROM boxes b WHERE b.source = 1") -gt 0 ]]; echo $?)"
check "score with a missing image" 0 $Q -p "$V" score --run T1 --passes 4
expect_err "score warns about the missing file" "$(basename "$gone").*missing"
gt=$(sql "$V" "SELECT i.path FROM images i JOIN image_tags it ON it.image_id = i.id JOIN tags t ON t.id = it.tag_id WHERE t.name = 'GT1' ORDER BY i.id LIMIT 1")
rm -f "$(file_of "$V" "$gt")"
check "train with a missing image" 0 $Q -p "$V" train --run T2 --preset tiny --max-steps 4 --epochs 1 --threads 2
expect_err "train warns about the missing file" "$(basename "$gt").*(missing|unreadable)"

# --- a full disk and a read-only project folder ------------------------------------------------
if mkdir -p "$tmp/small" && mount -t tmpfs -o size=600k tmpfs "$tmp/small" 2>/dev/null; then
  S=$tmp/small/p
  check "init on a small disk" 0 $Q -q init "$S"
  check "import onto a full disk fails" 1 $Q -q -p "$S" import "$tmp/src/dataset" --format yolo --chunk 64
  expect_err "it says the disk is full" "full"
  expect_err "it names the project file" "project.quarry"
  stored=$(sql "$S" "SELECT COUNT(*) FROM images")
  echo "full disk: $stored images stored before the disk filled"
  intact "after a full disk" "$S"
  check "export onto the full disk fails" 1 $Q -q -p "$tmp/ref" export "$tmp/small/out" --format coco
  expect_err "export names what it could not write" "$tmp/small/out"
  umount "$tmp/small"
else
  echo "SKIP: full disk (mounting a tmpfs needs root)"
fi

R=$tmp/readonly
cp -r "$tmp/ref" "$R"
before=$(sql "$R" "SELECT COUNT(*) FROM image_tags")
if mount --bind -o ro "$R" "$R" 2>/dev/null; then
  check "tag in a read-only project fails" 1 $Q -q -p "$R" tag add X --where "name:img"
  expect_err "it says read-only" "read-only|readonly"
  check "import into a read-only project fails" 1 $Q -q -p "$R" import "$tmp/pool/dataset/images" --format folder
  umount "$R"
  expect "nothing changed" "$([[ $(sql "$R" "SELECT COUNT(*) FROM image_tags") == "$before" ]]; echo $?)"
  intact "after a read-only folder" "$R"
  check "tagging works once writable again" 0 $Q -q -p "$R" tag add X --where "name:img"
else
  echo "SKIP: read-only folder (a read-only bind mount needs root)"
fi

echo "faults: $passed passed, $failed failed"
[[ $failed == 0 ]]
