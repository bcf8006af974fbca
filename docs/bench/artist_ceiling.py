"""How much of a feature knowing the artist can explain: each track predicted by the mean of its primary artist's
OTHER catalog tracks (leave-one-out), over tracks whose artist has at least two. No model that has never seen the
artist should beat this by much; BENCHMARKS.md ("Energy >= 0.55") uses it.

    python3 docs/bench/artist_ceiling.py [../shared/data] [--kaggle-only]
"""
import collections
import csv
import os
import sys

data = next((a for a in sys.argv[1:] if not a.startswith("--")), os.path.join(os.path.dirname(__file__), "../../../shared/data"))
if not os.path.isdir(os.path.join(data, "catalog")):
    sys.exit(f"no real data at {data} (see ../shared/data/README.md): nothing to measure")
rows = {}
for r in csv.DictReader(open(os.path.join(data, "catalog/kaggle_tracks_subset.csv"), encoding="utf-8")):
    rows.setdefault(r["track_id"], (r["artists"].split(";")[0].lower().strip(), r))
if "--kaggle-only" not in sys.argv:
    for r in csv.DictReader(open(os.path.join(data, "catalog/tidytuesday_spotify_songs.csv"), encoding="utf-8")):
        rows.setdefault(r["track_id"], (r["track_artist"].lower().strip(), r))

print(f"{len(rows)} distinct tracks")
for feature in ["energy", "loudness", "danceability", "valence", "tempo"]:
    by_artist = collections.defaultdict(list)
    for artist, r in rows.values():
        try:
            by_artist[artist].append(float(r[feature]))
        except ValueError:
            pass
    ys, predictions = [], []
    for values in by_artist.values():
        if len(values) < 2:
            continue
        total, n = sum(values), len(values)
        for y in values:
            ys.append(y)
            predictions.append((total - y) / (n - 1))
    mean = sum(ys) / len(ys)
    r2 = 1 - sum((y - p) ** 2 for y, p in zip(ys, predictions)) / sum((y - mean) ** 2 for y in ys)
    print(f"{feature:13s} {len(ys)} tracks  leave-one-out artist mean R2 {r2:.3f}")
