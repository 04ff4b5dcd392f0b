# bench/relay.sh: helpers of relaying benchmarks, shared by bench/relay and bench/cluster, which source it after
# bench/common.sh (whose start_sink and stop_sink these replace). Not a benchmark itself. The sourcing script
# defines die, say, warn, HOST, DOMAIN, SENDER, MESSAGE_BYTES, CONCURRENCY, SOURCE_TIMEOUT, SERVER_START_TIMEOUT,
# POLL_INTERVAL, and the variables work, shm (the sinks' dumps), build (0: do not rebuild the jar) and count.

# listening_udp PORT: a UDP socket is bound to PORT.
listening_udp() { [ -n "$(ss -Huan "sport = :$1" 2>/dev/null)" ]; }

# rate COUNT SECONDS: messages per second.
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", n / t; else print "-" }'; }

now() { date +%s.%N; }
process_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat" 2>/dev/null || echo 0 0; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }

# ---------------------------------------------------------------- the jar

# Rebuilds target/petrel.jar when a main source or the pom is newer than it
# (the launcher builds it only when it is missing); with --no-build only warns.
ensure_jar() {
    local jar="$REPO/target/petrel.jar" newer="" java_home
    [ -f "$jar" ] && newer=$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$jar" -type f -print -quit 2>/dev/null)
    [ ! -f "$jar" ] || [ -n "$newer" ] || return 0
    if [ "$build" = 0 ]; then
        [ -f "$jar" ] && warn "target/petrel.jar is older than ${newer#"$REPO/"} (and maybe more); measuring it anyway (--no-build)"
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found: cannot rebuild target/petrel.jar (or pass --no-build)"
    java_home=$(PETREL_PRINT_JAVA_HOME=1 "$REPO/bin/petrel") || die "no JDK found by bin/petrel"
    say "building target/petrel.jar with $java_home (sources are newer than the jar)"
    # Tests are neither compiled nor run: the benchmark needs the main jar only.
    if ! (cd "$REPO" && JAVA_HOME="$java_home" timeout 900 mvn -q -B -o -Dmaven.test.skip=true package >"$work/build.log" 2>&1); then
        tail -30 "$work/build.log" >&2
        die "building the jar failed (log above; pass --no-build to measure the existing jar)"
    fi
}

# Which jar was measured.
jars_seen=" "    # modification times of the jar at each start of Petrel
jar_note() {
    local jar="$REPO/target/petrel.jar"
    [ -f "$jar" ] || { echo "no jar"; return; }
    printf 'target/petrel.jar of %s' "$(date -r "$jar" '+%F %T')"
    if [ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
        printf ' (older than some sources: rebuild it to measure them)'
    fi
    echo
    if [ "$(tr ' ' '\n' <<<"$jars_seen" | sort -u | grep -c .)" -gt 1 ]; then
        echo "WARNING: the jar changed during the run; the rounds measured different builds"
    fi
}

# ---------------------------------------------------------------- dnsmasq

dns_pid=""
dns_port=""

# One for the whole run: remote.bench.test has MX 10 mx.remote.bench.test, which is 127.0.0.1. dnsmasq
# serves bench.test as its authoritative zone, as a real zone is served: records with a TTL of 300 s, and
# negative answers (mx.remote.bench.test has no AAAA) with the zone's SOA, so that they may be cached
# (RFC 2308). Out of the box dnsmasq gives its own data a TTL of 0 and negative answers no SOA, which no
# real zone does, and which would make every delivery ask again.
start_dns() {
    local dir="$work/dnsmasq"
    mkdir -p "$dir"
    pick_port dns_port
    /usr/sbin/dnsmasq --keep-in-foreground --port="$dns_port" --listen-address="$HOST" --bind-interfaces \
        --conf-file=/dev/null --no-resolv --no-hosts --pid-file="$dir/dnsmasq.pid" --user=root \
        --local=/bench.test/ --local-ttl=300 --auth-server="ns.bench.test,$HOST" --auth-zone=bench.test \
        --auth-ttl=300 --auth-soa=1,hostmaster.bench.test,1200,120,604800 --log-facility=- \
        --mx-host="$DOMAIN,mx.$DOMAIN,10" --host-record="mx.$DOMAIN,$HOST" \
        >"$dir/dnsmasq.log" 2>&1 &
    dns_pid=$!
    if ! wait_until "$SERVER_START_TIMEOUT" eval 'listening_udp '"$dns_port"' || ! is_alive '"$dns_pid"; then
        die "dnsmasq does not listen on $HOST:$dns_port"
    fi
    is_alive "$dns_pid" || { cat "$dir/dnsmasq.log" >&2; die "dnsmasq ended at once"; }
}

# end_process PID SECONDS: SIGTERM, then SIGKILL when it still runs after SECONDS; reaps it.
end_process() {
    kill -TERM "$1" 2>/dev/null || true
    wait_until "$2" eval '! is_alive '"$1" || kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

stop_dns() {
    [ -n "$dns_pid" ] || return 0
    end_process "$dns_pid" 10
    dns_pid=""
}

# ---------------------------------------------------------------- smtp-sink

sink_pid=""

# start_sink DIR PORT: a fresh smtp-sink that dumps each message to DIR/dump/
# and prints its running counters (mesg=N when "." is received) to DIR/smtp-sink.log.
# The dumps are kept in memory (DIR/dump links to a directory under /dev/shm):
# the sink stands for the remote MX, not for a system under test, and writing a
# file per message on this disk made it, single process as it is, the slowest
# part for seconds at a time (creating a file costs from 0.03 to 1 ms of CPU
# here), which showed up as a tail after the injection that had nothing to do
# with the relaying server.
start_sink() {
    local dir="$1" port="$2" dumps
    mkdir -p "$dir" "$shm"
    dumps=$(mktemp -d "$shm/dump.XXXXXX")
    ln -s "$dumps" "$dir/dump"
    chown nobody "$dumps"     # as root, smtp-sink drops to nobody
    smtp-sink -c -u nobody -d "$dir/dump/m." "$HOST:$port" 1000 >"$dir/smtp-sink.log" 2>&1 &
    sink_pid=$!
    wait_until "$SERVER_START_TIMEOUT" listening "$port" || die "smtp-sink does not listen on $HOST:$port"
}

stop_sink() {
    [ -n "$sink_pid" ] || return 0
    end_process "$sink_pid" 10
    sink_pid=""
}

# sink_count LOG: the sink's message counter, the last complete "mesg=N" of its -c output.
sink_count() {
    local s n
    s=$(tail -c 400 "$1" 2>/dev/null) || { echo 0; return; }
    s=${s%$'\r'*}                     # drop a line still being written
    [[ "$s" == *mesg=* ]] || { echo 0; return; }
    n=${s##*mesg=}
    n=${n%%[!0-9]*}
    echo "${n:-0}"
}

# ---------------------------------------------------------------- injection and arrival

source_pid=""

# inject PORT COUNT RECIPIENT OUT: starts smtp-source in the background (sets source_pid).
inject() {
    timeout "$SOURCE_TIMEOUT" smtp-source -N -s "$CONCURRENCY" -m "$2" -l "$MESSAGE_BYTES" \
        -f "$SENDER" -t "$3" "$HOST:$1" >"$4" 2>&1 &
    source_pid=$!
}

# finish_inject NAME OUT: waits for smtp-source; any failure is fatal.
finish_inject() {
    local status=0
    wait "$source_pid" || status=$?
    source_pid=""
    if [ "$status" != 0 ]; then
        cat "$2" >&2
        die "smtp-source failed against $1 (status $status)"
    fi
}

# await_count LOG TARGET DEADLINE: polls the sink's counter until it reaches
# TARGET or the clock passes DEADLINE (epoch seconds); sets arrived_at (epoch
# seconds.nanoseconds, empty on timeout) and seen (the last count read).
arrived_at=""
seen=0
await_count() {
    local log="$1" target="$2" deadline="$3"
    arrived_at=""
    while :; do
        seen=$(sink_count "$log")
        if [ "$seen" -ge "$target" ]; then arrived_at=$(now); return 0; fi
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep "$POLL_INTERVAL"
    done
}

# verify DUMPDIR: counts the distinct measured messages at the sink from the
# RCPT arguments in its dumps; prints "distinct duplicates missing unexpected warmup".
verify() {
    find "$1/" -type f -print0 | xargs -0 -r grep -h '^X-Rcpt-Args: ' \
        | awk -v total="$count" -v want="@$DOMAIN>" '
            # "X-Rcpt-Args: <3user@remote.bench.test> ORCPT=...": the address is the second field
            # (<3user2@...> when several smtp-source runs inject at once, one to each node, numbering alike).
            $2 ~ ("^<[0-9]+user[0-9]*" want "$") { n[$2]++; next }
            $2 ~ ("^<[0-9]+warmup[0-9]*" want "$") { w++; next }
            { other++ }
            END {
                for (k in n) { distinct++; if (n[k] > 1) dup += n[k] - 1 }
                printf "%d %d %d %d %d\n", distinct, dup, total - distinct, other, w
            }'
}
