#!/usr/bin/env bash
# Benchmarks nimbus beside moto's server in the same run (DESIGN.md: benchmarks print
# numbers, they are not tests). Usage: bench/run.sh [build-dir]. Figures go to stdout;
# copy them into docs/benchmarks.md.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
gen=$build/bench/nimbus_loadgen
nimbus=$build/src/nimbus
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-32}
nport=45660
mport=45661

free_port_wait() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null || return 0; sleep 0.1; done; }

echo "== start-up to first answered request, idle RSS"
for i in 1 2 3; do
  $gen --label nimbus --port $nport --startup "$nimbus serve --port $nport --in-memory --log-level off"
  free_port_wait $nport
done
if python3 -c "import moto" 2>/dev/null; then
  $gen --label moto --port $mport --startup "python3 -m moto.server -p $mport"
  free_port_wait $mport
fi

echo "== signed STS GetCallerIdentity, $connections connections, ${duration}s"
$nimbus serve --port $nport --in-memory --log-level off & npid=$!
sleep 0.5
$gen --label nimbus --port $nport --connections $connections --threads 1 --duration "$duration" --request sts
kill $npid; wait $npid 2>/dev/null || true

if python3 -c "import moto" 2>/dev/null; then
  python3 -m moto.server -p $mport >/dev/null 2>&1 & mpid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$mport/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done
  $gen --label moto --port $mport --connections $connections --threads 1 --duration "$duration" --request sts
  kill $mpid; wait $mpid 2>/dev/null || true
fi

echo "== policy evaluation cost (lang/policy), and SSM GetParameter by an IAM user: strict vs permissive"
[ -x "$build/bench/policy_bench" ] && "$build/bench/policy_bench" --benchmark_min_time=0.5 2>/dev/null | grep BM_
for mode in permissive strict; do
  $nimbus serve --port $nport --in-memory --log-level off --auth $mode & npid=$!
  sleep 0.5
  read -r key secret < <(python3 bench/strict_setup.py "http://127.0.0.1:$nport")
  $gen --label "nimbus-$mode" --port $nport --connections $connections --duration "$duration" \
       --request ssm --key "$key" --secret "$secret"
  kill $npid; wait $npid 2>/dev/null || true
done
