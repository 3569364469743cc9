#!/usr/bin/env bash
# The GitHub Action's second step: gemini-image check|fill with the action's inputs, which come in
# as environment variables (never pasted into this script's text).
set -euo pipefail
cli="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/gemini-image-action/bin/cli.js"
command="${INPUT_COMMAND:-check}"
case "$command" in
  check | fill) ;;
  *) echo "::error::The command input must be check or fill, not '$command'."; exit 2 ;;
esac
read -r -a paths <<< "${INPUT_PATHS:-docs}"
args=("$command" "${paths[@]}")
if [ "$command" = fill ]; then
  if [ -z "${GEMINI_API_KEY:-}" ]; then
    echo "::error::fill needs the api-key input, e.g. api-key: \${{ secrets.GEMINI_API_KEY }}."
    exit 2
  fi
  args+=(--yes --mode "${INPUT_MODE:-auto}")
  if [ -n "${INPUT_MAX_COST:-}" ]; then args+=(--max-cost "$INPUT_MAX_COST"); fi
fi
exec node "$cli" "${args[@]}"
