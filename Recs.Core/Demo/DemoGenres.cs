namespace Recs.Core.Demo;

/// <summary>A feature's distribution: mean and standard deviation.</summary>
public readonly record struct Spread(double Mean, double Sd);

/// <summary>
/// One genre of the synthetic demo world: its Kaggle-style track genre label, the Spotify-style artist genres its
/// artists carry, and the distributions its tracks' features and metadata are drawn from.
/// </summary>
public sealed record DemoGenre(
    string Label,
    IReadOnlyList<string> SpotifyGenres,
    Spread Tempo,
    Spread Energy,
    Spread Danceability,
    Spread Valence,
    Spread Loudness,
    double Speechiness,
    double Acousticness,
    double Instrumentalness,
    double Popularity,
    double ExplicitRate,
    double YearMean,
    double DurationSeconds);

/// <summary>The fixed genre table of the demo world (15 genres with distinct sounds).</summary>
public static class DemoGenres
{
    /// <summary>All demo genres; their order is part of what makes the demo deterministic.</summary>
    public static readonly IReadOnlyList<DemoGenre> All =
    [
        new("pop", ["pop", "dance pop", "post-teen pop", "electropop"], new(118, 18), new(0.68, 0.12), new(0.66, 0.11), new(0.56, 0.19), new(-6.0, 1.8), 0.07, 0.18, 0.01, 66, 0.15, 2015, 205),
        new("edm", ["edm", "electro house", "progressive house", "big room"], new(127, 5), new(0.84, 0.09), new(0.68, 0.09), new(0.42, 0.18), new(-4.8, 1.4), 0.06, 0.04, 0.25, 55, 0.04, 2016, 215),
        new("hip-hop", ["hip hop", "rap", "trap", "southern hip hop"], new(96, 22), new(0.64, 0.12), new(0.79, 0.09), new(0.48, 0.2), new(-6.4, 1.9), 0.28, 0.14, 0.01, 62, 0.72, 2014, 200),
        new("rock", ["rock", "classic rock", "album rock", "hard rock"], new(126, 24), new(0.77, 0.13), new(0.50, 0.12), new(0.52, 0.2), new(-7.0, 2.2), 0.05, 0.12, 0.04, 52, 0.06, 1990, 245),
        new("metal", ["metal", "heavy metal", "thrash metal", "alternative metal"], new(132, 28), new(0.93, 0.05), new(0.40, 0.11), new(0.30, 0.14), new(-4.6, 1.5), 0.09, 0.01, 0.08, 42, 0.12, 2004, 270),
        new("punk", ["punk", "pop punk", "skate punk", "hardcore punk"], new(168, 18), new(0.91, 0.06), new(0.45, 0.11), new(0.55, 0.17), new(-4.9, 1.4), 0.07, 0.02, 0.01, 44, 0.22, 1999, 170),
        new("folk", ["indie folk", "folk", "singer-songwriter", "acoustic pop"], new(112, 24), new(0.34, 0.14), new(0.53, 0.12), new(0.40, 0.19), new(-10.5, 2.8), 0.04, 0.72, 0.05, 46, 0.02, 2012, 225),
        new("classical", ["classical", "early music", "orchestral", "chamber music"], new(98, 28), new(0.14, 0.09), new(0.30, 0.1), new(0.20, 0.12), new(-21.0, 4.5), 0.04, 0.93, 0.85, 30, 0.0, 1985, 330),
        new("ambient", ["ambient", "drone", "new age", "space music"], new(92, 26), new(0.20, 0.11), new(0.28, 0.11), new(0.11, 0.07), new(-19.0, 4.5), 0.04, 0.80, 0.82, 31, 0.0, 2010, 300),
        new("jazz", ["jazz", "bebop", "cool jazz", "contemporary jazz"], new(112, 30), new(0.40, 0.14), new(0.56, 0.12), new(0.52, 0.2), new(-11.0, 3.0), 0.06, 0.65, 0.45, 36, 0.01, 1972, 290),
        new("latin", ["reggaeton", "latin pop", "urbano latino", "latin"], new(98, 12), new(0.75, 0.09), new(0.78, 0.07), new(0.70, 0.15), new(-5.0, 1.4), 0.10, 0.15, 0.01, 62, 0.30, 2018, 210),
        new("r-n-b", ["r&b", "neo soul", "contemporary r&b", "soul"], new(100, 22), new(0.54, 0.13), new(0.66, 0.11), new(0.50, 0.2), new(-7.6, 2.0), 0.10, 0.28, 0.02, 52, 0.25, 2007, 230),
        new("country", ["country", "contemporary country", "country road", "modern country rock"], new(124, 24), new(0.63, 0.14), new(0.58, 0.1), new(0.60, 0.18), new(-6.4, 1.9), 0.04, 0.25, 0.01, 52, 0.03, 2011, 210),
        new("reggae", ["reggae", "roots reggae", "dancehall", "lovers rock"], new(86, 14), new(0.60, 0.12), new(0.78, 0.08), new(0.75, 0.14), new(-7.2, 2.0), 0.12, 0.18, 0.03, 40, 0.06, 1995, 235),
        new("lo-fi", ["lo-fi beats", "chillhop", "lo-fi", "jazz beats"], new(82, 9), new(0.35, 0.1), new(0.66, 0.09), new(0.40, 0.15), new(-11.0, 2.0), 0.08, 0.60, 0.70, 45, 0.0, 2019, 150),
    ];
}
