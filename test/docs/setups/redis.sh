# doc-test setup for shell blocks: a real redis-server on a free loopback port (in the block's scratch directory),
# stopped when the block's shell exits. Exports REDIS_URL.
__redis_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>console.log(p))})")
/usr/bin/redis-server --port "$__redis_port" --bind 127.0.0.1 --dir "$PWD" --save '' --appendonly yes --appendfsync always >/dev/null 2>&1 &
__redis_pid=$!
trap 'kill "$__redis_pid" 2>/dev/null || true' EXIT
for __i in $(seq 200); do
  if /usr/bin/redis-cli -p "$__redis_port" ping >/dev/null 2>&1; then break; fi
  if [ "$__i" = 200 ]; then echo "redis-server did not start" >&2; exit 1; fi
  sleep 0.025
done
export REDIS_URL="redis://127.0.0.1:$__redis_port"
