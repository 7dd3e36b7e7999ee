#!/usr/bin/env bash
# Benchmarks nimbus beside moto's server in the same run (DESIGN.md: benchmarks print
# numbers, they are not tests). Usage: bench/run.sh [build-dir]. Figures go to stdout;
# copy them into docs/benchmarks.md. Environment: BENCH_DURATION, BENCH_CONNECTIONS,
# BENCH_LOADGEN / NIMBUS_BIN (binaries from elsewhere), BENCH_SKIP_CORE=1 (only the S3/SSM
# sections), BENCH_BIG_MIB, BENCH_LIST_KEYS, BENCH_SELECT_MB, BENCH_MOTO_SELECT_MB.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
gen=${BENCH_LOADGEN:-$build/bench/nimbus_loadgen}
nimbus=${NIMBUS_BIN:-$build/src/nimbus}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-32}
# Below the ephemeral range (32768+), where client sockets of other jobs cannot take them.
nport=${BENCH_PORT:-25660}
mport=$((nport + 1))

free_port_wait() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null || return 0; sleep 0.1; done; }

if [ -z "${BENCH_SKIP_CORE:-}" ]; then
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
fi

# ---- S3 and SSM data plane (issue 5) ------------------------------------------------------
tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx's worker (nobody) reads the big file from here
npid= mpid= ngpid=
trap 'kill $npid $mpid $ngpid 2>/dev/null || true; rm -rf "$tmp"' EXIT
have_moto() { python3 -c "import moto" 2>/dev/null; }
start_moto() {
  python3 -m moto.server -p $mport >/dev/null 2>&1 & mpid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$mport/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done
}
stop_moto() { kill $mpid; wait $mpid 2>/dev/null || true; mpid=; free_port_wait $mport; }
start_nimbus() {
  $nimbus serve --port $nport --log-level off "$@" & npid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nport/_nimbus/health" >/dev/null 2>&1 && break; sleep 0.1; done
}
stop_nimbus() { kill $npid; wait $npid 2>/dev/null || true; npid=; free_port_wait $nport; }

echo "== S3 PUT and GET of a 4 KiB object, SSM GetParameter (root keys), $connections connections, ${duration}s"
start_nimbus --in-memory
python3 bench/s3_bench.py setup "http://127.0.0.1:$nport"
for r in s3-put s3-get ssm-get; do
  $gen --label nimbus --port $nport --connections $connections --duration "$duration" --request $r
done
stop_nimbus
if have_moto; then
  start_moto
  python3 bench/s3_bench.py setup "http://127.0.0.1:$mport"
  for r in s3-put s3-get ssm-get; do
    $gen --label moto --port $mport --connections $connections --duration "$duration" --request $r
  done
  stop_moto
fi

big_mib=${BENCH_BIG_MIB:-256}
echo "== GET of a $big_mib MiB object with curl (presigned URL), nginx serving the same file from disk"
head -c $((big_mib << 20)) /dev/urandom > "$tmp/big.bin"
nginx_url=
nginx_bin=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -n "$nginx_bin" ]; then
  # A throwaway nginx on a loopback port, in the foreground of its own temp prefix.
  ngport=$((nport + 2))
  mkdir -p "$tmp/nginx/logs"
  cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx; fastcgi_temp_path $tmp/nginx;
  uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  server { listen 127.0.0.1:$ngport; root $tmp; }
}
CONF
  "$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' & ngpid=$!
  sleep 0.5
  nginx_url="http://127.0.0.1:$ngport/big.bin"
else
  echo "(nginx not installed: no nginx column)"
fi
start_nimbus --data-dir "$tmp/nimbus-data"
python3 bench/s3_bench.py bigget "http://127.0.0.1:$nport" nimbus "$tmp/big.bin" $nginx_url
stop_nimbus
if [ -n "$nginx_url" ]; then kill $ngpid; wait $ngpid 2>/dev/null || true; ngpid=; fi
if have_moto; then
  start_moto
  python3 bench/s3_bench.py bigget "http://127.0.0.1:$mport" moto "$tmp/big.bin"
  stop_moto
fi
rm -f "$tmp/big.bin"

list_keys=${BENCH_LIST_KEYS:-10000}
echo "== ListObjectsV2 over $list_keys keys, pages of 1,000"
start_nimbus --data-dir "$tmp/nimbus-data"
python3 bench/s3_bench.py list "http://127.0.0.1:$nport" nimbus "$list_keys"
stop_nimbus
if have_moto; then
  start_moto
  python3 bench/s3_bench.py list "http://127.0.0.1:$mport" moto "$list_keys"
  stop_moto
fi

select_mb=${BENCH_SELECT_MB:-200}
moto_select_mb=${BENCH_MOTO_SELECT_MB:-20}
echo "== S3 Select over JSON lines end to end: nimbus ${select_mb} MB, moto ${moto_select_mb} MB"
python3 bench/s3_bench.py generate "$tmp/select.jsonl" "$select_mb"
start_nimbus --data-dir "$tmp/nimbus-data"
python3 bench/s3_bench.py select "http://127.0.0.1:$nport" nimbus "$tmp/select.jsonl"
stop_nimbus
if [ -x "$build/bench/s3select_bench" ]; then  # the engine alone, no HTTP, for reference
  "$build/bench/s3select_bench" "$select_mb" "$tmp/engine.jsonl"
fi
if have_moto; then
  python3 bench/s3_bench.py generate "$tmp/select-small.jsonl" "$moto_select_mb"
  start_moto
  python3 bench/s3_bench.py select "http://127.0.0.1:$mport" moto "$tmp/select-small.jsonl" 300
  stop_moto
fi
