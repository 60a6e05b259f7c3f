# The two entry points for a fresh Debian 12 machine:
#   make run    install what is missing, build, run the bundled sample
#   make test   install what is missing, build with sanitizers, run the tests
# Both install only Debian packages and the npm packages pinned in
# package-lock.json (into node_modules/: Leaflet for the viewer page,
# playwright-core for its test), and only those not yet installed.

DEBS := build-essential cmake pkg-config libgdal-dev gdal-bin python3-gdal \
        libproj-dev proj-bin libgeos-dev libpng-dev libsqlite3-dev sqlite3 \
        libjansson-dev libfreetype-dev fonts-dejavu-core
# Only for `make test`: the browser of the viewer test (tests/viewer).
TEST_DEBS := chromium
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run test deps build clean

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
	@echo "regions_county, providers, sites); the rankings (need, poverty),"
	@echo "the recommended sites and the join report are in"
	@echo "$(CURDIR)/out/reports/."
	@echo "The maps (services, needs, poverty) are tiles in $(CURDIR)/out/tiles/,"
	@echo "$(CURDIR)/out/*.mbtiles and the GeoPackage, legends in out/legends/."
	@echo "To view them: python3 -m http.server -d out 8000, then open"
	@echo "http://localhost:8000"

test: EXTRA_DEBS = $(TEST_DEBS)
test: deps
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DMG_SANITIZE=ON -DMG_FAILALLOC=ON \
	  -DMG_WERROR=ON
	cmake --build build-test -j$(JOBS)
	cd build-test && ctest --output-on-failure -j$(JOBS)

clean:
	rm -rf build build-test out
