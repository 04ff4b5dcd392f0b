# bench/common.sh: helpers shared by the benches (bench/accept, bench/local, bench/relay, bench/cluster), which source it.
# Not a benchmark itself. The sourcing script defines die and CLK_TCK.

# machine_ticks: "busy total" ticks of all CPUs, from /proc/stat (busy: all but idle and iowait).
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }

# machine_per_message BEFORE AFTER COUNT: from two machine_ticks samples, prints "µs busy%": the
# whole machine's busy CPU microseconds per message over that time, and its busy share.
machine_per_message() {
    awk -v a="$1" -v b="$2" -v hz="$CLK_TCK" -v n="$3" \
        'BEGIN { split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; all = y[2] - x[2]
                 share = all > 0 ? 100 * busy / all : 0
                 printf "%.0f %.0f\n", busy * 1000000 / hz / n, share }'
}

# fresh_dir PARENT NAME: makes and prints PARENT/NAME.XXXXXX, a new directory of a system's round.
# PARENT gets ext4's "top directory" flag (chattr +T), so that ext4 places each such directory
# (and the files under it) in a block group of its own, chosen from a point its random name sets,
# rather than next to the last one. Without a journal (these machines' root file system), ext4
# does not reuse an inode within a minute of its deletion (five more while its inode table block
# is dirty), and every file created meanwhile scans past the recently freed ones: up to a
# millisecond of kernel CPU per file after tens of thousands of deletions. Apart, no system pays
# for the files another deleted (Postfix deletes a queue file per message), nor for the last run's.
# For the same reason nothing is deleted before the run ends.
fresh_dir() {
    local parent="$1" name="$2" dir
    mkdir -p "$parent"
    chattr +T "$parent" 2>/dev/null || true    # not ext4: nothing to spread
    dir=$(mktemp -d "$parent/$name.XXXXXX") || die "cannot make a directory under $parent"
    chmod 755 "$dir"    # Postfix's unprivileged daemons (and virtual(8) as nobody) reach under it
    echo "$dir"
}

# nap SECONDS: sleeps without starting a process. The benches poll while the server under test runs,
# and a sleep(1) forked at every poll is CPU taken from it. The read waits on a pipe this shell holds
# open at both ends, so nothing ever arrives and it returns when the time is up.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }

# start_sink DIR PORT: Postfix's smtp-sink on HOST:PORT, which answers and stores nothing (sets sink_pid).
# Without -c (it prints a counter per message); as root it must drop to a user. The sourcing script
# defines HOST, SERVER_START_TIMEOUT, wait_until and listening.
sink_pid=""
start_sink() {
    local dir="$1" port="$2"
    mkdir -p "$dir"
    smtp-sink -u nobody "$HOST:$port" 1000 >"$dir/smtp-sink.log" 2>&1 &
    sink_pid=$!
    wait_until "$SERVER_START_TIMEOUT" listening "$port" || die "smtp-sink does not listen on $HOST:$port"
}

stop_sink() {
    [ -n "$sink_pid" ] || return 0
    kill -TERM "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    sink_pid=""
}

# What follows is shared by bench/api; bench/accept and bench/local define their own copies of the same.

# is_alive PID: the process exists and is not a zombie.
is_alive() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ -n "$state" && "$state" != Z* ]]
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s, at most SECONDS.
wait_until() {
    local limit=$(( $1 * 10 )) i
    shift
    for (( i = 0; i < limit; i++ )); do
        "$@" && return 0
        nap 0.1
    done
    return 1
}

# listening PORT: something listens on TCP HOST:PORT (asks the kernel; opens no connection).
listening() { [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]; }

# pick_port VAR: stores in VAR a high port on which no TCP or UDP socket exists
# in any state, and that this run has not handed out yet.
used_ports=" "
pick_port() {
    local p tries
    for (( tries = 0; tries < 200; tries++ )); do
        p=$(( 20000 + RANDOM % 40000 ))
        [[ "$used_ports" == *" $p "* ]] && continue
        if [ -z "$(ss -Htuan "sport = :$p" 2>/dev/null)" ]; then
            used_ports+="$p "
            printf -v "$1" '%s' "$p"
            return 0
        fi
    done
    die "found no free port after 200 tries"
}

# median VALUE...: the middle value (mean of the two middle ones for an even count); "-" values are ignored.
median() {
    printf '%s\n' "$@" | { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) print "-"; else if (NR % 2) printf "%.1f", v[(NR + 1) / 2];
              else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ratio A B: A/B with two decimals, or "-" when either is missing.
ratio() {
    if [[ "$1" == "-" || "$2" == "-" ]]; then echo "-"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}
