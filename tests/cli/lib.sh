# Shared by the CLI end-to-end scripts: a temporary folder, pass/fail counters, and checks on
# the last command's exit code, stdout and stderr, and on a condition (expect). Source it; it needs $QUARRY.
Q=${QUARRY:?set QUARRY to the quarry executable}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

json_int() {  # json_int KEY FILE: the first integer value of "KEY" in FILE (or -1)
  local v
  v=$(grep -oE "\"$1\": [0-9]+" "$2" | head -1 | grep -oE '[0-9]+$')
  echo "${v:--1}"
}

check() {  # check NAME EXPECTED_EXIT COMMAND...
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [[ $got == "$want" ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name: exit $got, expected $want"
    sed 's/^/  | /' "$tmp/err" | head -5
  fi
}

expect_out() {  # expect_out NAME PATTERN: the last command's stdout matches PATTERN
  if grep -Eq -- "$2" "$tmp/out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1: stdout does not match /$2/"
    sed 's/^/  | /' "$tmp/out" | head -10
  fi
}

expect_err() {
  if grep -Eq -- "$2" "$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1: stderr does not match /$2/"
    sed 's/^/  | /' "$tmp/err" | head -10
  fi
}

expect() {  # expect NAME CONDITION_EXIT: 0 passes
  if [[ $2 == 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1"
  fi
}
