# The two entry points for a fresh Debian 12 machine:
#   make run    install what is missing, build, run the bundled sample
#   make test   install what is missing, build with sanitizers, run the tests
#   make fuzz   the libFuzzer target of `mapgen serve` for FUZZ_SECONDS (clang)
# Both install only Debian packages and the npm packages pinned in
# package-lock.json (into node_modules/: Leaflet for the viewer page,
# playwright-core for its test), and only those not yet installed.

DEBS := build-essential cmake pkg-config libgdal-dev gdal-bin python3-gdal \
        libproj-dev proj-bin libgeos-dev libpng-dev libsqlite3-dev sqlite3 \
        libjansson-dev libfreetype-dev fonts-dejavu-core libmicrohttpd-dev \
        libdeflate-dev fonts-noto-cjk
# GLPK: the exact siting's integer programmes (geodata/siting, privately).
DEBS += libglpk-dev
# Only for `make test`: the browser of the viewer test (tests/viewer), and
# curl for the tests of `mapgen serve` (tests/serve); pdfinfo/pdftotext
# (poppler-utils) for the viewer's print test.
TEST_DEBS := chromium curl poppler-utils
# PyQGIS and Pillow for tests/cli/qgis.sh (the GeoPackage's styles in
# QGIS); locales for the ro_RO locale of tests/cli/reports.sh.
TEST_DEBS += python3-qgis python3-pil locales
# slurm-wlm, munge and iproute2 (ss) for the one-node cluster of
# tests/cli/slurm.sh.
TEST_DEBS += slurm-wlm munge iproute2
# Only for `make fuzz`.
FUZZ_DEBS := clang libclang-rt-dev
# Only for the benchmark data of bench/villages.py (`make bench-deps`).
BENCH_DEBS := python3-numpy python3-scipy
FUZZ_SECONDS ?= 600
FUZZ_READERS := project style codes csv png
FUZZ_READER_SECONDS ?= 600
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test fuzz deps build clean

deps:
	@missing=""; \
	for p in $(DEBS) $(EXTRA_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends $$missing; \
	fi
	@# Node.js and npm: by command, not by package, because the nodejs of
	@# NodeSource (on some images) includes npm and conflicts with Debian's.
	@command -v npm >/dev/null 2>&1 || { \
	  echo "make: installing Debian packages: nodejs npm"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends nodejs npm; }
	@npm ls --silent >/dev/null 2>&1 || { \
	  echo "make: installing npm packages (npm ci)"; \
	  npm ci --ignore-scripts --no-audit --no-fund; }

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
	cmake --build build -j$(JOBS)

run: build
	./build/mapgen/mapgen run --force
	@echo
	@echo "Done. Open $(CURDIR)/out/romania.gpkg in QGIS (layers regions,"
	@echo "regions_county, providers, sites, the periods; styled for QGIS);"
	@echo "the rankings (need, poverty), the change 2011-2015, the recommended"
	@echo "sites and the join report are in $(CURDIR)/out/reports/."
	@echo "The maps (services, needs, poverty) are tiles in $(CURDIR)/out/tiles/,"
	@echo "$(CURDIR)/out/*.mbtiles and the GeoPackage, legends in out/legends/;"
	@echo "the viewer page has a printable report per county (report.html)."
	@echo "To view them, serve them (Ctrl-C stops the server) and open"
	@echo "http://127.0.0.1:8080/ :"
	@echo
	@echo "  ./build/mapgen/mapgen serve out"

test: EXTRA_DEBS = $(TEST_DEBS)
test: deps
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DMG_SANITIZE=ON -DMG_FAILALLOC=ON \
	  -DMG_WERROR=ON
	cmake --build build-test -j$(JOBS)
	cd build-test && ctest --output-on-failure -j$(JOBS)

# libFuzzer on the request parsing of `mapgen serve` (tests/fuzz/README.md):
# new inputs go to build-fuzz/corpus/route, the seeds stay in tests/fuzz.
fuzz: EXTRA_DEBS = $(FUZZ_DEBS)
fuzz: deps
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMG_FUZZ=ON
	cmake --build build-fuzz -j$(JOBS) --target fuzz_route
	mkdir -p build-fuzz/corpus/route
	./build-fuzz/tests/fuzz/fuzz_route -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=4096 -dict=tests/fuzz/route.dict -print_final_stats=1 \
	  build-fuzz/corpus/route tests/fuzz/corpus/route
	# The readers (issue 14): FUZZ_READER_SECONDS each.
	cmake --build build-fuzz -j$(JOBS) --target $(FUZZ_READERS:%=fuzz_%)
	for t in $(FUZZ_READERS); do \
	  mkdir -p build-fuzz/corpus/$$t && \
	  ./build-fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_READER_SECONDS) \
	    -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

clean:
	rm -rf build build-test build-fuzz out

# What bench/villages.py and bench/scale.sh need besides the build.
.PHONY: bench-deps
bench-deps: EXTRA_DEBS = $(BENCH_DEBS)
bench-deps: deps
