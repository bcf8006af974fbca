using Microsoft.ML;
using Microsoft.ML.Data;
using Recs.Core;
using Recs.Core.Prediction;
using Recs.Tests.TestSupport;
using Recs.Core.Prediction.Featurization;
using Recs.Core.Prediction.Serving;
using Recs.Core.Prediction.Training;

namespace Recs.Tests.Core.Prediction;

/// <summary>
/// The compiled tree evaluator against ML.NET's own <c>Transform</c> on real models trained by the product's trainer on
/// a synthetic catalog: the same score for every row, including rows with NaN in any input and rows that are all NaN.
/// </summary>
public sealed class CompiledTreeEnsembleTests : IClassFixture<CompiledTreeEnsembleTests.Fixture>
{
    private readonly Fixture _fixture;

    public CompiledTreeEnsembleTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture
    {
        public Fixture()
        {
            Examples = SyntheticCatalog.Examples(300, seed: 7);
            LightGbm = MetadataModelTrainer.Train(new TrainingData(Examples, []), SyntheticCatalog.FastOptions);
            Rows = TestRows(LightGbm.Featurizer, Examples);
        }

        public List<TrainingExample> Examples { get; }
        public MetadataModels LightGbm { get; }

        /// <summary>Featurized rows: as a library has them, masked, with random inputs set to NaN, all NaN.</summary>
        public List<float[]> Rows { get; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LightGbmTreesScoreExactlyAsMLNetIncludingMissingInputs(bool eightRowsAtOnce)
    {
        var ml = new MLContext(1);
        var length = _fixture.LightGbm.Featurizer.Length;
        for (var f = 0; f < AudioFeatures.Count; f++)
        {
            var model = _fixture.LightGbm.Models[f];
            var compiled = CompiledTreeEnsemble.TryCompile(ml, model, length, out var reason);
            Assert.True(compiled is not null, reason);
            compiled.EightRowsAtOnce = eightRowsAtOnce;

            Assert.Equal(eightRowsAtOnce, compiled.EightRowsAtOnce);
            Assert.Equal(SyntheticCatalog.FastOptions.Trees, compiled.Trees);
            // Both NaN directions occur, so the rows with NaN below test both.
            Assert.InRange(compiled.NodesSendingMissingLeft, 1, compiled.Nodes - 1);
            AssertSameScores(MLNetScores(ml, model, _fixture.Rows), Score(compiled, _fixture.Rows), AudioFeatures.Names[f]);
        }
    }

    [Fact]
    public void OnThisMachineEightRowsAreScoredAtOnce()
    {
        // The vector path is the one production runs on x64; it must not silently be the scalar one.
        var compiled = CompiledTreeEnsemble.TryCompile(new MLContext(1), _fixture.LightGbm.Models[0], _fixture.LightGbm.Featurizer.Length, out _)!;

        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, compiled.EightRowsAtOnce);
    }

    [Fact]
    public void ModelsSavedAndLoadedAsTheAppLoadsThemCompileToTheSameScores()
    {
        using var dir = new TempDirectory();
        var ml = new MLContext(0);
        var length = _fixture.LightGbm.Featurizer.Length;
        var path = dir.File("model.zip");
        ml.Model.Save(_fixture.LightGbm.Models[1], _fixture.LightGbm.InputSchema, path);
        var loaded = ml.Model.Load(path, out _);

        var compiled = CompiledTreeEnsemble.TryCompile(ml, loaded, length, out var reason);

        Assert.True(compiled is not null, reason);
        AssertSameScores(MLNetScores(ml, loaded, _fixture.Rows), Score(compiled, _fixture.Rows), "energy (loaded)");
    }

    [Theory]
    [InlineData(MetadataTrainers.FastTree, true)]
    [InlineData(MetadataTrainers.FastTree, false)]
    [InlineData(MetadataTrainers.FastForest, true)]
    public void FastTreeAndFastForestBehindTheImputerScoreExactlyAsMLNet(string trainer, bool eightRowsAtOnce)
    {
        var ml = new MLContext(1);
        var examples = _fixture.Examples.Take(600).ToList();
        var models = MetadataModelTrainer.Train(new TrainingData(examples, []), SyntheticCatalog.FastOptions with { Trainer = trainer, Trees = 20 });
        var rows = TestRows(models.Featurizer, examples);
        var model = models.Models[1];

        var compiled = CompiledTreeEnsemble.TryCompile(ml, model, models.Featurizer.Length, out var reason);
        Assert.True(compiled is not null, reason);
        compiled.EightRowsAtOnce = eightRowsAtOnce;

        AssertSameScores(MLNetScores(ml, model, rows), Score(compiled, rows), $"{trainer} energy");
    }

    [Fact]
    public void SdcaIsNotCompiledAndThePredictorScoresItWithMLNet()
    {
        var examples = _fixture.Examples.Take(400).ToList();
        var models = MetadataModelTrainer.Train(new TrainingData(examples, []), SyntheticCatalog.FastOptions with { Trainer = MetadataTrainers.Sdca });
        var tracks = Library(examples).Take(300).ToList();

        var predictor = new MetadataPredictor(new MLContext(1), models.Featurizer, models.Models);
        var reference = new MetadataPredictor(new MLContext(1), models.Featurizer, models.Models, null, compileTrees: false);

        Assert.Null(CompiledTreeEnsemble.TryCompile(new MLContext(1), models.Models[0], models.Featurizer.Length, out var reason));
        Assert.Contains("not a single tree-ensemble regressor", reason, StringComparison.Ordinal);
        Assert.All(predictor.ScoringPaths, p => Assert.StartsWith("ML.NET Transform", p, StringComparison.Ordinal));
        Assert.Equal(reference.Predict(tracks), predictor.Predict(tracks));
    }

    [Fact]
    public void ThePredictorWithCompiledTreesGivesMLNetsPredictionsAloneAndInLargeBatches()
    {
        var models = _fixture.LightGbm;
        var compiled = new MetadataPredictor(new MLContext(1), models.Featurizer, models.Models);
        var reference = new MetadataPredictor(new MLContext(1), models.Featurizer, models.Models, null, compileTrees: false);
        // More than 4,096 tracks: the predictor splits the batch per core and the evaluator into blocks of 64 rows.
        var library = Library(_fixture.Examples);
        var batch = Enumerable.Range(0, 5_000).Select(i => library[i % library.Count] with { Name = $"{library[i % library.Count].Name} {i}" }).ToList();

        var together = compiled.Predict(batch);
        var expected = reference.Predict(batch);

        Assert.All(compiled.ScoringPaths, p => Assert.StartsWith("compiled trees", p, StringComparison.Ordinal));
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.Equal(expected[i].Tier, together[i].Tier);
            for (var f = 0; f < AudioFeatures.Count; f++)
            {
                AssertClose(expected[i].Features[f], together[i].Features[f], $"track {i} {AudioFeatures.Names[f]}");
            }
        }

        foreach (var i in new[] { 0, 63, 64, 2_499, 2_500, 4_999 })
        {
            Assert.Equal(together[i], compiled.Predict(batch[i]));
        }
    }

    [Fact]
    public void AnAllNaNRowScoresTheSameAloneAsAmongOtherRows()
    {
        var ml = new MLContext(1);
        var length = _fixture.LightGbm.Featurizer.Length;
        var compiled = CompiledTreeEnsemble.TryCompile(ml, _fixture.LightGbm.Models[4], length, out var reason)!;
        var nan = new float[length];
        Array.Fill(nan, float.NaN);

        // Row 100 is the fifth in its group of eight; alone it is the first, with the other lanes repeating it.
        var alone = Score(compiled, [nan]);
        var among = Score(compiled, [.. _fixture.Rows.Take(100), nan, .. _fixture.Rows.Take(10)]);

        Assert.True(reason.Length == 0, reason);
        Assert.Equal(alone[0], among[100]);
        Assert.Equal(MLNetScores(ml, _fixture.LightGbm.Models[4], [nan])[0], alone[0]);
    }

    private static List<TrackMetadata> Library(IEnumerable<TrainingExample> examples) => examples
        .SelectMany(e => new[]
        {
            e.Metadata,
            e.Metadata with { Popularity = null, Genres = [] },
            e.Metadata with { Artists = ["Someone New"], ReleaseYear = null },
            e.Metadata with { Artists = [], Genres = [], Popularity = null, DurationMs = null, Explicit = null, ReleaseYear = null },
        })
        .ToList();

    private static List<float[]> TestRows(MetadataFeaturizer featurizer, IReadOnlyList<TrainingExample> examples)
    {
        var random = new Random(11);
        var rows = new List<float[]>();
        foreach (var track in Library(examples))
        {
            var x = new float[featurizer.Length];
            featurizer.Featurize(track, x);
            rows.Add(x);

            // The same row with a random third of its inputs missing, whatever they are.
            var holes = (float[])x.Clone();
            for (var i = 0; i < holes.Length; i++)
            {
                if (random.Next(3) == 0)
                {
                    holes[i] = float.NaN;
                }
            }

            rows.Add(holes);
        }

        for (var i = 0; i < 5; i++)
        {
            var nan = new float[featurizer.Length];
            Array.Fill(nan, float.NaN);
            rows.Add(nan);
        }

        return rows;
    }

    private static float[] Score(CompiledTreeEnsemble compiled, IReadOnlyList<float[]> rows)
    {
        var flat = rows.SelectMany(r => r).ToArray();
        var scores = new float[rows.Count];
        compiled.Score(flat, scores);
        return scores;
    }

    private static float[] MLNetScores(MLContext ml, ITransformer model, IReadOnlyList<float[]> rows)
    {
        var view = MetadataSchema.ToDataView(ml, rows, null, 0, rows[0].Length);
        return model.Transform(view).GetColumn<float>(MetadataSchema.ScoreColumn).ToArray();
    }

    private static void AssertSameScores(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i], $"{what}, row {i}");
        }
    }

    // ML.NET 5.0.1 and the compiled trees agree bit for bit today; the tolerance only allows a different but exact-enough sum.
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{what}: ML.NET {expected}, compiled {actual}");
}
