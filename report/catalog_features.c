/* The feature half of the catalog: SPEC-CATALOG.md §1 (122 config features)
 * and §3.1 (operations and command-line items), each mapped onto what the
 * recorder stores. */
#include <string.h>

#include "report/catalog.h"
#include "report/catalog_links.h"

#define F(id, area, since, link, title, match) \
	{ id, AREA_##area, since, link, title, match, NULL, SRC_CONFIG, false }
#define FD(id, area, since, link, title, detect) \
	{ id, AREA_##area, since, link, title, NULL, detect, SRC_CONFIG, false }
#define OP(id, since, link, title, match) \
	{ id, AREA_LIFECYCLE, since, link, title, match, NULL, SRC_CALLS, false }
#define CL(id, since, link, title, match) \
	{ id, AREA_CLI, since, link, title, match, NULL, SRC_CALLS, false }
#define EXT(id, area, link, title, match) \
	{ id, AREA_##area, "runc", link, title, match, NULL, SRC_CALLS, true }

static bool detect_relative_destination(json_t *doc, const struct feature_set *fs);
static bool detect_fs_specific(json_t *doc, const struct feature_set *fs);
static bool detect_image_annotations(json_t *doc, const struct feature_set *fs);

#define MO "mounts.options."

static const struct catalog_feature features[] = {
	/* §1.1 top level, root, process */
	F("ociVersion", GENERAL, "1.0.0", CFG("specification-version"), "spec version the bundle complies with", "ociVersion"),
	F("root.path", GENERAL, "1.0.0", CFG("root"), "root filesystem path", "root.path"),
	F("root.readonly", GENERAL, "1.0.0", CFG("root"), "read-only root filesystem", "root.readonly"),
	F("hostname", GENERAL, "1.0.0", CFG("hostname"), "container hostname", "hostname"),
	F("domainname", GENERAL, "1.1.0", CFG("domainname"), "container NIS domain name", "domainname"),
	F("process", PROCESS, "1.0.0", CFG("process"), "container process", "process"),
	F("process.terminal", PROCESS, "1.0.0", CFG("process"), "terminal attached to the process", "process.terminal"),
	F("process.consoleSize", PROCESS, "1.0.0", CFG("process"), "console size of the terminal", "process.consoleSize"),
	F("process.cwd", PROCESS, "1.0.0", CFG("process"), "working directory", "process.cwd"),
	F("process.env", PROCESS, "1.0.0", CFG("process"), "environment variables", "process.env"),
	F("process.args", PROCESS, "1.0.0", CFG("process"), "program and arguments", "process.args"),
	F("process.user", PROCESS, "1.0.0", CFG("posix-platform-user"), "user id and group id", "process.user"),
	F("process.user.additionalGids", PROCESS, "1.0.0", CFG("posix-platform-user"), "additional group ids", "process.user.additionalGids"),
	F("process.user.umask", PROCESS, "1.0.2", CFG("posix-platform-user"), "umask of the process", "process.user.umask"),
	F("process.rlimits", PROCESS, "1.0.0", CFG("posix-process"), "resource limits", "process.rlimits"),
	F("process.capabilities.bounding", PROCESS, "1.0.0", CFG("linux-process"), "bounding capability set", "process.capabilities.bounding"),
	F("process.capabilities.effective", PROCESS, "1.0.0", CFG("linux-process"), "effective capability set", "process.capabilities.effective"),
	F("process.capabilities.inheritable", PROCESS, "1.0.0", CFG("linux-process"), "inheritable capability set", "process.capabilities.inheritable"),
	F("process.capabilities.permitted", PROCESS, "1.0.0", CFG("linux-process"), "permitted capability set", "process.capabilities.permitted"),
	F("process.capabilities.ambient", PROCESS, "1.0.0", CFG("linux-process"), "ambient capability set", "process.capabilities.ambient"),
	F("process.noNewPrivileges", PROCESS, "1.0.0", CFG("linux-process"), "no_new_privs", "process.noNewPrivileges"),
	F("process.oomScoreAdj", PROCESS, "1.0.0", CFG("linux-process"), "OOM score adjustment", "process.oomScoreAdj"),
	F("process.apparmorProfile", PROCESS, "1.0.0", CFG("linux-process"), "AppArmor profile", "process.apparmorProfile"),
	F("process.selinuxLabel", PROCESS, "1.0.0", CFG("linux-process"), "SELinux process label", "process.selinuxLabel"),
	F("process.scheduler", PROCESS, "1.1.0", CFG("linux-process"), "scheduling policy", "process.scheduler"),
	F("process.ioPriority", PROCESS, "1.1.0", CFG("linux-process"), "I/O priority", "process.ioPriority"),
	F("process.execCPUAffinity", PROCESS, "1.2.1", SPEC("v1.2.1", "config.md", "linux-process"), "CPU affinity of exec processes", "process.execCPUAffinity"),

	/* §1.2 mounts */
	F("mounts", MOUNTS, "1.0.0", CFG("mounts"), "additional mounts", "mounts"),
	F("mounts.type", MOUNTS, "1.0.0", CFG("posix-platform-mounts"), "filesystem type of a mount", "mounts.type"),
	F("mounts.bind", MOUNTS, "1.0.0", CFG("linux-mount-options"), "bind mount", MO "bind"),
	F("mounts.rbind", MOUNTS, "1.0.0", CFG("linux-mount-options"), "recursive bind mount", MO "rbind"),
	F("mounts.propagation", MOUNTS, "1.0.0", CFG("linux-mount-options"), "mount propagation option",
	  MO "shared " MO "rshared " MO "slave " MO "rslave " MO "private " MO "rprivate " MO "unbindable " MO "runbindable"),
	F("mounts.options.basic", MOUNTS, "1.0.0", CFG("linux-mount-options"), "filesystem-independent mount options",
	  MO "async " MO "atime " MO "defaults " MO "dev " MO "diratime " MO "dirsync " MO "exec " MO "iversion "
	  MO "lazytime " MO "loud " MO "noatime " MO "nodev " MO "nodiratime " MO "noexec " MO "noiversion "
	  MO "nolazytime " MO "norelatime " MO "nostrictatime " MO "nosuid " MO "relatime " MO "remount " MO "ro "
	  MO "rw " MO "silent " MO "strictatime " MO "suid " MO "sync " MO "mand " MO "nomand"),
	FD("mounts.options.fsSpecific", MOUNTS, "1.0.0", CFG("linux-mount-options"), "filesystem-specific mount data (mode=, size=)", detect_fs_specific),
	F("mounts.options.recursive", MOUNTS, "1.1.0", CFG("linux-mount-options"), "recursive mount attributes (rro, rnosuid ...)",
	  MO "rro " MO "rrw " MO "rnosuid " MO "rsuid " MO "rnodev " MO "rdev " MO "rnoexec " MO "rexec " MO "rnoatime "
	  MO "ratime " MO "rrelatime " MO "rnorelatime " MO "rdiratime " MO "rnodiratime " MO "rstrictatime " MO "rnostrictatime"),
	F("mounts.options.symfollow", MOUNTS, "1.1.0", CFG("linux-mount-options"), "symlink following options",
	  MO "nosymfollow " MO "symfollow " MO "rnosymfollow " MO "rsymfollow"),
	F("mounts.options.tmpcopyup", MOUNTS, "1.1.0", CFG("linux-mount-options"), "tmpfs copy-up", MO "tmpcopyup"),
	F("mounts.idmap.mappings", MOUNTS, "1.1.0", CFG("posix-platform-mounts"), "id-mapped mount mappings", "mounts.uidMappings mounts.gidMappings"),
	F("mounts.idmap", MOUNTS, "1.2.0", CFG("linux-mount-options"), "idmap mount option", MO "idmap"),
	F("mounts.ridmap", MOUNTS, "1.2.0", CFG("linux-mount-options"), "recursive idmap mount option", MO "ridmap"),
	FD("mounts.relativeDestination", MOUNTS, "1.2.0", CFG("mounts"), "relative mount destination (deprecated)", detect_relative_destination),

	/* §1.3 hooks and annotations */
	F("hooks.prestart", HOOKS, "1.0.0", CFG("prestart"), "prestart hooks (deprecated)", "hooks.prestart"),
	F("hooks.createRuntime", HOOKS, "1.0.2", CFG("createruntime-hooks"), "createRuntime hooks", "hooks.createRuntime"),
	F("hooks.createContainer", HOOKS, "1.0.2", CFG("createcontainer-hooks"), "createContainer hooks", "hooks.createContainer"),
	F("hooks.startContainer", HOOKS, "1.0.2", CFG("startcontainer-hooks"), "startContainer hooks", "hooks.startContainer"),
	F("hooks.poststart", HOOKS, "1.0.0", CFG("poststart"), "poststart hooks", "hooks.poststart"),
	F("hooks.poststop", HOOKS, "1.0.0", CFG("poststop"), "poststop hooks", "hooks.poststop"),
	F("annotations", GENERAL, "1.0.0", CFG("annotations"), "annotations", "annotations"),
	FD("annotations.image", GENERAL, "1.2.0", CFG("annotations"), "org.opencontainers.image.* annotations", detect_image_annotations),

	/* §1.4 namespaces, id maps, devices, misc */
	F("linux.namespaces.pid", NAMESPACES, "1.0.0", LNX("namespaces"), "PID namespace", "linux.namespaces.pid"),
	F("linux.namespaces.network", NAMESPACES, "1.0.0", LNX("namespaces"), "network namespace", "linux.namespaces.network"),
	F("linux.namespaces.mount", NAMESPACES, "1.0.0", LNX("namespaces"), "mount namespace", "linux.namespaces.mount"),
	F("linux.namespaces.ipc", NAMESPACES, "1.0.0", LNX("namespaces"), "IPC namespace", "linux.namespaces.ipc"),
	F("linux.namespaces.uts", NAMESPACES, "1.0.0", LNX("namespaces"), "UTS namespace", "linux.namespaces.uts"),
	F("linux.namespaces.user", NAMESPACES, "1.0.0", LNX("namespaces"), "user namespace", "linux.namespaces.user"),
	F("linux.namespaces.cgroup", NAMESPACES, "1.0.0", LNX("namespaces"), "cgroup namespace", "linux.namespaces.cgroup"),
	F("linux.namespaces.time", NAMESPACES, "1.1.0", LNX("namespaces"), "time namespace", "linux.namespaces.time"),
	F("linux.namespaces.path", NAMESPACES, "1.0.0", LNX("namespaces"), "joining an existing namespace", "linux.namespaces.path"),
	F("linux.uidMappings", NAMESPACES, "1.0.0", LNX("user-namespace-mappings"), "user namespace uid mappings", "linux.uidMappings"),
	F("linux.gidMappings", NAMESPACES, "1.0.0", LNX("user-namespace-mappings"), "user namespace gid mappings", "linux.gidMappings"),
	F("linux.timeOffsets", NAMESPACES, "1.1.0", LNX("offset-for-time-namespace"), "time namespace offsets", "linux.timeOffsets"),
	F("linux.devices", DEVICES, "1.0.0", LNX("devices"), "devices created in the container", "linux.devices"),
	F("linux.netDevices", DEVICES, "1.3.0", SPEC("v1.3.0", "config-linux.md", "network-devices"), "network devices moved into the container", "linux.netDevices"),
	F("linux.sysctl", NAMESPACES, "1.0.0", LNX("sysctl"), "kernel parameters", "linux.sysctl"),
	F("linux.rootfsPropagation", MOUNTS, "1.0.0", LNX("rootfs-mount-propagation"), "rootfs mount propagation", "linux.rootfsPropagation"),
	F("linux.maskedPaths", LINUX, "1.0.0", LNX("masked-paths"), "masked paths", "linux.maskedPaths"),
	F("linux.readonlyPaths", LINUX, "1.0.0", LNX("readonly-paths"), "read-only paths", "linux.readonlyPaths"),
	F("linux.mountLabel", LINUX, "1.0.0", LNX("mount-label"), "SELinux mount label", "linux.mountLabel"),
	F("linux.personality", LINUX, "1.0.2", LNX("personality"), "execution domain", "linux.personality"),
	F("linux.memoryPolicy", LINUX, "1.3.0", SPEC("v1.3.0", "config-linux.md", "memory-policy"), "NUMA memory policy", "linux.memoryPolicy"),

	/* §1.5 cgroups */
	F("linux.cgroupsPath", CGROUPS, "1.0.0", LNX("cgroups-path"), "cgroups path", "linux.cgroupsPath"),
	F("linux.resources.devices", CGROUPS, "1.0.0", LNX("allowed-device-list"), "device allow list", "linux.resources.devices"),
	F("linux.resources.memory.limit", CGROUPS, "1.0.0", LNX("memory"), "memory limit", "linux.resources.memory.limit"),
	F("linux.resources.memory.reservation", CGROUPS, "1.0.0", LNX("memory"), "memory soft limit", "linux.resources.memory.reservation"),
	F("linux.resources.memory.swap", CGROUPS, "1.0.0", LNX("memory"), "memory+swap limit", "linux.resources.memory.swap"),
	F("linux.resources.memory.kernel", CGROUPS, "1.0.0", LNX("memory"), "kernel memory limit", "linux.resources.memory.kernel"),
	F("linux.resources.memory.kernelTCP", CGROUPS, "1.0.0", LNX("memory"), "kernel TCP buffer limit", "linux.resources.memory.kernelTCP"),
	F("linux.resources.memory.swappiness", CGROUPS, "1.0.0", LNX("memory"), "swappiness", "linux.resources.memory.swappiness"),
	F("linux.resources.memory.disableOOMKiller", CGROUPS, "1.0.0", LNX("memory"), "OOM killer disabled", "linux.resources.memory.disableOOMKiller"),
	F("linux.resources.memory.useHierarchy", CGROUPS, "1.0.2", LNX("memory"), "hierarchical memory accounting", "linux.resources.memory.useHierarchy"),
	F("linux.resources.memory.checkBeforeUpdate", CGROUPS, "1.1.0", LNX("memory"), "check usage before lowering the limit", "linux.resources.memory.checkBeforeUpdate"),
	F("linux.resources.cpu.shares", CGROUPS, "1.0.0", LNX("cpu"), "CPU shares", "linux.resources.cpu.shares"),
	F("linux.resources.cpu.quota", CGROUPS, "1.0.0", LNX("cpu"), "CPU quota", "linux.resources.cpu.quota"),
	F("linux.resources.cpu.burst", CGROUPS, "1.1.0", LNX("cpu"), "CPU burst", "linux.resources.cpu.burst"),
	F("linux.resources.cpu.period", CGROUPS, "1.0.0", LNX("cpu"), "CPU period", "linux.resources.cpu.period"),
	F("linux.resources.cpu.realtimeRuntime", CGROUPS, "1.0.0", LNX("cpu"), "realtime runtime", "linux.resources.cpu.realtimeRuntime"),
	F("linux.resources.cpu.realtimePeriod", CGROUPS, "1.0.0", LNX("cpu"), "realtime period", "linux.resources.cpu.realtimePeriod"),
	F("linux.resources.cpu.cpus", CGROUPS, "1.0.0", LNX("cpu"), "CPU set", "linux.resources.cpu.cpus"),
	F("linux.resources.cpu.mems", CGROUPS, "1.0.0", LNX("cpu"), "memory node set", "linux.resources.cpu.mems"),
	F("linux.resources.cpu.idle", CGROUPS, "1.1.0", LNX("cpu"), "SCHED_IDLE cgroup", "linux.resources.cpu.idle"),
	F("linux.resources.blockIO.weight", CGROUPS, "1.0.0", LNX("block-io"), "block I/O weight", "linux.resources.blockIO.weight"),
	F("linux.resources.blockIO.leafWeight", CGROUPS, "1.0.0", LNX("block-io"), "block I/O leaf weight", "linux.resources.blockIO.leafWeight"),
	F("linux.resources.blockIO.weightDevice", CGROUPS, "1.0.0", LNX("block-io"), "per-device block I/O weight", "linux.resources.blockIO.weightDevice"),
	F("linux.resources.blockIO.throttleReadBpsDevice", CGROUPS, "1.0.0", LNX("block-io"), "read bandwidth throttle", "linux.resources.blockIO.throttleReadBpsDevice"),
	F("linux.resources.blockIO.throttleWriteBpsDevice", CGROUPS, "1.0.0", LNX("block-io"), "write bandwidth throttle", "linux.resources.blockIO.throttleWriteBpsDevice"),
	F("linux.resources.blockIO.throttleReadIOPSDevice", CGROUPS, "1.0.0", LNX("block-io"), "read IOPS throttle", "linux.resources.blockIO.throttleReadIOPSDevice"),
	F("linux.resources.blockIO.throttleWriteIOPSDevice", CGROUPS, "1.0.0", LNX("block-io"), "write IOPS throttle", "linux.resources.blockIO.throttleWriteIOPSDevice"),
	F("linux.resources.hugepageLimits", CGROUPS, "1.0.0", LNX("huge-page-limits"), "huge page limits", "linux.resources.hugepageLimits"),
	F("linux.resources.network.classID", CGROUPS, "1.0.0", LNX("network"), "net_cls class id", "linux.resources.network.classID"),
	F("linux.resources.network.priorities", CGROUPS, "1.0.0", LNX("network"), "net_prio priorities", "linux.resources.network.priorities"),
	F("linux.resources.pids.limit", CGROUPS, "1.0.0", LNX("pids"), "maximum number of tasks", "linux.resources.pids.limit"),
	F("linux.resources.rdma", CGROUPS, "1.0.2", LNX("rdma"), "RDMA limits", "linux.resources.rdma"),
	F("linux.resources.unified", CGROUPS, "1.1.0", LNX("unified"), "cgroup v2 unified settings", "linux.resources.unified"),

	/* §1.6 seccomp and Intel RDT */
	F("linux.seccomp", SECCOMP, "1.0.0", LNX("seccomp"), "seccomp filter", "linux.seccomp.defaultAction"),
	F("linux.seccomp.architectures", SECCOMP, "1.0.0", LNX("seccomp"), "seccomp architectures", "linux.seccomp.architectures"),
	F("linux.seccomp.flags", SECCOMP, "1.0.2", LNX("seccomp"), "seccomp filter flags", "linux.seccomp.flags"),
	F("linux.seccomp.defaultErrnoRet", SECCOMP, "1.1.0", LNX("seccomp"), "errno of the default action", "linux.seccomp.defaultErrnoRet"),
	F("linux.seccomp.listenerPath", SECCOMP, "1.1.0", LNX("seccomp"), "seccomp notify listener", "linux.seccomp.listenerPath"),
	F("linux.seccomp.listenerMetadata", SECCOMP, "1.1.0", LNX("seccomp"), "seccomp listener metadata", "linux.seccomp.listenerMetadata"),
	F("linux.seccomp.syscalls", SECCOMP, "1.0.0", LNX("seccomp"), "syscall rules", "linux.seccomp.syscalls"),
	F("linux.seccomp.syscalls.errnoRet", SECCOMP, "1.1.0", LNX("seccomp"), "errno of a syscall rule", "linux.seccomp.syscalls.errnoRet"),
	F("linux.seccomp.syscalls.args", SECCOMP, "1.0.0", LNX("seccomp"), "syscall argument filters", "linux.seccomp.syscalls.args"),
	F("linux.seccomp.action.log", SECCOMP, "1.0.2", LNX("seccomp"), "SCMP_ACT_LOG", "linux.seccomp.action.SCMP_ACT_LOG"),
	F("linux.seccomp.action.killProcess", SECCOMP, "1.1.0", LNX("seccomp"), "SCMP_ACT_KILL_PROCESS", "linux.seccomp.action.SCMP_ACT_KILL_PROCESS"),
	F("linux.seccomp.action.killThread", SECCOMP, "1.1.0", LNX("seccomp"), "SCMP_ACT_KILL_THREAD", "linux.seccomp.action.SCMP_ACT_KILL_THREAD"),
	F("linux.seccomp.action.notify", SECCOMP, "1.1.0", LNX("seccomp"), "SCMP_ACT_NOTIFY", "linux.seccomp.action.SCMP_ACT_NOTIFY"),
	F("linux.intelRdt.l3CacheSchema", LINUX, "1.0.0", LNX("intelrdt"), "Intel RDT L3 cache schema", "linux.intelRdt.l3CacheSchema"),
	F("linux.intelRdt.closID", LINUX, "1.0.2", LNX("intelrdt"), "Intel RDT class of service", "linux.intelRdt.closID"),
	F("linux.intelRdt.memBwSchema", LINUX, "1.0.2", LNX("intelrdt"), "Intel RDT memory bandwidth schema", "linux.intelRdt.memBwSchema"),
	F("linux.intelRdt.enableCMT", LINUX, "1.1.0", LNX("intelrdt"), "Intel RDT CMT/MBM monitoring (removed in 1.3.0)", "linux.intelRdt.enableCMT linux.intelRdt.enableMBM"),
	F("linux.intelRdt.schemata", LINUX, "1.3.0", SPEC("v1.3.0", "config-linux.md", "intelrdt"), "Intel RDT schemata lines", "linux.intelRdt.schemata"),
	F("linux.intelRdt.enableMonitoring", LINUX, "1.3.0", SPEC("v1.3.0", "config-linux.md", "intelrdt"), "Intel RDT monitoring", "linux.intelRdt.enableMonitoring"),

	/* §3.1 operations (spec) */
	OP("op.create", "1.0.0", RT("create"), "create", "create"),
	OP("op.start", "1.0.0", RT("start"), "start", "start"),
	OP("op.kill", "1.0.0", RT("kill"), "kill", "kill"),
	OP("op.delete", "1.0.0", RT("delete"), "delete", "delete"),
	OP("op.state", "1.0.0", RT("query-state"), "state", "state"),
	OP("op.features", "1.1.0", SPEC("v1.2.0", "features.md", "features-structure"), "features", "features"),

	/* §3.1 command-line items (runtime-tools CLI 1.0.1) */
	CL("cli.create.bundle", "CLI 1.0.1", CLIDOC("create"), "create --bundle", "create.--bundle"),
	CL("cli.create.consoleSocket", "CLI 1.0.1", CLIDOC("console-socket"), "create --console-socket", "create.--console-socket"),
	CL("cli.create.pidFile", "CLI 1.0.1", CLIDOC("create"), "create --pid-file", "create.--pid-file"),
	CL("cli.kill.signal", "CLI 1.0.1", CLIDOC("kill"), "kill --signal (CLI document form)", "kill.--signal"),
	CL("cli.listenFds", "CLI 1.0.1", CLIDOC("create"), "LISTEN_FDS passed to create (not recorded)", NULL),
	CL("cli.kill.signal.number", "CLI 1.0.1", CLIDOC("kill"), "kill with a signal number (kill ID 9)", "kill.signal#number"),
	CL("cli.kill.signal.name", "CLI 1.0.1", CLIDOC("kill"), "kill with a signal name (kill ID KILL)", "kill.signal#name"),
	CL("cli.kill.signal.sigName", "CLI 1.0.1", CLIDOC("kill"), "kill with a SIG-prefixed name (kill ID SIGKILL)", "kill.signal#signame"),
	CL("cli.kill.signal.default", "CLI 1.0.1", CLIDOC("kill"), "kill without a signal (TERM)", "kill.signal#default"),

	/* runc extensions engines rely on */
	EXT("ext.exec", LIFECYCLE, RUNC_MAN("runc-exec"), "exec", "exec"),
	EXT("ext.exec.process", CLI, RUNC_MAN("runc-exec"), "exec --process", "exec.--process"),
	EXT("ext.exec.args", CLI, RUNC_MAN("runc-exec"), "exec with the command as arguments", "exec.args"),
	EXT("ext.exec.detach", CLI, RUNC_MAN("runc-exec"), "exec --detach", "exec.--detach"),
	EXT("ext.exec.pidFile", CLI, RUNC_MAN("runc-exec"), "exec --pid-file", "exec.--pid-file"),
	EXT("ext.exec.consoleSocket", CLI, RUNC_MAN("runc-exec"), "exec --console-socket", "exec.--console-socket"),
	EXT("ext.exec.tty", CLI, RUNC_MAN("runc-exec"), "exec --tty", "exec.--tty"),
	EXT("ext.delete.force", CLI, RUNC_MAN("runc-delete"), "delete --force", "delete.--force"),
	EXT("ext.kill.all", CLI, RUNC_MAN("runc-kill"), "kill --all", "kill.--all"),
	EXT("ext.update", LIFECYCLE, RUNC_MAN("runc-update"), "update", "update"),
	EXT("ext.update.resources", CLI, RUNC_MAN("runc-update"), "update --resources (file or -)", "update.--resources"),
	EXT("ext.pause", LIFECYCLE, RUNC_MAN("runc-pause"), "pause", "pause"),
	EXT("ext.resume", LIFECYCLE, RUNC_MAN("runc-resume"), "resume", "resume"),
	EXT("ext.run", LIFECYCLE, RUNC_MAN("runc-run"), "run", "run"),
	EXT("ext.ps", LIFECYCLE, RUNC_MAN("runc-ps"), "ps", "ps"),
	EXT("ext.events", LIFECYCLE, RUNC_MAN("runc-events"), "events", "events"),
	EXT("ext.list", LIFECYCLE, RUNC_MAN("runc-list"), "list", "list"),
	EXT("ext.checkpoint", LIFECYCLE, RUNC_MAN("runc-checkpoint"), "checkpoint", "checkpoint"),
	EXT("ext.restore", LIFECYCLE, RUNC_MAN("runc-restore"), "restore", "restore"),
	EXT("ext.spec", LIFECYCLE, RUNC_MAN("runc-spec"), "spec", "spec"),
	EXT("ext.create.noPivot", CLI, RUNC_MAN("runc-create"), "create --no-pivot", "create.--no-pivot run.--no-pivot restore.--no-pivot"),
	EXT("ext.create.noNewKeyring", CLI, RUNC_MAN("runc-create"), "create --no-new-keyring", "create.--no-new-keyring run.--no-new-keyring"),
	EXT("ext.create.preserveFds", CLI, RUNC_MAN("runc-create"), "create --preserve-fds", "create.--preserve-fds run.--preserve-fds exec.--preserve-fds"),
	EXT("ext.create.pidfdSocket", CLI, RUNC_MAN("runc-create"), "create --pidfd-socket", "create.--pidfd-socket run.--pidfd-socket exec.--pidfd-socket"),
	EXT("global.root", CLI, RUNC_MAN("runc"), "--root state directory", "global.--root"),
	EXT("global.log", CLI, RUNC_MAN("runc"), "--log file", "global.--log"),
	EXT("global.logFormat", CLI, RUNC_MAN("runc"), "--log-format", "global.--log-format"),
	EXT("global.systemdCgroup", CLI, RUNC_MAN("runc"), "--systemd-cgroup", "global.--systemd-cgroup"),
	EXT("global.rootless", CLI, RUNC_MAN("runc"), "--rootless", "global.--rootless"),
	EXT("global.debug", CLI, RUNC_MAN("runc"), "--debug", "global.--debug"),
	EXT("ext.version", CLI, RUNC_MAN("runc"), "--version", "--version"),
};

size_t catalog_feature_count(void)
{
	return sizeof features / sizeof features[0];
}

const struct catalog_feature *catalog_feature(size_t i)
{
	return &features[i];
}

int catalog_feature_find(const char *id)
{
	for (size_t i = 0; i < catalog_feature_count(); i++)
		if (strcmp(features[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* ---- detectors ---- */

static bool detect_relative_destination(json_t *doc, const struct feature_set *fs)
{
	json_t *m;
	size_t i;

	(void)fs;
	json_array_foreach(json_object_get(doc, "mounts"), i, m) {
		const char *d = json_string_value(json_object_get(m, "destination"));
		if (d != NULL && d[0] != '/')
			return true;
	}
	return false;
}

/* Any mount option outside config.md's table is filesystem data. The
 * recorder reduces "size=64m" to "mounts.options.size" and odd strings to
 * "mounts.options.other", both unknown names here. */
static bool detect_fs_specific(json_t *doc, const struct feature_set *fs)
{
	size_t plen = strlen(MO);

	(void)doc;
	for (size_t i = 0; i < fs->n; i++)
		if (strncmp(fs->ids[i], MO, plen) == 0 &&
		    catalog_mount_option_class(fs->ids[i] + plen) == OPT_UNKNOWN)
			return true;
	return false;
}

static bool detect_image_annotations(json_t *doc, const struct feature_set *fs)
{
	const char *key;
	json_t *v;

	(void)fs;
	json_object_foreach(json_object_get(doc, "annotations"), key, v)
		if (strncmp(key, "org.opencontainers.image.", 25) == 0)
			return true;
	return false;
}
