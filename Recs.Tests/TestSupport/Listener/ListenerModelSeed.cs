using System.Globalization;
using System.Text;
using Recs.Core.Catalog;
using Recs.Core.Demo;
using Recs.Web.Cli;

namespace Recs.Tests.TestSupport.Listener;

/// <summary>
/// Gives a data directory a real, active model before the app starts: a small synthetic catalog (the demo generator's)
/// written as a Kaggle CSV and run through the real <c>train</c> verb (import + cluster model + metadata regressors).
/// </summary>
public static class ListenerModelSeed
{
    public const string KaggleHeader =
        ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";

    /// <summary>The demo generator's seed of the catalog most tests train on.</summary>
    public const int DefaultCatalogSeed = 5;

    /// <summary>Trains and activates a model on <paramref name="trackCount"/> synthetic catalog tracks; returns them.</summary>
    /// <remarks><paramref name="settings"/> are passed to the verb as <c>--Key=value</c> (e.g. the PostgreSQL provider and connection string).</remarks>
    public static async Task<IReadOnlyList<CatalogTrack>> TrainAsync(string dataDirectory, int trackCount = 600, int k = 3, IReadOnlyDictionary<string, string>? settings = null,
        int catalogSeed = DefaultCatalogSeed)
    {
        var catalog = DemoCatalogGenerator.Generate(seed: catalogSeed, trackCount: trackCount).Tracks;
        var csv = Path.Combine(dataDirectory, "seed-catalog.csv");
        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(csv, ToKaggleCsv(catalog));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliRunner.RunAsync(
            ["train", "--csv", csv, "--output-dir", Path.Combine(dataDirectory, "models", "seed"), "--k", k.ToString(CultureInfo.InvariantCulture), "--trainer", "sdca", "--no-random-split", "--data-dir", dataDirectory,
                .. (settings ?? new Dictionary<string, string>()).Select(s => $"--{s.Key}={s.Value}")],
            stdout, stderr);
        if (exit != 0)
        {
            throw new InvalidOperationException($"train failed ({exit}): {stderr}");
        }

        return catalog;
    }

    private static string ToKaggleCsv(IReadOnlyList<CatalogTrack> tracks)
    {
        var sb = new StringBuilder(KaggleHeader).Append('\n');
        var i = 0;
        foreach (var t in tracks)
        {
            var genre = t.TrackGenres.Split(';')[0];
            sb.Append(CultureInfo.InvariantCulture, $"{i++},{t.Id},{Quote(t.Artists)},{Quote(t.AlbumName)},{Quote(t.Name)},{t.Popularity ?? 50},{t.DurationMs},{(t.Explicit == true ? "True" : "False")},")
              .Append(CultureInfo.InvariantCulture, $"{t.Danceability},{t.Energy},{t.Key},{t.Loudness},{t.Mode},{t.Speechiness},{t.Acousticness},{t.Instrumentalness},{t.Liveness},{t.Valence},{t.Tempo},{t.TimeSignature},{Quote(genre)}\n");
        }

        return sb.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
}
