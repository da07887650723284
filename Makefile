# The two commands of the README:
#   make run    installs what is missing, builds, and serves the simulated plant
#   make test   installs what is missing, builds (also under asan/ubsan), and runs every test
.PHONY: run test build bench clean

run:
	scripts/setup
	build/release/zhizao serve --demo

test:
	scripts/setup --test
	scripts/test

build:
	scripts/setup

bench: build
	build/release/bench/sim_backfill_bench

clean:
	rm -rf build
