#!/bin/bash
# 100 k synthetic articles through the service: 200 batches of 500, RSS and rate every 10 batches,
# 50 brief readers during the last 20 batches, then idle reads, a graceful stop, restarts.
# usage: scripts/bench/serve_100k.sh DIR   (RETOLD=binary, PORT=port, POSTERS=clients posting at once
# (default 1); results in DIR/progress.txt)
cd "$(dirname "$0")/../.."
BIN=${RETOLD:-target/release/retold}; PORT=${PORT:-7990}; D=$(realpath -m "${1:?usage: serve_100k.sh DIR}"); mkdir -p $D; rm -f $D/progress.txt
rm -rf $D/db $D/b; mkdir -p $D/db $D/b
[ -f $D/synth100k.jsonl ] || $BIN synth --from examples/corpus -n 100000 --seed 7 -o $D/synth100k.jsonl
split -l 500 -d -a 3 $D/synth100k.jsonl $D/b/b
RETOLD_DEBUG=1 RETOLD_EMBEDDER=off $BIN serve --db $D/db/s.db --listen 127.0.0.1:$PORT 2>$D/serve.log & P=$!
until curl -s -o /dev/null http://127.0.0.1:$PORT/v1/health; do sleep 0.2; done
s0=$(date +%s.%N); c0=$(awk '{print ($14+$15)/100}' /proc/$P/stat); t=$s0; i=0
line() { echo "batches $1 articles $2 last10 $3 art/s elapsed $(echo "$(date +%s.%N) - $s0" | bc) cpu $(awk '{print ($14+$15)/100}' /proc/$P/stat) $(grep VmRSS /proc/$P/status)" >> $D/progress.txt; }
readers() { (seq 1 20000 | xargs -P 50 -I{} curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$PORT/v1/stories?limit=20&view=brief" > $D/lat-ingest.txt) & R=$!; }
if [ "${POSTERS:-1}" -le 1 ]; then
  # One client posting batch after batch: each waits for the answer to the one before.
  for f in $D/b/b*; do
    i=$((i+1))
    [ $i -eq 181 ] && readers
    curl -s -o /dev/null --data-binary @$f http://127.0.0.1:$PORT/v1/articles
    if [ $((i % 10)) -eq 0 ]; then
      n=$(date +%s.%N); line $i $((i*500)) $(echo "5000 / ($n - $t)" | bc); t=$n
    fi
  done
else
  # POSTERS clients posting at once (batch k by client k mod POSTERS), as several scrapers
  # would: the service always has a batch waiting. Progress from the articles placed, every 5 s.
  for k in $(seq 0 $((POSTERS-1))); do
    (n=0; for f in $D/b/b*; do
       [ $((n % POSTERS)) -eq $k ] && curl -s -o /dev/null --data-binary @$f http://127.0.0.1:$PORT/v1/articles
       n=$((n+1)); done) &
  done
  placed() { curl -s http://127.0.0.1:$PORT/metrics | awk '/^retold_articles_placed_total/ {print $2}'; }
  last=0; started=0
  while [ -n "$(jobs -p | grep -v "^$P$" | grep -v "^${R:-x}$")" ]; do
    sleep 5; a=$(placed); n=$(date +%s.%N)
    [ $started -eq 0 ] && [ "${a:-0}" -ge 90000 ] && { readers; started=1; }
    line "-" "$a" "$(echo "(${a:-0} - $last) / ($n - $t)" | bc)"; t=$n; last=${a:-0}
    [ "${a:-0}" -ge 100000 ] && break
  done
  left=$(jobs -p | grep -v "^$P$" | grep -v "^${R:-x}$")
  [ -n "$left" ] && wait $left
fi
kill $R 2>/dev/null; pkill -f 'xargs -P 50' ; sleep 1
s1=$(date +%s.%N)
echo "ingest wall $(echo "$s1 - $s0" | bc) cpu $(echo "$(awk '{print ($14+$15)/100}' /proc/$P/stat) - $c0" | bc)" >> $D/progress.txt
curl -s http://127.0.0.1:$PORT/metrics | grep -E "_sum|_count" >> $D/progress.txt
for v in "limit=20&view=brief" "limit=20"; do
  seq 1 3000 | xargs -P 50 -I{} curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$PORT/v1/stories?$v" > $D/lat-idle.txt
  echo "idle $v: $(sort -n $D/lat-idle.txt | awk '{a[NR]=$1} END {printf "n %d p50 %.1f ms p99 %.1f ms max %.1f ms\n", NR, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, a[NR]*1000}')" >> $D/progress.txt
done
echo "ingest readers: $(sort -n $D/lat-ingest.txt | awk '{a[NR]=$1} END {printf "n %d p50 %.1f ms p99 %.1f ms max %.1f ms\n", NR, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000, a[NR]*1000}')" >> $D/progress.txt
grep VmRSS /proc/$P/status >> $D/progress.txt
s2=$(date +%s.%N); kill -TERM $P; wait $P; echo "graceful stop $(echo "$(date +%s.%N) - $s2" | bc) s" >> $D/progress.txt
ls -la $D/db >> $D/progress.txt
for k in 1 2 3; do
  s=$(date +%s.%N)
  RETOLD_EMBEDDER=off $BIN serve --db $D/db/s.db --listen 127.0.0.1:$PORT 2>$D/restart.log & P=$!
  until curl -s -o /dev/null http://127.0.0.1:$PORT/v1/health; do sleep 0.05; done
  e=$(date +%s.%N)
  echo "restart $k: $(echo "$e - $s" | bc) s; $(grep -h -i 'loaded\|replayed' $D/restart.log | head -3 | tr '\n' ' '); $(grep VmRSS /proc/$P/status); $(uptime)" >> $D/progress.txt
  kill -TERM $P; wait $P
done
echo done >> $D/progress.txt
