using System.Globalization;
using System.Text;
using Recs.Core;
using Recs.Core.Prediction;
using Recs.Core.Catalog;

static class Csv
{
    public static IEnumerable<string[]> Read(string path)
    {
        using var r = new StreamReader(path, Encoding.UTF8, true);
        var sb = new StringBuilder(); var fields = new List<string>(); bool inQ = false;
        int c;
        while ((c = r.Read()) != -1)
        {
            var ch = (char)c;
            if (inQ) { if (ch == '"') { if (r.Peek() == '"') { sb.Append('"'); r.Read(); } else inQ = false; } else sb.Append(ch); }
            else if (ch == '"') inQ = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else if (ch == '\n') { fields.Add(sb.ToString().TrimEnd('\r')); sb.Clear(); yield return fields.ToArray(); fields.Clear(); }
            else sb.Append(ch);
        }
        if (sb.Length > 0 || fields.Count > 0) { fields.Add(sb.ToString()); yield return fields.ToArray(); }
    }
    static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
    static double? OD(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static List<TrainingExample> Kaggle(string path)
    {
        var byId = new Dictionary<string, (TrainingExample e, List<string> g)>();
        foreach (var f in Read(path).Skip(1))
        {
            if (f.Length < 21) continue;
            var id = f[1];
            if (byId.TryGetValue(id, out var ex)) { ex.g.Add(f[20]); continue; }
            var meta = new TrackMetadata { Id = id, Name = f[4], Artists = f[2].Split(';', StringSplitOptions.RemoveEmptyEntries), Album = f[3],
                Popularity = int.Parse(f[5]), DurationMs = int.Parse(f[6]), Explicit = f[7] == "True" };
            var feat = new AudioFeatures(D(f[18]), D(f[9]), D(f[8]), D(f[17]), D(f[11]));
            var g = new List<string> { f[20] };
            byId[id] = (new TrainingExample(meta, feat, g), g);
        }
        return byId.Values.Select(v => v.e).ToList();
    }

    public static List<TrainingExample> Tidy(string path, HashSet<string> skip)
    {
        var byId = new Dictionary<string, (TrainingExample e, List<string> g)>();
        foreach (var f in Read(path).Skip(1))
        {
            if (f.Length < 23) continue;
            var id = f[0];
            if (skip.Contains(id)) continue;
            if (byId.TryGetValue(id, out var ex)) { if (!ex.g.Contains(f[10])) ex.g.Add(f[10]); continue; }
            int? year = f[6].Length >= 4 && int.TryParse(f[6][..4], out var y) && y > 1900 ? y : null;
            var meta = new TrackMetadata { Id = id, Name = f[1], Artists = [f[2]], Album = f[5], Popularity = int.Parse(f[3]), DurationMs = int.Parse(f[22]), ReleaseYear = year };
            var feat = new AudioFeatures(D(f[21]), D(f[12]), D(f[11]), D(f[20]), D(f[14]));
            var g = new List<string> { f[10] };
            byId[id] = (new TrainingExample(meta, feat, g), g);
        }
        return byId.Values.Select(v => v.e).ToList();
    }

    public static List<ArtistProfile> Artists(string path)
    {
        var list = new List<ArtistProfile>();
        foreach (var f in Read(path).Skip(1))
        {
            if (f.Length < 16) continue;
            var genres = f[0] == "[]" ? [] : GenreTerms.Split(f[0]);
            list.Add(new ArtistProfile(f[1], genres, new AudioFeatures(D(f[10]), D(f[5]), D(f[3]), D(f[11]), D(f[8])), (int)D(f[15])));
        }
        return list;
    }

    public static List<TrackMetadata> Library(string path)
    {
        var rows = Read(path).ToList();
        var h = rows[0].Select(x => x.Trim().Trim('\uFEFF').Trim()).ToList();
        int I(params string[] names) { foreach (var n in names) { var i = h.FindIndex(x => x.Equals(n, StringComparison.OrdinalIgnoreCase)); if (i >= 0) return i; } return -1; }
        int id = I("Track URI", "Track ID", "Spotify ID"), name = I("Track Name"), art = I("Artist Name(s)"), rel = I("Release Date", "Album Release Date"),
            dur = I("Duration (ms)", "Track Duration (ms)"), pop = I("Popularity"), ex = I("Explicit"), gen = I("Genres", "Artist Genres"),
            te = I("Tempo"), en = I("Energy"), da = I("Danceability"), va = I("Valence"), lo = I("Loudness");
        var list = new List<TrackMetadata>();
        foreach (var f in rows.Skip(1))
        {
            if (f.Length < h.Count) continue;
            var feats = te >= 0 && OD(f[te]) is { } t && OD(f[en]) is { } e && OD(f[da]) is { } d && OD(f[va]) is { } v && OD(f[lo]) is { } l ? new AudioFeatures(t, e, d, v, l) : (AudioFeatures?)null;
            int? year = rel >= 0 && f[rel].Length >= 4 ? (int.TryParse(f[rel].Contains('/') ? f[rel][^4..] : f[rel][..4], out var y) && y > 1900 ? y : null) : null;
            list.Add(new TrackMetadata { Id = id >= 0 ? f[id].Replace("spotify:track:", "") : null, Name = f[name], Artists = f[art].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                ReleaseYear = year, DurationMs = dur >= 0 && int.TryParse(f[dur], out var dm) ? dm : null, Popularity = pop >= 0 && int.TryParse(f[pop], out var p) ? p : null,
                Explicit = ex >= 0 && bool.TryParse(f[ex], out var b) ? b : null, Genres = gen >= 0 ? GenreTerms.Split(f[gen]) : [], KnownFeatures = feats });
        }
        return list;
    }
}
