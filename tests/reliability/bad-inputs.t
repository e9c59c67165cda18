#!/bin/bash
# A catalogue of bad inputs to the built-in core. Each one must give a
# clear error (the part engines match worded as runc words it), a non-zero
# exit, a recorded invocation carrying that exit status and message, and
# leave nothing behind: no state directory, no pid file, no cgroup, no
# process, no mount.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lifecycle/lifecycle.sh"

CG=mockrunc-bad-${T_TMP##*.}
t_cleanup "find /sys/fs/cgroup/*/$CG -depth -type d -exec rmdir {} + 2>/dev/null"
# Mounts of this test's files in the host's mount namespace.
our_mounts() { grep -c -- "$T_TMP" /proc/self/mountinfo; }
mounts_before=$(our_mounts)
# Every case runs with the default config plus its patch, with a cgroup of
# its own so a leftover one can be found.
rx_set ".linux.cgroupsPath = \"/$CG/placeholder\" | .process.args = [\"true\"]"
cp "$B/config.json" "$B/config.base"
mkdir -p "$T_TMP/pids"

left_behind() { # id: prints what the failed call left
	local id=$1 p root
	[ -e "$ROOT/$id" ] && echo "state dir $ROOT/$id"
	[ -e "$T_TMP/pids/$id.pid" ] && echo "pid file"
	for p in /sys/fs/cgroup/*/"$CG/$id"; do [ -d "$p" ] && echo "cgroup $p"; done
	for p in /proc/[0-9]*; do
		root=$(readlink "$p/root" 2>/dev/null) || continue
		case $root in "$B/rootfs"*) echo "process ${p#/proc/} rooted in the bundle" ;; esac
	done
	return 0
}

# check NAME 'expected error (ERE)' COMMAND... — runs a mockrunc command
# that must fail; "@ID" in the command is replaced by the case's id.
check() {
	local name=$1 want=$2; shift 2
	local id=bad-$name args=() a
	for a in "$@"; do args+=("${a//@ID/$id}"); done
	t_run "${args[@]}"
	local msg
	msg=$(rx_msg "$ERR")
	if [ "$RC" != 0 ] && printf '%s' "$msg" | grep -Eq -- "$want"; then
		local rec left
		rec=$(sqlite3 "$MOCKRUNC_DB" "SELECT exit_code || '|' || (error IS NOT NULL)
			FROM invocations ORDER BY id DESC LIMIT 1")
		left=$(left_behind "$id")
		t_is "$rec|$left" "$RC|1|" "$name: fails with \"$want\", is recorded, leaves nothing"
	else
		t_is "rc=$RC: $msg" "non-zero: $want" "$name: fails with \"$want\", is recorded, leaves nothing"
	fi
}

# case NAME 'jq patch' 'expected error' — create with a patched config.
case_config() {
	local name=$1 patch=$2 want=$3
	cp "$B/config.base" "$B/config.json"
	t_bundle_set "$B" ".linux.cgroupsPath = \"/$CG/bad-$name\" | $patch"
	check "$name" "$want" R create --bundle "$B" --pid-file "$T_TMP/pids/@ID.pid" @ID
}

# --- config.json itself ---
cp "$B/config.base" "$B/config.json"
head -c 120 "$B/config.base" >"$B/config.json"
check truncated-json 'unexpected EOF|end of file' R create --bundle "$B" @ID
echo '{"ociVersion": "1.0.2", "process": {,}}' >"$B/config.json"
check invalid-json 'invalid|unexpected' R create --bundle "$B" @ID
rm -f "$B/config.json"
check missing-config 'JSON specification file config.json not found' R create --bundle "$B" @ID
mkdir "$B/config.json"
check config-is-a-directory 'config.json' R create --bundle "$B" @ID
rmdir "$B/config.json"
mkfifo "$B/config.json"
check config-is-a-fifo 'config.json' timeout 10 "$T_BIN/mockrunc" --root "$ROOT" create --bundle "$B" @ID
rm -f "$B/config.json"
check missing-bundle 'no such file or directory' R create --bundle "$T_TMP/no-such-bundle" @ID
cp "$B/config.base" "$B/config.json"

# --- container ids and global options ---
check id-dotdot 'invalid container ID format' R create --bundle "$B" ..
check id-slash 'invalid container ID format' R create --bundle "$B" a/b
check id-escape 'invalid container ID format' R create --bundle "$B" ../escape
check id-empty 'invalid container ID format' R create --bundle "$B" ""
check id-1000-chars 'invalid container ID format|too long|name too long' \
	R create --bundle "$B" "$(head -c 1000 /dev/zero | tr '\0' a)"
check root-slash 'Option --root argument should not be set to /' "$T_BIN/mockrunc" --root / create --bundle "$B" @ID
check pid-file-missing-dir 'no such file or directory' R create --bundle "$B" --pid-file "$T_TMP/no/such/dir/p" @ID
: >"$T_TMP/not-a-socket"
cp "$B/config.base" "$B/config.json"
t_bundle_set "$B" ".linux.cgroupsPath = \"/$CG/bad-console-not-a-socket\" | .process.terminal = true"
check console-not-a-socket 'connection refused|not a socket|console' R create --bundle "$B" --console-socket "$T_TMP/not-a-socket" @ID
check console-missing 'cannot allocate tty if runc will detach without setting console socket' R create --bundle "$B" @ID
cp "$B/config.base" "$B/config.json"
check preserve-fds-missing 'unable to stat preserved-fd' R create --bundle "$B" --preserve-fds 5 @ID
check unknown-flag 'flag provided but not defined: -bogus' R create --bogus --bundle "$B" @ID

# --- process ---
case_config args-wrong-type '.process.args = "sh"' 'args|cannot unmarshal|expected'
case_config args-empty '.process.args = []' 'args must not be empty'
case_config cwd-relative '.process.cwd = "tmp"' 'Cwd must be an absolute path'
case_config cwd-empty '.process.cwd = ""' 'Cwd property must not be empty'
case_config no-process 'del(.process)' 'process property must not be empty'
case_config uid-huge '.process.user.uid = 99999999999999999999' 'cannot unmarshal number 1e\+20 into Go struct field User.process.user.uid of type uint32'
case_config uid-negative '.process.user.uid = -1' 'cannot unmarshal number -1 into Go struct field User.process.user.uid'
case_config missing-program '.process.args = ["no-such-program"]' 'executable file not found in \$PATH'
case_config program-is-a-directory '.process.args = ["/etc"]' 'is a directory|permission denied'
case_config rlimit-soft-above-hard '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]' \
	'invalid argument|soft'
case_config rlimit-unknown '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]' 'rlimit'
case_config rlimit-duplicate '.process.rlimits += [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 10}]' 'duplicate|rlimit'
case_config capability-unknown-old '.ociVersion = "1.0.2" | .process.capabilities.bounding += ["CAP_BOGUS"]' \
	'CAP_BOGUS|capability'
case_config oom-score-lowered '.process.oomScoreAdj = -1000' 'oom_score_adj|permission denied'
case_config terminal-size-without-socket '.process.terminal = true | .process.consoleSize = {"height": 10, "width": 80}' \
	'console socket'

# --- root filesystem and mounts ---
case_config rootfs-missing '.root.path = "no-such-rootfs"' 'no such file or directory|rootfs'
case_config mount-unknown-fs '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "x"}]' 'no such device|nosuchfs'
case_config bind-source-missing '.mounts += [{"destination": "/mnt", "type": "bind", "source": "/no/such/source", "options": ["rbind"]}]' \
	'no such file or directory'
case_config mount-destination-missing '.mounts += [{"type": "tmpfs", "source": "tmpfs"}]' 'destination'
case_config device-bad-type '.linux.devices = [{"path": "/dev/x", "type": "q", "major": 1, "minor": 3}]' 'device|type'
case_config device-relative-path '.linux.devices = [{"path": "dev/x", "type": "c", "major": 1, "minor": 3}]' 'device|absolute|path'

# --- namespaces and kernel settings ---
case_config namespace-unknown '.linux.namespaces += [{"type": "bogus"}]' 'namespace|bogus'
case_config namespace-duplicate '.linux.namespaces += [{"type": "pid"}]' 'duplicate|pid'
case_config namespace-path-wrong-type '.linux.namespaces |= map(if .type == "ipc" then .path = "/proc/1/ns/net" else . end)' \
	'namespace|ipc|invalid argument'
case_config namespace-path-missing '.linux.namespaces |= map(if .type == "uts" then .path = "/no/such/ns" else . end)' \
	'no such file or directory'
case_config userns-without-mappings '.linux.namespaces += [{"type": "user"}]' 'mapping'
case_config mappings-without-userns '.linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]' 'user namespace'
case_config hostname-without-uts '.linux.namespaces |= map(select(.type != "uts"))' 'UTS namespace'
case_config sysctl-not-namespaced '.linux.sysctl = {"vm.swappiness": "10"}' 'sysctl "vm.swappiness" is not in a separate kernel namespace'
case_config time-offsets-without-time-ns '.linux.timeOffsets = {"monotonic": {"secs": 10}}' 'time namespace|timeOffsets'

# --- seccomp ---
case_config seccomp-bad-action '.linux.seccomp = {"defaultAction": "SCMP_ACT_BOGUS"}' 'not a valid action'
case_config seccomp-bad-arch '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_BOGUS"]}' 'not a valid arch'
case_config seccomp-bad-operator '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_BOGUS"}]}]}' \
	'not a valid operator'
case_config seccomp-notify-without-listener '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}' \
	'listenerPath is not set'

# --- hooks ---
case_config hook-missing '.hooks = {"createRuntime": [{"path": "/no/such/hook"}]}' 'no such file or directory|hook'
case_config hook-fails '.hooks = {"prestart": [{"path": "/bin/false"}]}' 'hook|exit status 1'

# --- commands on containers ---
check state-unknown 'container does not exist' R state @ID
check start-unknown 'container does not exist' R start @ID
check delete-unknown 'container does not exist' R delete @ID
check kill-unknown 'container does not exist' R kill @ID 9
# A running container must shrug off bad commands aimed at it.
V=$(rx_id victim)
cp "$B/config.base" "$B/config.json"
t_bundle_set "$B" ".linux.cgroupsPath = \"/$CG/$V\" | .process.args = [\"sleep\", \"300\"]"
R create --bundle "$B" "$V" && R start "$V"
check kill-signal-out-of-range 'unknown signal "99"|invalid argument' R kill "$V" 99
check kill-signal-name 'unknown signal "BOGUS"' R kill "$V" BOGUS
check start-running 'cannot start an already running container' R start "$V"
check delete-running 'cannot delete container .* that is not stopped' R delete "$V"
printf 'not json at all' >"$T_TMP/garbage"
check update-garbage 'invalid character' R update --resources - "$V" <"$T_TMP/garbage"
t_is "$(rx_status "$V")" running "the container survived every bad command"
R delete --force "$V"

t_is "$(our_mounts)" "$mounts_before" "no mount was left in the host's mount namespace"
t_is "$(R list -q)" "" "no container state was left"

t_done
