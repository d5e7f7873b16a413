# pmsync: a plain Makefile. `make` builds, `make check` tests, `make demo`
# runs the example. Library flags come from pkg-config; `make deps` installs
# the Debian packages that are missing (both check and demo call it).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
VERSION := 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libgit2 jansson libcurl libcmark-gfm

# Objects of a sanitizer or fuzz build live apart, so that switching builds
# never links objects of two kinds together.
ifdef FUZZ
O := build/fuzz
else ifdef SANITIZE
O := build/san
else
O := build/out
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	-Wwrite-strings -Wvla -Wformat=2
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) -I. \
	-DPMSYNC_VERSION='"$(VERSION)"' -MMD -MP
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifdef FUZZ
ALL_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
endif
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# pkg-config is asked once per run of make. A missing package is an error
# that names it, except for the targets that need no library or install the
# packages first (check, demo, bench and fuzz run make again after `make deps`).
NOLIB_GOALS := deps deps-test clean format format-check uninstall check check-valgrind demo bench fuzz
ifneq ($(filter-out $(NOLIB_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
ifeq ($(PKG_LIBS),)
$(error pkg-config cannot find $(PKGS): run `make deps` to install the Debian packages)
endif
# libcmark-gfm.pc names the extensions library on some releases only.
ifeq ($(filter -lcmark-gfm-extensions,$(PKG_LIBS)),)
PKG_LIBS += -lcmark-gfm-extensions
endif
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)
endif

# `make` prints "CC file.o"; `make V=1` prints the full command lines.
ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @echo "   $(1) $(2)"
endif

MODULES := util config postmortems mapping connectors connectors/linear connectors/jira state sync report
LIB_SRC := $(foreach d,$(MODULES),$(wildcard $(d)/*.c)) $(filter-out cli/pmsync.c,$(wildcard cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
MAIN_OBJ := $(O)/cli/pmsync.o
LIB := $(O)/libpmsync.a

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
UNIT_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJ := $(UNIT_HELPERS:%.c=$(O)/%.o)

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/tests/replay_%)

BIN := pmsync

.PHONY: all check check-valgrind demo bench install uninstall clean fuzz analyze \
	format format-check deps deps-test test-bins

# The binary is linked in the object directory; a plain build copies it to
# ./pmsync, so that a sanitizer build never leaves its binary there.
ifdef SANITIZE
all: $(O)/pmsync
else
all: $(BIN)

$(BIN): $(O)/pmsync
	$(call quiet,CP,$@)
	$(Q)cp $< $@
endif

$(O)/pmsync: $(MAIN_OBJ) $(LIB)
	$(call quiet,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS)

$(LIB): $(LIB_OBJ)
	$(call quiet,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

# The compiler's flags are written to $(O)/.cflags, rewritten only when they
# change, so that `make CFLAGS=-O0` rebuilds everything and a second `make`
# with the same flags rebuilds nothing (git's GIT-CFLAGS).
FLAGS_LINE := $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) | $(LDFLAGS)
$(O)/.cflags: FORCE
	@mkdir -p $(O)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(subst ','\'',$(FLAGS_LINE))' ]; then \
		printf '%s\n' '$(subst ','\'',$(FLAGS_LINE))' >$@; fi

$(O)/%.o: %.c $(O)/.cflags
	$(call quiet,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(O)/tests/test_%: $(O)/tests/unit/test_%.o $(UNIT_HELPER_OBJ) $(LIB)
	$(call quiet,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJ) $(LIB) $(PKG_LIBS) $(CMOCKA_LIBS)

$(O)/tests/replay_%: $(O)/tests/fuzz/%.o $(O)/tests/fuzz/replay.o $(LIB)
	$(call quiet,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(O)/tests/fuzz/replay.o $(LIB) $(PKG_LIBS)

# Test objects are built through pattern rules; keep them, so that a second
# build finds them up to date instead of compiling them again.
.SECONDARY:
.PHONY: FORCE
FORCE:

test-bins: all $(UNIT_BIN) $(FUZZ_REPLAY)

deps:
	@sh .ci/deps.sh

# The tests also need a headless Chromium (the HTML report's screenshot test).
deps-test:
	@sh .ci/deps.sh --test

check: deps-test
	@$(MAKE) --no-print-directory test-bins
	@O=$(O) sh tests/run.sh

check-valgrind: deps-test
	@$(MAKE) --no-print-directory test-bins
	@O=$(O) PMSYNC_VALGRIND=1 sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh tests/bench/bench.sh

# libFuzzer builds need clang; their objects live in build/fuzz.
FUZZ_SECONDS ?= 30
fuzz: deps
	@$(MAKE) --no-print-directory FUZZ=1 CC=clang build/fuzz/libpmsync.a
	@sh tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS)

analyze:
	clang-tidy --quiet $(LIB_SRC) cli/pmsync.c -- $(ALL_CFLAGS) $(PKG_CFLAGS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -I. $(wildcard $(MODULES)) cli

format:
	clang-format -i $(shell git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $(shell git ls-files '*.c' '*.h')

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/$(BIN)
	install -m 644 pmsync.1 $(DESTDIR)$(MANDIR)/man1/pmsync.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(BIN) $(DESTDIR)$(MANDIR)/man1/pmsync.1

clean:
	rm -rf build $(BIN) tests/out demo-out bench-out

# Header dependencies of this build variant only.
-include $(shell find $(O) -name '*.d' 2>/dev/null)
