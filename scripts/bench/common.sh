# Shared by the benchmarks: the project root, a release build of paysh,
# installing a missing Debian package, and a standalone sandbox.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.build/release/paysh"
command -v swift >/dev/null 2>&1 || export PATH="$PATH:/opt/swift/usr/bin"

# need COMMAND PACKAGE: install PACKAGE from the Debian archive when COMMAND is missing.
need() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "bench: installing $2 (for $1)" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" >&2
}

# build_release: the release binary, built outside any timing.
build_release() { PAYSH_BOOTSTRAP_QUIET=1 "$root/scripts/paysh" -e '' >&2; }

# start_sandbox DIR [ARGS...]: `paysh sandbox --memory --port 0 ARGS` in the
# background, its variables exported here; its pid in $sandbox_pid.
start_sandbox() {
  local dir="$1"; shift
  "$bin" sandbox --memory --port 0 "$@" > "$dir/sandbox.env" 2> "$dir/sandbox.log" & sandbox_pid=$!
  for _ in $(seq 200); do grep -q LUMYRI_ACCESS_TOKEN "$dir/sandbox.env" && break; sleep 0.05; done
  grep -q LUMYRI_ACCESS_TOKEN "$dir/sandbox.env" || { echo "bench: the sandbox did not start:" >&2; cat "$dir/sandbox.log" >&2; exit 1; }
  set -a; . "$dir/sandbox.env"; set +a
}

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
