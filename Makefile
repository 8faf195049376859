# TaxDesk: `make run` on a bare Debian 12 machine installs what is missing, creates the local
# database, migrates and runs the whole cluster in the foreground (Ctrl-C stops it).
# Settings are environment variables (docs/operations.md), e.g. `PORT=9000 make run`.

SHELL := /bin/bash
PYTHON := .venv/bin/python
PROGRAM ?= web

.PHONY: help run start stop status reload logs migrate test lint bench bootstrap

help:
	@echo "make run      install what is missing, migrate, run the cluster (foreground)"
	@echo "make stop     stop a running cluster"
	@echo "make status   processes, CPU, memory, restarts and queue depths"
	@echo "make reload   zero-downtime rolling reload after a code change"
	@echo "make logs     tail -f a program's log: make logs PROGRAM=worker-tax"
	@echo "make migrate  apply database migrations"
	@echo "make test     install test dependencies and run the whole test suite"
	@echo "make lint     ruff check"
	@echo "make bench    load and throughput benchmarks"

bootstrap:
	scripts/bootstrap

# `--db` creates the role and database of the default DATABASE_URL (skipped when it is set).
run:
	scripts/bootstrap --db
	$(PYTHON) scripts/migrate
	scripts/ctl start

stop:
	scripts/ctl stop

status:
	scripts/ctl status

reload:
	scripts/ctl reload

logs:
	scripts/ctl logs $(PROGRAM) -f

migrate:
	$(PYTHON) scripts/migrate

test:
	scripts/bootstrap --test
	$(PYTHON) -m pytest

# scripts/ holds extensionless Python scripts that `ruff check .` would not pick up.
lint:
	.venv/bin/ruff check . $$(grep -l '^#!.*python' scripts/*)
	$(PYTHON) scripts/audit_deps

bench:
	scripts/bootstrap --bench
	$(PYTHON) bench/run_all.py

# 1,000 and 2,000 users for 5 minutes each, the spike, then 30 minutes at 1,000 users watching
# worker memory and the database pool (bench/soak.py); about 45 minutes.
.PHONY: soak
soak:
	scripts/bootstrap --bench
	$(PYTHON) bench/soak.py

# Multi-host test on simulated hosts (network namespaces, 198.18.0.0/24), root only, about 10 minutes;
# not part of `make test`. Numbers go to bench/results/cluster-*.json; `make cluster-clean` removes
# what an interrupted run left behind.
.PHONY: cluster-test cluster-clean
cluster-test:
	scripts/bootstrap --cluster
	$(PYTHON) -m tests.cluster run

cluster-clean:
	$(PYTHON) -m tests.cluster --cleanup
