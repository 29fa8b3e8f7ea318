#!/usr/bin/env bash
# Post-deploy setup: initialise the protocol and allow USDC. Run it right after `anchor deploy`,
# in the same session: initialize_protocol can be called once, by anyone.
#
#   migrations/deploy.sh devnet  [AUTHORITY] [TREASURY]
#   migrations/deploy.sh mainnet-beta AUTHORITY TREASURY
#
# AUTHORITY may be a Squads vault or a Realms governance PDA (it need not sign now; allow-mint
# below then has to be a DAO proposal instead). Defaults: the deploying wallet.
set -euo pipefail
cluster=${1:?usage: deploy.sh CLUSTER [AUTHORITY] [TREASURY]}
pob=${POB:-pob}
args=()
[ -n "${2:-}" ] && args+=(--authority "$2")
[ -n "${3:-}" ] && args+=(--treasury "$3")

"$pob" -u "$cluster" protocol init "${args[@]}" --fee 2.5% --dispute-window 1d --vote-window 2d
if [ -z "${2:-}" ]; then
  # USDC: the cluster's default mint. Wage floor 0.01, least stake 0.10, dispute bond 1.00.
  "$pob" -u "$cluster" mint allow --min-reward 0.01 --min-stake 0.1 --dispute-bond 1
else
  echo "Authority is $2: propose 'pob mint allow' to it (build the instruction with pob_cli::ix::allow_mint)."
fi
"$pob" -u "$cluster" protocol show
