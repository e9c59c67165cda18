# mockrunc — build, test, install.
#
# Every directory holding C sources is built by wildcard, so a new file needs
# no edit here. Libraries: common (helpers shared by all), recorder, realexec.
# bin/mockrunc links all three; bin/mockrunc-report never links realexec.

PREFIX   ?= /usr/local
CC       ?= cc
PKGS     := jansson libseccomp libcap sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# CFLAGS is the user's (e.g. CFLAGS="-O2 -g -Werror"); what the code needs
# is added separately so a command-line CFLAGS cannot drop it.
CFLAGS   ?= -O2 -g
MR_CFLAGS := -std=gnu11 -Wall -Wextra -Werror=implicit-function-declaration \
            -D_GNU_SOURCE -I. $(PKG_CFLAGS) -MMD -MP
# The libraries are linked statically when their archives are installed
# (Debian's -dev packages ship them): every container start runs mockrunc,
# and resolving four shared libraries costs it about a millisecond.
STATIC_ARCHIVES := $(foreach l,jansson sqlite3 seccomp cap,$(shell $(CC) -print-file-name=lib$(l).a))
ifeq ($(words $(filter /%,$(STATIC_ARCHIVES))),4)
LDLIBS   += -Wl,-Bstatic -ljansson -lsqlite3 -lseccomp -lcap -Wl,-Bdynamic -lm -lpthread -ldl
else
LDLIBS   += $(PKG_LIBS)
endif

# bin/mockrunc, on every container's path, is linked fully static when
# libc's archive is there too: no dynamic loader at each start (about 0.4 ms
# of the ~1.5 ms a call costs in front of another runtime). Sanitizer builds
# stay dynamic (STATIC_PROGRAM= empties it).
LIBC_ARCHIVE := $(shell $(CC) -print-file-name=libc.a)
ifeq ($(words $(filter /%,$(STATIC_ARCHIVES) $(LIBC_ARCHIVE))),5)
STATIC_PROGRAM ?= -static
endif
ifneq ($(STATIC_PROGRAM),)
PROGRAM_LDLIBS := -ljansson -lsqlite3 -lseccomp -lcap -lm
else
PROGRAM_LDLIBS = $(LDLIBS)
endif

BUILD    := build
BIN      := bin

lib_srcs = $(wildcard $(1)/*.c)
lib_objs = $(patsubst %.c,$(BUILD)/%.o,$(call lib_srcs,$(1)))

COMMON_OBJS   := $(call lib_objs,common)
RECORDER_OBJS := $(call lib_objs,recorder)
REALEXEC_OBJS := $(call lib_objs,realexec)
MOCKRUNC_OBJS := $(call lib_objs,mockrunc)
REPORT_OBJS   := $(call lib_objs,report)

LIBCOMMON   := $(BUILD)/libcommon.a
LIBRECORDER := $(BUILD)/librecorder.a
LIBREALEXEC := $(BUILD)/librealexec.a

UNIT_SRCS  := $(wildcard tests/unit/*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

PROGRAMS := $(BIN)/mockrunc
ifneq ($(REPORT_OBJS),)
PROGRAMS += $(BIN)/mockrunc-report
endif

.PHONY: all deps test install uninstall clean bench certify demo fuzz asan
all: $(PROGRAMS) $(UNIT_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(MR_CFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJS)
$(LIBRECORDER): $(RECORDER_OBJS)
$(LIBREALEXEC): $(REALEXEC_OBJS)
$(BUILD)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/mockrunc: $(MOCKRUNC_OBJS) $(LIBREALEXEC) $(LIBRECORDER) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) $(STATIC_PROGRAM) -o $@ $^ $(PROGRAM_LDLIBS)

$(BIN)/mockrunc-report: $(REPORT_OBJS) $(LIBRECORDER) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests may use any library; report objects (minus its main) are
# linked in so the catalog and scoring can be tested directly.
REPORT_LIB_OBJS := $(filter-out $(BUILD)/report/main.o,$(REPORT_OBJS))
$(BUILD)/tests/%: tests/unit/%.c $(REPORT_LIB_OBJS) $(LIBREALEXEC) $(LIBRECORDER) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(MR_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The whole suite, TAP through prove. TESTS narrows it (a file or a folder).
TESTS ?= tests/unit.t tests/cli tests/recorder tests/lifecycle tests/reliability tests/report tests/engines
test: all
	@TESTS_EXISTING="$$(for t in $(TESTS); do [ -e $$t ] && echo $$t; done)"; \
	  MOCKRUNC_TOP=$(CURDIR) prove -r --timer $$TESTS_EXISTING

deps:
	./.ci/install-deps

# The unit, command-line, recorder and lifecycle tests against a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (any report fails them).
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	$(MAKE) BUILD=build-asan BIN=bin-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" STATIC_PROGRAM= all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  MOCKRUNC_BIN_DIR=$(CURDIR)/bin-asan MOCKRUNC_BUILD_DIR=$(CURDIR)/build-asan MOCKRUNC_TOP=$(CURDIR) \
	  prove -r --timer $(or $(ASAN_TESTS),tests/unit.t tests/cli tests/recorder tests/lifecycle)

# libFuzzer targets, FUZZ_SECONDS each (default 60).
fuzz:
	./tests/fuzz/run

bench: all
	./tests/bench/run

# The README's first command: what is missing installed, a build, then a
# certification of docker on the embedded defaults (the built-in execution
# core, /var/lib/mockrunc/mockrunc.db). ENGINE=podman or containerd
# certifies another engine; CERTIFY_FLAGS adds engines/certify options. A
# report with findings is a certification done (engines/certify itself
# exits 1 on them, for scripts that gate on it).
ENGINE ?= docker
certify:
	./.ci/install-deps
	$(MAKE) all
	@rc=0; ./engines/certify $(ENGINE) $(CERTIFY_FLAGS) || rc=$$?; \
	  if [ $$rc = 1 ]; then echo "make certify: the report has findings (engines/certify exits 1 on them)"; \
	  elif [ $$rc != 0 ]; then exit $$rc; fi

# A first recording on the embedded defaults (installs what is missing).
demo:
	./.ci/install-deps
	$(MAKE) all
	./engines/demo

install: $(PROGRAMS)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mockrunc $(DESTDIR)$(PREFIX)/bin/mockrunc-report

clean:
	rm -rf $(BUILD) $(BIN) build-asan bin-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
