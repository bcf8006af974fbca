using System.Buffers;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace Recs.Core.Prediction;

/// <summary>
/// One fitted ML.NET tree-ensemble regressor flattened into contiguous arrays and scored with a tight loop: the same
/// trees, the same branches and the same sum as ML.NET's <c>Transform</c>, without copying every row into a data view
/// and through a cursor per model (which was most of the prediction time).
/// <para>
/// What ML.NET 5.0.1 does, and so what this does (read from the assemblies: <c>InternalRegressionTree.GetLeafCore</c>,
/// <c>InternalTreeEnsemble.GetOutput</c>, <c>TreeEnsembleModelParameters.Map</c>, LightGBM's <c>Booster.GetModel</c>):
/// a node sends a value <c>x</c> left when <c>x ≤ threshold</c>. A NaN input is first replaced by the node's
/// <c>DefaultValueForMissing</c> when the tree has that array; LightGBM's conversion fills it with the threshold for
/// "missing goes left" and threshold + 1 for "missing goes right" (0 for nodes without missing handling), and ML.NET
/// drops the array when it is all zeros — then NaN is compared as it is and, failing every comparison, goes right.
/// The per-node outcome for NaN is therefore fixed when the model is built and is precomputed here as
/// <c>default ≤ threshold</c>, evaluated in float exactly as ML.NET does. The score is the plain double sum of the
/// trees' leaf values in tree order, cast to float (tree weights and the ensemble bias are not used by ML.NET's
/// scoring; a model where they would matter is refused); FastForest divides that float by the number of trees.
/// </para>
/// <para>
/// Compiled: LightGBM and FastTree regressors (<see cref="RegressionPredictionTransformer{TModel}"/>), FastForest,
/// and those behind the mean-imputation transform the FastTree/FastForest pipelines put first (its per-slot
/// replacement values are read by passing an all-NaN row through it). Anything else — SDCA with its normaliser,
/// categorical splits (our dense float input never produces them: the feature column has no categorical slot
/// annotation), or an ML.NET whose internals are not where 5.0.1 keeps them — is refused with a reason, and
/// <see cref="MetadataPredictor"/> keeps ML.NET's <c>Transform</c> for that model.
/// </para>
/// </summary>
internal sealed class CompiledTreeEnsemble
{
    /// <summary>Rows scored together, tree by tree: a block of 64 input rows (~22 KB) stays in the L1 cache while every tree walks it.</summary>
    internal const int BlockRows = 64;

    // Child references: ≥ 0 is a node index into _nodes, < 0 is ~(leaf index into _leaves), for every tree at once.
    private readonly Node[] _nodes;
    private readonly double[] _leaves;
    private readonly int[] _roots;
    private readonly float[]? _missingReplacement;
    private readonly bool _average;

    private CompiledTreeEnsemble(Node[] nodes, double[] leaves, int[] roots, float[]? missingReplacement, bool average, int inputLength)
    {
        _nodes = nodes;
        _leaves = leaves;
        _roots = roots;
        _missingReplacement = missingReplacement;
        _average = average;
        InputLength = inputLength;
    }

    /// <summary>Length of every input row.</summary>
    public int InputLength { get; }

    /// <summary>Number of trees.</summary>
    public int Trees => _roots.Length;

    /// <summary>Split nodes of all trees.</summary>
    internal int Nodes => _nodes.Length;

    /// <summary>Split nodes that send a NaN input left (the others send it right): tests check both kinds are exercised.</summary>
    internal int NodesSendingMissingLeft => _nodes.Count(n => n.Feature < 0);

    /// <summary>
    /// Compiles <paramref name="model"/> when it is a tree ensemble this class reproduces exactly; otherwise returns
    /// null and says why in <paramref name="reason"/> (the caller then scores with ML.NET).
    /// </summary>
    public static CompiledTreeEnsemble? TryCompile(MLContext ml, ITransformer model, int inputLength, out string reason)
    {
        try
        {
            var stages = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
            float[]? replacement = null;
            if (stages.Count == 2 && stages[0] is MissingValueReplacingTransformer imputer)
            {
                replacement = ReplacementValues(ml, imputer, inputLength);
                stages.RemoveAt(0);
            }

            if (stages.Count != 1 || stages[0] is not ISingleFeaturePredictionTransformer<object> predictor)
            {
                reason = $"not a single tree-ensemble regressor ({string.Join(" → ", stages.Select(s => s.GetType().Name))})";
                return null;
            }

            if (predictor.FeatureColumnName != MetadataModelTrainer.FeaturesColumn
                || predictor.FeatureColumnType is not VectorDataViewType vector
                || vector.ItemType != NumberDataViewType.Single
                || vector.Size != inputLength)
            {
                reason = $"the regressor reads {predictor.FeatureColumnName} as {predictor.FeatureColumnType}, not {inputLength} floats";
                return null;
            }

            var compiled = predictor.Model switch
            {
                LightGbmRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble.Trees, p.TrainedTreeEnsemble, replacement, false, inputLength),
                FastTreeRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble.Trees, p.TrainedTreeEnsemble, replacement, false, inputLength),
                FastForestRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble.Trees, p.TrainedTreeEnsemble, replacement, true, inputLength),
                _ => throw new NotSupportedException($"{predictor.Model.GetType().Name} is not a supported tree ensemble"),
            };
            reason = "";
            return compiled;
        }
        catch (NotSupportedException e)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> (row-major, <see cref="InputLength"/> floats each) into <paramref name="scores"/>
    /// (one per row). Allocation-free but for one pooled buffer when the model imputes.
    /// </summary>
    public void Score(ReadOnlySpan<float> rows, Span<float> scores)
    {
        var length = InputLength;
        if (rows.Length != scores.Length * length)
        {
            throw new ArgumentException($"{rows.Length} inputs for {scores.Length} rows of {length}", nameof(rows));
        }

        var imputed = _missingReplacement is null ? null : ArrayPool<float>.Shared.Rent(BlockRows * length);
        try
        {
            Span<double> sums = stackalloc double[BlockRows];
            for (var start = 0; start < scores.Length; start += BlockRows)
            {
                var count = Math.Min(BlockRows, scores.Length - start);
                var block = rows.Slice(start * length, count * length);
                if (imputed is not null)
                {
                    block = Impute(block, imputed.AsSpan(0, block.Length));
                }

                ScoreBlock(block, count, sums);
                for (var r = 0; r < count; r++)
                {
                    scores[start + r] = _average ? (float)sums[r] / _roots.Length : (float)sums[r];
                }
            }
        }
        finally
        {
            if (imputed is not null)
            {
                ArrayPool<float>.Shared.Return(imputed);
            }
        }
    }

    /// <summary>Tree by tree over the block's rows; each row's sum still adds the trees in their order, as ML.NET does.</summary>
    private void ScoreBlock(ReadOnlySpan<float> block, int count, Span<double> sums)
    {
        var length = InputLength;
        sums[..count].Clear();
        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        ref var first = ref MemoryMarshal.GetReference(block);
        foreach (var root in _roots)
        {
            for (var r = 0; r < count; r++)
            {
                // Feature indexes were checked against InputLength when compiling, so the row reads stay in bounds.
                ref var row = ref Unsafe.Add(ref first, r * length);
                var node = root;
                while (node >= 0)
                {
                    ref var n = ref Unsafe.Add(ref nodes, node);
                    var x = Unsafe.Add(ref row, n.Feature & Node.FeatureMask);
                    node = x <= n.Threshold || (n.Feature < 0 && float.IsNaN(x)) ? n.Left : n.Right;
                }

                sums[r] += Unsafe.Add(ref leaves, ~node);
            }
        }
    }

    private Span<float> Impute(ReadOnlySpan<float> block, Span<float> target)
    {
        block.CopyTo(target);
        var replacement = _missingReplacement!;
        for (var i = 0; i < target.Length; i++)
        {
            if (float.IsNaN(target[i]))
            {
                target[i] = replacement[i % replacement.Length];
            }
        }

        return target;
    }

    private static CompiledTreeEnsemble Flatten<TTree>(IReadOnlyList<TTree> trees, TreeEnsemble<TTree> ensemble, float[]? replacement, bool average, int inputLength)
        where TTree : RegressionTreeBase
    {
        if (ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1))
        {
            throw new NotSupportedException("the ensemble has a bias or tree weights, which ML.NET's own scoring ignores: refusing to guess");
        }

        var nodes = new List<Node>();
        var leaves = new List<double>();
        var roots = new int[trees.Count];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var nodeBase = nodes.Count;
            var leafBase = leaves.Count;
            leaves.AddRange(tree.LeafValues);
            if (tree.NumberOfNodes == 0)
            {
                // ML.NET's one-leaf placeholder tree scores 0; any other one-leaf tree is not something it builds.
                if (tree.LeafValues.Count != 1 || tree.LeafValues[0] != 0)
                {
                    throw new NotSupportedException($"tree {t} has no split but a non-zero leaf");
                }

                roots[t] = ~leafBase;
                continue;
            }

            var missing = DefaultValueForMissing(tree);
            for (var i = 0; i < tree.NumberOfNodes; i++)
            {
                if (tree.CategoricalSplitFlags[i])
                {
                    throw new NotSupportedException($"tree {t} has a categorical split");
                }

                var feature = tree.NumericalSplitFeatureIndexes[i];
                if (feature < 0 || feature >= inputLength)
                {
                    throw new NotSupportedException($"tree {t} splits on input {feature} of {inputLength}");
                }

                var threshold = tree.NumericalSplitThresholds[i];
                // ML.NET replaces NaN by the node's default and compares that with the threshold.
                var missingGoesLeft = missing is not null && missing[i] <= threshold;
                nodes.Add(new Node
                {
                    Feature = missingGoesLeft ? feature | Node.MissingGoesLeft : feature,
                    Threshold = threshold,
                    Left = Child(tree.LeftChild[i], nodeBase, leafBase, tree),
                    Right = Child(tree.RightChild[i], nodeBase, leafBase, tree),
                });
            }

            roots[t] = nodeBase;
        }

        return new CompiledTreeEnsemble([.. nodes], [.. leaves], roots, replacement, average, inputLength);
    }

    private static int Child(int child, int nodeBase, int leafBase, RegressionTreeBase tree)
    {
        if (child >= 0 ? child >= tree.NumberOfNodes : ~child >= tree.NumberOfLeaves)
        {
            throw new NotSupportedException($"child reference {child} outside the tree");
        }

        return child >= 0 ? nodeBase + child : ~(leafBase + ~child);
    }

    /// <summary>
    /// The tree's per-node replacement for NaN inputs (null: NaN is compared as it is). Not public in ML.NET: read once,
    /// by reflection, from the internal tree the public one wraps; anything unexpected refuses compilation.
    /// </summary>
    private static float[]? DefaultValueForMissing(RegressionTreeBase tree)
    {
        var inner = TreeField?.GetValue(tree) ?? throw new NotSupportedException("ML.NET's RegressionTreeBase._tree is not there");
        var field = inner.GetType().GetField("DefaultValueForMissing", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        if (field is null || field.FieldType != typeof(float[]))
        {
            throw new NotSupportedException($"{inner.GetType().Name}.DefaultValueForMissing is not a float[]");
        }

        var values = (float[]?)field.GetValue(inner);
        if (values is not null && values.Length < tree.NumberOfNodes)
        {
            throw new NotSupportedException($"DefaultValueForMissing has {values.Length} values for {tree.NumberOfNodes} nodes");
        }

        return values;
    }

    private static readonly FieldInfo? TreeField = typeof(RegressionTreeBase).GetField("_tree", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>Per-slot values the imputer puts in place of NaN: what it makes of a row that is all NaN.</summary>
    private static float[] ReplacementValues(MLContext ml, MissingValueReplacingTransformer imputer, int inputLength)
    {
        var row = new float[inputLength];
        Array.Fill(row, float.NaN);
        var view = MetadataModelTrainer.ToDataView(ml, [row], null, 0, inputLength);
        var imputed = imputer.Transform(view);
        var column = imputed.Schema[MetadataModelTrainer.FeaturesColumn];
        if (column.Type is not VectorDataViewType { Size: var size } vector || size != inputLength || vector.ItemType != NumberDataViewType.Single)
        {
            throw new NotSupportedException($"the imputer makes {column.Type} of the features");
        }

        using var cursor = imputed.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        if (!cursor.MoveNext())
        {
            throw new NotSupportedException("the imputer returned no row");
        }

        getter(ref value);
        var dense = new float[inputLength];
        value.CopyTo(dense);
        return dense;
    }

    /// <summary>16 bytes, four to a cache line; the sign bit of <see cref="Feature"/> says where NaN goes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public const int MissingGoesLeft = int.MinValue;
        public const int FeatureMask = int.MaxValue;

        public int Feature;
        public float Threshold;
        public int Left;
        public int Right;
    }
}
