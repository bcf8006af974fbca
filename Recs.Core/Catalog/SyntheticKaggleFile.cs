using System.Globalization;

namespace Recs.Core.Catalog;

/// <summary>
/// Writes a deterministic synthetic file in the exact Kaggle catalog format, shaped like the real dataset (114,000 rows,
/// ~89,000 distinct ids: a track repeats once per extra genre label). For measuring the import (the <c>bench</c> verb)
/// without the real download; the values are random within the valid ranges, not realistic music.
/// </summary>
public static class SyntheticKaggleFile
{
    /// <summary>The header of the real dataset, with its unnamed index column.</summary>
    public const string Header =
        ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";

    private static readonly string[] Genres =
        ["acoustic", "alt-rock", "ambient", "blues", "classical", "country", "dance", "edm", "folk", "hip-hop", "house", "indie", "jazz", "k-pop", "latin", "metal", "pop", "punk", "r-n-b", "rock", "soul", "techno"];

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Writes <paramref name="rows"/> data rows; about 22% of them repeat an earlier track under another genre.</summary>
    public static void Write(TextWriter writer, int rows = 114_000, int seed = 42)
    {
        var random = new Random(seed);
        var distinct = Math.Max(1, (int)(rows * 0.78));
        var ids = new List<string>(distinct);
        var id = new char[22];
        writer.Write(Header);
        writer.Write('\n');
        for (var i = 0; i < rows; i++)
        {
            string trackId;
            int track;
            if (i < distinct || ids.Count == 0)
            {
                for (var c = 0; c < id.Length; c++)
                {
                    id[c] = Base62[random.Next(Base62.Length)];
                }

                trackId = new string(id);
                ids.Add(trackId);
                track = ids.Count - 1;
            }
            else
            {
                track = random.Next(ids.Count);
                trackId = ids[track];
            }

            var artist = track % 20_000;
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{i},{trackId},Artist {artist};Guest {track % 7},Album {track % 30_000},\"Song {track}, Part {track % 3}\",{random.Next(101)},{random.Next(60_000, 400_000)},{(random.Next(10) == 0 ? "True" : "False")}," +
                $"{random.NextDouble():0.###},{random.NextDouble():0.###},{random.Next(-1, 12)},{-random.NextDouble() * 30:0.###},{random.Next(2)},{random.NextDouble() * 0.5:0.####}," +
                $"{random.NextDouble():0.####},{random.NextDouble() * 0.3:0.####},{random.NextDouble():0.####},{random.NextDouble():0.###},{(random.Next(50) == 0 ? 0 : 60 + random.NextDouble() * 140):0.###},4,{Genres[random.Next(Genres.Length)]}\n"));
        }
    }

    /// <summary>Writes the file to <paramref name="path"/>.</summary>
    public static void WriteFile(string path, int rows = 114_000, int seed = 42)
    {
        using var writer = new StreamWriter(path);
        Write(writer, rows, seed);
    }
}
