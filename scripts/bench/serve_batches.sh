#!/bin/bash
# usage: serve.sh CORPUS.jsonl PORT TAG  — posts CORPUS in batches of 500, prints per-batch times
set -e
CORPUS=$1; PORT=$2; TAG=$3; BIN=${RETOLD:-target/release/retold}
D=/tmp/retold-serve-$TAG; rm -rf $D; mkdir -p $D/b
split -l 500 -d -a 3 $CORPUS $D/b/b
RETOLD_DEBUG=1 $BIN serve --db $D/s.db --listen 127.0.0.1:$PORT 2>$D/serve.log & echo $! > $D/pid
until curl -s -o /dev/null http://127.0.0.1:$PORT/v1/health; do sleep 0.2; done
s0=$(date +%s.%N)
for f in $D/b/b*; do
  s=$(date +%s.%N); curl -s -o /dev/null --data-binary @$f http://127.0.0.1:$PORT/v1/articles; e=$(date +%s.%N)
  echo "$(basename $f) $(echo "$e - $s" | bc)" >> $D/batches.txt
done
echo "total $(echo "$(date +%s.%N) - $s0" | bc)" >> $D/batches.txt
curl -s http://127.0.0.1:$PORT/metrics | grep -E '_sum|_count' > $D/metrics.txt
