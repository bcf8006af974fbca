#!/usr/bin/env bash
# Real features on the shared real exports (BENCHMARKS.md "Real features first" and "Per-library correction").
# Run from the repo root: docs/bench/realfeatures/run.sh [K ...]
# Trains one model on the Kaggle subset + artist table into a temp data dir, then for every export of
# ../shared/data/libraries (each person's playlists concatenated into one library, as one account's export would be):
#   - cluster --use-recs-model false: how many tracks came from the file;
#   - evaluate --profile full --shrinkage K: agreement, kappa and the correction's held-out gain.
set -euo pipefail
data=${RECS_DATA:-$(cd "$(dirname "$0")/../../../.." && pwd)/shared/data}
ks=("${@:-50}")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
recs() { dotnet run --no-build -c Release --project Recs.Web -- "$@" --data-dir "$tmp/d"; }
dotnet build Recs.sln -c Release -nologo -v q >/dev/null
recs import-artist-genres --csv "$data/artists/artist_genres.csv" >/dev/null 2>&1
recs train --csv "$data/catalog/kaggle_tracks_subset.csv" --output-dir "$tmp/m" >/dev/null 2>&1
for dir in "$data"/libraries/*/; do
  who=$(basename "$dir")
  lib="$tmp/$who.csv"
  # One library per person: the header of the first file, the rows of all (headers agree within a person's export).
  first=1
  while IFS= read -r -d '' f; do
    if [ $first = 1 ]; then cat "$f" >"$lib"; first=0; else tail -n +2 "$f" >>"$lib"; fi
    [ -n "$(tail -c1 "$lib")" ] && echo >>"$lib"
  done < <(find "$dir" -name '*.csv' -print0 | sort -z)
  recs cluster --library "$lib" --use-recs-model false --json >"$tmp/cl.json" 2>/dev/null
  python3 - "$who" "$tmp/cl.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2])); c = d["coverage"]
print(f"{sys.argv[1]:14} cluster: total {c['total']:5} clustered {c['clustered']:5} from_file {c['from_file']:5} ({100*c['from_file']/max(1,c['total']):.1f} %) catalog {c['from_catalog']} service {c['from_service']} unclustered {len(d['unclustered'])}")
PY
  for k in "${ks[@]}"; do
    recs evaluate --library "$lib" --profile full --shrinkage "$k" --json >"$tmp/ev.json" 2>/dev/null
    python3 - "$who" "$k" "$tmp/ev.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[3])); c = d["correction"]; n = d["not_in_catalog"]
mae = " ".join(f"{f} {c['mae_before'][f]:.3f}->{c['mae_after'][f]:.3f}" for f in ["tempo","energy","danceability","valence","loudness"])
print(f"{sys.argv[1]:14} k={sys.argv[2]:>4} tracks {c['held_out_tracks']:5} agreement {c['before']['agreement']:.4f}->{c['after']['agreement']:.4f} ({c['agreement_gain']:+.4f}) "
      f"kappa {c['before']['kappa']:.3f}->{c['after']['kappa']:.3f} chance {c['before']['chance_agreement']:.3f} rel.MAE gain {c['relative_mae_gain']:+.3f} | {mae}")
PY
  done
done
