using System.Text.Json;
using Microsoft.ML;
using Recs.Core;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;
using Recs.Tests.TestSupport;

namespace Recs.Tests.Core.Prediction;

/// <summary>
/// The featurizer's input table: every slot is written, by the entry that names it, with the value its name says —
/// so reordering or renaming an entry cannot mislabel <c>metadata_feature_names.json</c> or feed a saved model the
/// wrong inputs.
/// </summary>
public sealed class MetadataFeaturizerInputTests
{
    // Bits no computation produces: a slot still holding them was never written.
    private static readonly float Unwritten = BitConverter.Int32BitsToSingle(0x7FC0DEAD);

    /// <summary>Statistics with one value per feature and source, all different, so a swapped slot shows.</summary>
    private static FeatureStatistics Statistics() => new()
    {
        GlobalMean = [120, 0.5f, 0.5f, 0.5f, -9],
        GlobalStd = [30, 0.2f, 0.2f, 0.2f, 4],
        CatalogArtists = new(StringComparer.Ordinal)
        {
            ["artist one"] = new ArtistStat { Mean = [101, 0.11f, 0.21f, 0.31f, -11], Count = 3, Genres = ["dance pop"] },
            ["artist two"] = new ArtistStat { Mean = [105, 0.15f, 0.25f, 0.35f, -15], Count = 2, Genres = [] },
        },
        TableArtists = new(StringComparer.Ordinal)
        {
            ["artist one"] = new ArtistStat { Mean = [102, 0.12f, 0.22f, 0.32f, -12], Count = 4, Genres = ["dance pop"] },
        },
        GenreTerms = new(StringComparer.Ordinal)
        {
            ["g:dance pop"] = new GenreTermStat { Idf = 1, Weight = 5, Mean = [103, 0.13f, 0.23f, 0.33f, -13], CatalogMean = [107, 0.17f, 0.27f, 0.37f, -17] },
        },
        Neighbours = new(StringComparer.Ordinal)
        {
            ["artist one"] = new NeighbourStat { Mean = [104, 0.14f, 0.24f, 0.34f, -14], Similarity = 0.77f },
        },
        TextTerms = new(StringComparer.Ordinal)
        {
            ["sunrise"] = new TextTermStat { Mean = [106, 0.16f, 0.26f, 0.36f, -16], Artists = 4, Idf = 2 },
        },
        TopGenreWords = ["w:pop", "w:rock", "w:dance"],
    };

    private static readonly TrackMetadata Track = new()
    {
        Name = "Sunrise (Live)",
        Artists = ["Artist One", "Artist Two"],
        Popularity = 50,
        ReleaseYear = 2010,
        DurationMs = 120_000,
        Explicit = true,
        Genres = ["Dance Pop"],
    };

    [Fact]
    public void EachNamedInputHoldsTheValueItsNameSays()
    {
        var featurizer = new MetadataFeaturizer(Statistics());
        var x = new float[featurizer.Length];

        var tier = featurizer.Featurize(Track, x);

        float At(string name)
        {
            var i = featurizer.FeatureNames.ToList().IndexOf(name);
            Assert.True(i >= 0, $"no input named {name}");
            return x[i];
        }

        Assert.Equal(ConfidenceTier.ArtistKnown, tier);
        var expected = new Dictionary<string, float>
        {
            ["popularity"] = 0.5f, ["popularity_missing"] = 0,
            ["release_year"] = 0.5f, ["release_year_missing"] = 0,
            ["duration"] = 0.5f, ["duration_missing"] = 0,
            ["explicit"] = 1, ["explicit_missing"] = 0,
            ["artist_count"] = 2,
            ["title_live"] = 1, ["title_remix"] = 0, ["title_acoustic"] = 0, ["title_slowed"] = 0,
            ["catalog_artist_log_count"] = MathF.Log(4),
            ["table_artist_log_count"] = MathF.Log(5),
            ["genre_weight"] = 0.5f, // idf 1 × evidence 5 / (5 + 5)
            ["genre_count"] = 1,
            ["neighbour_similarity"] = 0.77f,
            ["rule_level"] = 0, // the artist's catalog mean
            ["text_weight"] = 2f * 4 / 9, // idf 2 × 4 artists / (4 + 5)
            ["genre_word_pop"] = 1, ["genre_word_rock"] = 0, ["genre_word_dance"] = 1,
        };
        string[] features = ["tempo", "energy", "danceability", "valence", "loudness"];
        (string Prefix, float[] Mean)[] means =
        [
            ("catalog_artist_", [101, 0.11f, 0.21f, 0.31f, -11]),
            ("table_artist_", [102, 0.12f, 0.22f, 0.32f, -12]),
            ("genre_", [103, 0.13f, 0.23f, 0.33f, -13]),
            ("neighbour_", [104, 0.14f, 0.24f, 0.34f, -14]),
            ("collaborator_", [105, 0.15f, 0.25f, 0.35f, -15]),
            ("rule_", [101, 0.11f, 0.21f, 0.31f, -11]),
            ("text_", [106, 0.16f, 0.26f, 0.36f, -16]),
        ];
        foreach (var (prefix, mean) in means)
        {
            for (var f = 0; f < features.Length; f++)
            {
                expected[prefix + features[f]] = mean[f];
            }
        }

        foreach (var (name, value) in expected)
        {
            Assert.True(Math.Abs(value - At(name)) < 1e-5, $"{name}: expected {value}, got {At(name)}");
        }
    }

    [Fact]
    public void MissingInputsAreNaNWithTheirFlagsSet()
    {
        var featurizer = new MetadataFeaturizer(Statistics());
        var x = new float[featurizer.Length];

        var tier = featurizer.Featurize(new TrackMetadata { Name = "Untitled", Artists = ["Nobody"] }, x);

        var names = featurizer.FeatureNames.ToList();
        Assert.Equal(ConfidenceTier.Nothing, tier);
        foreach (var name in new[] { "popularity", "release_year", "duration", "explicit", "catalog_artist_energy", "table_artist_log_count", "genre_tempo", "neighbour_similarity", "collaborator_valence", "text_loudness" })
        {
            Assert.True(float.IsNaN(x[names.IndexOf(name)]), name);
        }

        foreach (var name in new[] { "popularity_missing", "release_year_missing", "duration_missing", "explicit_missing" })
        {
            Assert.Equal(1f, x[names.IndexOf(name)]);
        }

        Assert.Equal(2f, x[names.IndexOf("rule_level")]); // the global mean
        Assert.Equal(-9f, x[names.IndexOf("rule_loudness")]);
    }

    [Fact]
    public void EverySlotIsWrittenOnceByTheEntryOfThatName()
    {
        var featurizer = new MetadataFeaturizer(Statistics());
        TrackMetadata[] tracks = [Track, new() { Name = "" }, Track with { Artists = ["Artist Two"], Genres = [] }];
        foreach (var track in tracks)
        {
            foreach (var hideArtist in new[] { false, true })
            {
                var whole = new float[featurizer.Length];
                Array.Fill(whole, Unwritten);
                featurizer.Featurize(track, whole, null, hideArtist);
                Assert.DoesNotContain(whole, v => IsUnwritten(v));

                // Each entry alone, on a vector of unwritten slots: it writes all of its slots and no other, and what it
                // writes is what the whole vector holds under those names.
                var offset = 0;
                foreach (var input in featurizer.Inputs)
                {
                    var alone = new float[featurizer.Length];
                    Array.Fill(alone, Unwritten);
                    WriteAlone(featurizer, input, track, hideArtist, alone.AsSpan(offset, input.Names.Length));
                    for (var i = 0; i < alone.Length; i++)
                    {
                        var mine = i >= offset && i < offset + input.Names.Length;
                        Assert.True(mine != IsUnwritten(alone[i]), $"slot {i} ({featurizer.FeatureNames[i]}) {(mine ? "not written by" : "written outside")} the entry {input.Names[0]}…");
                        if (mine)
                        {
                            Assert.Equal(input.Names[i - offset], featurizer.FeatureNames[i]);
                            Assert.Equal(BitConverter.SingleToInt32Bits(whole[i]), BitConverter.SingleToInt32Bits(alone[i]));
                        }
                    }

                    offset += input.Names.Length;
                }

                Assert.Equal(featurizer.Length, offset);
            }
        }
    }

    [Fact]
    public void InputNamesAreUniqueAndTheFixedOnesKeepTheirSavedOrder()
    {
        var featurizer = new MetadataFeaturizer(Statistics());

        Assert.Equal(featurizer.FeatureNames.Count, featurizer.FeatureNames.Distinct().Count());
        // The order of metadata_feature_names.json that every model version so far was trained with (docs/contracts.md §Artifacts).
        string[] fixedNames =
        [
            "popularity", "popularity_missing", "release_year", "release_year_missing", "duration", "duration_missing",
            "explicit", "explicit_missing", "artist_count",
            "title_remix", "title_live", "title_acoustic", "title_instrumental", "title_feat", "title_remaster", "title_edit",
            "title_version", "title_demo", "title_piano", "title_christmas", "title_slowed",
            .. Five("catalog_artist_"), "catalog_artist_log_count",
            .. Five("table_artist_"), "table_artist_log_count",
            .. Five("genre_"), "genre_weight", "genre_count",
            .. Five("neighbour_"), "neighbour_similarity",
            .. Five("collaborator_"),
            .. Five("rule_"), "rule_level",
            .. Five("text_"), "text_weight",
        ];
        Assert.Equal([.. fixedNames, "genre_word_pop", "genre_word_rock", "genre_word_dance"], featurizer.FeatureNames);

        static IEnumerable<string> Five(string prefix) => new[] { "tempo", "energy", "danceability", "valence", "loudness" }.Select(f => prefix + f);
    }

    [Fact]
    public void AVersionTrainedOnOtherInputsIsRefusedInsteadOfFedTheWrongValues()
    {
        using var dir = new TempDirectory();
        var examples = SyntheticCatalog.Examples(60);
        var models = MetadataModelTrainer.Train(new TrainingData(examples, []), new MetadataTrainingOptions { Trees = 5, MaskedCopies = false });
        var files = new ModelArtifacts(dir.Path);
        files.SaveMetadataModels(models.Featurizer, models.Models, models.InputSchema, SpreadCalibration.None);
        Assert.Equal(models.Featurizer.FeatureNames, files.LoadPredictor().Featurizer.FeatureNames);

        // The saved names with two inputs swapped: as if the table had been reordered after training.
        var names = models.Featurizer.FeatureNames.ToArray();
        (names[3], names[4]) = (names[4], names[3]);
        File.WriteAllText(files.PathOf(ModelArtifacts.FeatureNamesFile), JsonSerializer.Serialize(names));

        var refused = Assert.Throws<InvalidDataException>(files.LoadPredictor);
        Assert.Contains("metadata_feature_names.json", refused.Message);
        Assert.Contains("input 3", refused.Message);
    }

    private static bool IsUnwritten(float v) => BitConverter.SingleToInt32Bits(v) == BitConverter.SingleToInt32Bits(Unwritten);

    private static void WriteAlone(MetadataFeaturizer featurizer, MetadataFeaturizer.Input input, TrackMetadata track, bool hideArtist, Span<float> slots)
    {
        Span<float> genre = stackalloc float[AudioFeatures.Count];
        Span<float> collaborators = stackalloc float[AudioFeatures.Count];
        Span<float> rule = stackalloc float[AudioFeatures.Count];
        Span<float> text = stackalloc float[AudioFeatures.Count];
        var inputs = featurizer.Describe(track, null, hideArtist, genre, collaborators, rule, text);
        input.Write(in inputs, slots);
    }
}
