#!/usr/bin/env bash
# Mutation testing of one module against the tests that own its rules:
#   make mutation MODULE=campaigns/answers.py TESTS="tests/campaigns/test_answers.py"
# mutmut breaks the module one change at a time (a condition inverted, a string changed, a
# line dropped…) and runs the tests on each; a "survived" mutant is a change no test noticed.
# It runs in a scratch copy of the tree (nothing of mutmut's is left in the project), with the
# apps under src/ so that the tests import the mutated copy only; prints the figures, then
# the survivors' diffs.
set -euo pipefail
cd "$(dirname "$0")/.."
module="${MODULE:?MODULE=chemin/du/module.py}"
tests="${TESTS:?TESTS=\"tests/…\"}"
mutmut="$(pwd)/${VENV:-.venv}/bin/mutmut"
python="$(pwd)/${VENV:-.venv}/bin/python"
test -x "$mutmut" || "$python" -m pip install --quiet "mutmut>=3.8,<3.9"
scratch="$(mktemp -d)"
# KEEP=1 leaves the scratch copy (its mutants and mutmut's log) for a closer look.
[ -n "${KEEP:-}" ] && echo "Copie de travail : $scratch" || trap 'rm -rf "$scratch"' EXIT
apps="collectif home pillars boussole campaigns newsletter search"
mkdir -p "$scratch/src"
# shellcheck disable=SC2086
git ls-files -z -- $apps | xargs -0 cp --parents -t "$scratch/src"
git ls-files -z -- tests pyproject.toml | xargs -0 cp --parents -t "$scratch"
cd "$scratch"
{
  echo "[mutmut]"
  echo "source_paths=src"
  echo "only_mutate=src/$module"
  # The test database is made once, then kept for every mutant (their schema is the same).
  echo "pytest_add_cli_args="
  echo "    --reuse-db"
  echo "pytest_add_cli_args_test_selection="
  for t in $tests; do echo "    $t"; done
} > setup.cfg
"$python" -m mutmut run --max-children "${MUTATION_JOBS:-1}" > run.log 2>&1 || true
"$mutmut" results --all true > results.txt 2>&1 || true
killed=$(grep -c ": killed" results.txt || true)
if [ "$killed" = 0 ]; then
  echo "== mutmut n’a rien tué : la fin de son journal =="
  tail -c 3000 run.log | tr '\r' '\n' | tail -40
fi
total=$(grep -c ": " results.txt || true)
echo "== $module : $killed mutants tués sur $total =="
grep -v ": killed" results.txt || true
for name in $(grep ": survived" results.txt | cut -d: -f1); do
  echo "-- $name"
  "$mutmut" show "$name" 2>&1 | grep -E "^[-+]" | grep -vE "^(---|\+\+\+)" || true
done
