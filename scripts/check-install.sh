#!/usr/bin/env bash
# Installs the published packages the way a city or a vendor does, outside
# this workspace, and uses them there:
#
#   1. builds every package (skip with --no-build when the build just ran);
#   2. packs core, adapter-memory, adapter-sqlite, adapter-postgres,
#      records-csv, adapter-webhook, adapter-email, adapter-console and
#      testkit with `npm pack`;
#   3. creates a fresh project in a temporary folder outside the repository
#      and installs the tarballs with plain `npm install` (npm's defaults: no
#      --legacy-peer-deps, no --force; third-party packages from the registry),
#      next to the effect, vitest and TypeScript versions this repository uses;
#   4. type-checks a small app (scripts/install-check/app.ts) and the test
#      files, strict, NodeNext, with library declarations checked too;
#   5. runs the app (SQLite file, records-csv import, memory adapter, Justice
#      for Neighbors from its program module, core's subpaths sharing one copy
#      of each module with the root);
#   6. require()s every package and core's subpaths (Node 20.19+ loads ES
#      modules synchronously);
#   7. runs the conformance kit against the memory adapter with vitest: every
#      check must pass; then against an EventStore that reads one event short:
#      vitest must exit non-zero with failed checks;
#   8. runs the notifier checks against the webhook adapter, the email
#      adapter (the kit's loopback SMTP receiver) and the console and file
#      notifiers (with the console package's own test receivers): every one
#      must pass.
#
# Any failure exits non-zero. Set KEEP_INSTALL_CHECK=1 to keep the folder.
# better-sqlite3 compiles from source when no prebuilt binary can be fetched
# (about a minute).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fixture="$root/scripts/install-check"
build=true
for argument in "$@"; do
  case "$argument" in
    --no-build) build=false ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
  esac
done

started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$1" $((SECONDS - started)); }

work="$(mktemp -d "${TMPDIR:-/tmp}/community-policing-install-check.XXXXXX")"
case "$work/" in
  "$root"/*) echo "the temporary folder $work is inside the repository" >&2; exit 1 ;;
esac
cleanup() {
  if [[ "${KEEP_INSTALL_CHECK:-}" == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# npm's defaults, whatever the environment or a user's .npmrc says.
export npm_config_legacy_peer_deps=false npm_config_force=false
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if $build; then
  step "build"
  (cd "$root" && npm run build)
fi

step "pack"
packages=(
  packages/core
  packages/adapters/memory
  packages/adapters/sqlite
  packages/adapters/postgres
  packages/adapters/records-csv
  packages/adapters/webhook
  packages/adapters/email
  packages/adapters/console
  packages/adapters/testkit
)
mkdir -p "$work/tarballs" "$work/app"
for package in "${packages[@]}"; do
  (cd "$root/$package" && npm pack --pack-destination "$work/tarballs" --silent >/dev/null)
done
ls "$work/tarballs"

step "fresh project in $work/app"
# package.json: every tarball, and effect, vitest, TypeScript and @types/node
# at the versions this repository declares.
node --input-type=module - "$root" "$work" "${packages[@]}" <<'EOF'
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
const [root, work, ...packages] = process.argv.slice(2)
const json = (path) => JSON.parse(readFileSync(path, "utf8"))
const repo = json(join(root, "package.json"))
const tarball = (folder) => {
  const { name, version } = json(join(root, folder, "package.json"))
  return [name, `file:../tarballs/${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`]
}
const tarballs = Object.fromEntries(packages.map(tarball))
const testkit = "@community-policing/testkit"
const app = {
  name: "city-app",
  version: "1.0.0",
  private: true,
  type: "module",
  dependencies: {
    ...Object.fromEntries(Object.entries(tarballs).filter(([name]) => name !== testkit)),
    effect: repo.devDependencies.effect
  },
  devDependencies: {
    [testkit]: tarballs[testkit],
    "@types/node": repo.devDependencies["@types/node"],
    typescript: repo.devDependencies.typescript,
    vitest: repo.devDependencies.vitest
  },
  allowScripts: { "better-sqlite3": true, esbuild: true }
}
writeFileSync(join(work, "app", "package.json"), JSON.stringify(app, null, 2) + "\n")
EOF
cp "$fixture/tsconfig.json" "$fixture/app.ts" "$work/app/"
cp -r "$fixture/test" "$work/app/test"
# The console package's test receivers, importing the installed package.
sed 's#"../../src/index.ts"#"@community-policing/adapter-console"#' \
  "$root/packages/adapters/console/test/support/receivers.ts" > "$work/app/test/console-receivers.ts"
cat "$work/app/package.json"

cd "$work/app"

step "npm install"
npm install
npm ls --depth=0

step "type-check (strict, NodeNext)"
npx tsc -p tsconfig.json

step "run the app"
node dist/app.js

step "require() every package"
node -e '
const names = process.argv.slice(1)
for (const name of names) {
  const exports = require(name)
  if (Object.keys(exports).length === 0) throw new Error(`require("${name}") gave no exports`)
  console.log(`require("${name}"): ${Object.keys(exports).length} exports`)
}' @community-policing/core @community-policing/core/kernel @community-policing/core/calls \
  @community-policing/core/engine @community-policing/core/ports @community-policing/core/notifications \
  @community-policing/core/justice-for-neighbors @community-policing/core/commission \
  @community-policing/adapter-memory @community-policing/adapter-sqlite \
  @community-policing/adapter-postgres @community-policing/records-csv @community-policing/adapter-webhook \
  @community-policing/adapter-email @community-policing/adapter-console @community-policing/testkit

step "conformance kit against the memory adapter"
npx vitest run test/conformance.test.ts --reporter=default --reporter=json --outputFile=conformance.json
# Every check that applies to the memory adapter (with a raw store, calls,
# concurrent writers, not persistent) must have run and passed.
node --input-type=module -e '
import { readFileSync } from "node:fs"
import * as kit from "@community-policing/testkit"
const capabilities = { ...kit.defaultCapabilities, concurrentWriters: true, persistent: false, calls: true }
const checks = [kit.eventStoreChecks, kit.readModelStoreChecks, kit.outboxChecks, kit.callStoreChecks, kit.callAnalyticsChecks].flat()
const expected = checks.filter((check) => kit.isApplicable(check, capabilities, true)).length
const report = JSON.parse(readFileSync("conformance.json", "utf8"))
console.log(`${report.numPassedTests} of ${expected} applicable checks passed, ${report.numFailedTests} failed`)
if (report.numPassedTests !== expected || report.numFailedTests !== 0 || report.numTotalTests !== expected) process.exit(1)'

step "conformance kit against a broken EventStore (must fail)"
if npx vitest run test/broken.test.ts --reporter=dot --reporter=json --outputFile=broken.json > broken.log 2>&1; then
  cat broken.log
  echo "vitest exited 0 on an adapter that reads one event short" >&2
  exit 1
fi
node -e '
const report = require("./broken.json")
const failures = report.testResults.flatMap((file) => file.assertionResults).filter((test) => test.status === "failed")
console.log(`${failures.length} checks failed, as they must, e.g.: ${failures[0]?.title}`)
if (failures.length === 0 || !failures.every((test) => test.failureMessages.join("").includes("ConformanceFailure"))) {
  console.error("the broken adapter must fail checks with ConformanceFailure, not crash")
  process.exit(1)
}'

step "notifier checks against the webhook, email, console and file notifiers"
npx vitest run test/notifier.test.ts --reporter=default --reporter=json --outputFile=notifier.json
node --input-type=module -e '
import { readFileSync } from "node:fs"
import { notifierChecks } from "@community-policing/testkit"
const report = JSON.parse(readFileSync("notifier.json", "utf8"))
const expected = notifierChecks.length * 4
console.log(`${report.numPassedTests} of ${expected} notifier checks (4 notifiers) passed, ${report.numFailedTests} failed`)
if (report.numPassedTests !== expected || report.numTotalTests !== expected) process.exit(1)'

step "the packages install and work outside the workspace"
