#!/bin/bash
# Restart time of `retold serve` over a store: one start to write the saved
# engine (a full replay when there is none), a graceful stop, then three
# restarts timed to the first answer of /v1/health.
# usage: scripts/bench/restart.sh STORE.db [PORT]   (a copy of the store is used)
set -e
SRC=$1; PORT=${2:-7995}; DB=/tmp/retold-restart-$PORT.db
BIN=${RETOLD:-target/release/retold}
cp "$SRC" $DB; rm -f $DB.engine
$BIN serve --db $DB --listen 127.0.0.1:$PORT 2>/tmp/retold-restart-$PORT.log & P=$!
until grep -q listening /tmp/retold-restart-$PORT.log; do sleep 1; done
kill -TERM $P; wait $P || true
for k in 1 2 3; do
  s=$(date +%s.%N)
  $BIN serve --db $DB --listen 127.0.0.1:$PORT 2>/tmp/retold-restart-$PORT.log & P=$!
  until curl -s -o /dev/null http://127.0.0.1:$PORT/v1/health; do sleep 0.05; done
  e=$(date +%s.%N)
  echo "restart $k: $(echo "$e - $s" | bc) s; $(grep -h replayed /tmp/retold-restart-$PORT.log); $(uptime)"
  kill -TERM $P; wait $P || true
done
rm -f $DB $DB.engine $DB-wal $DB-shm
