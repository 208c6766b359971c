#!/usr/bin/env bash
# synmap's optimised export side by side with SVGO 4's default output, at equal numeric
# precision (3 decimals, SVGO's default): sizes, and whole-process wall times (median of 5), on
# country and region maps as published for the web (the @svg-maps packages, CC BY 4.0), the
# bundled sample and generated 10k and 50k plans. Needs node and npm (SVGO and the maps are
# installed into a throw-away folder) and a release build. Not part of the test suite.
#
# Two SVGO sizes: its default output of the map as published, which drops every id nothing
# refers to (`cleanupIds`) and has no `<title>` where the source has an `aria-label`, so it does
# not bind in the visual; and its default output with every id and title kept (`cleanupIds`
# off, run on synmap's plain export, which has the titles the visual shows), the same content
# as synmap's.
#
#   benches/svgo.sh            prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --silent --prefix "$work" svgo@4 @svg-maps/world @svg-maps/usa @svg-maps/france.regions \
    @svg-maps/germany >/dev/null
cargo build --release --quiet
synmap=target/release/synmap
svgo="$work/node_modules/.bin/svgo"
echo "export default { plugins: [{ name: 'preset-default', params: { overrides: { cleanupIds: false } } }] };" \
    >"$work/keep-ids.mjs"
maps=()
for m in world usa france.regions germany; do
    maps+=("$work/node_modules/@svg-maps/$m/$m.svg")
done
maps+=(assets/samples/office-floor.svg)
"$synmap" generate --areas 10000 -o "$work/plan-10k.svg" >/dev/null
"$synmap" generate --areas 50000 -o "$work/plan-50k.svg" >/dev/null
maps+=("$work/plan-10k.svg" "$work/plan-50k.svg")

# Median wall time of 5 runs of a command, in seconds.
median() {
    local times=()
    for _ in 1 2 3 4 5; do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

echo "| map | input | synmap | SVGO 4 | SVGO 4, ids and titles kept | synmap time | SVGO time | SVGO / synmap time |"
echo "|---|---|---|---|---|---|---|---|"
for map in "${maps[@]}"; do
    name=$(basename "$map")
    out_synmap="$work/out-synmap-$name"
    out_svgo="$work/out-svgo-$name"
    t_synmap=$(median "$synmap" export "$map" -o "$out_synmap" --precision 3)
    t_svgo=$(median "$svgo" "$map" -o "$out_svgo")
    "$synmap" export "$map" -o "$work/ready-$name" --no-optimise >/dev/null 2>&1
    "$svgo" --config "$work/keep-ids.mjs" "$work/ready-$name" -o "$work/kept-$name" >/dev/null
    printf '| %s | %s | %s | %s | %s | %.2f s | %.2f s | %.0f× |\n' "$name" "$(stat -c %s "$map")" \
        "$(stat -c %s "$out_synmap")" "$(stat -c %s "$out_svgo")" "$(stat -c %s "$work/kept-$name")" \
        "$t_synmap" "$t_svgo" \
        "$(echo "$t_svgo / $t_synmap" | bc -l)"
done
