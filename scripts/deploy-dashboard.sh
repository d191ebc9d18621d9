#!/usr/bin/env bash
# The rollout plan's dashboard deployment: scripts/deploy-dashboard.sh ENV
# [--folder-uid UID] [--dry-run] [...] builds examples/deploy-dashboard and
# deploys dashboards/time-crunch.json to the Grafana of profile ENV
# (GRAFANA_URL_ENV / GRAFANA_API_KEY_ENV, falling back to GRAFANA_URL /
# GRAFANA_API_KEY): connectivity confirmed, dashboard deployed, dashboard
# verified, URL printed. Options and exit statuses: README.md, "Deploying
# the dashboard"; the runbook: dashboards/README.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/env.sh"
say "building deploy-dashboard (release)"
(cd "$repo" && cargo build --quiet --release -p time-crunch-deploy-dashboard >&2)
# Run from the caller's directory, so a --dashboard path of theirs means what they typed.
exec "$CARGO_TARGET_DIR/release/deploy-dashboard" "$@"
