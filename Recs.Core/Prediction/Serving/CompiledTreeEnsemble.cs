using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using Recs.Core.Prediction.Featurization;

namespace Recs.Core.Prediction.Serving;

/// <summary>
/// One fitted ML.NET tree-ensemble regressor compiled into flat arrays and scored without ML.NET: the same trees,
/// the same branches and the same sum as ML.NET's <c>Transform</c>, several times faster than walking the trees.
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
/// How (QuickScorer, Lucchese et al., SIGIR 2015): each tree keeps a bit per leaf, leaves numbered left to right, all
/// set at first. A split whose test fails (the row goes right) rules out every leaf of its left subtree, so its mask
/// clears those bits; the row's leaf is then the lowest bit left. The splits of all trees are grouped by input and
/// sorted by threshold, so for each input only the splits with <c>threshold &lt; x</c> — a prefix — are visited,
/// with no tree walking and no unpredictable branch per node. Splits are grouped twice per input: those where NaN goes
/// right (a NaN input fails all of them) and those where NaN goes left (it fails none). With trees of at most 32
/// leaves, eight rows go side by side, one 32-bit lane each of a 256-bit vector: each split is then visited once for
/// the eight (up to the largest of their inputs) and applied to the lanes that go right without a branch — about
/// eight times faster than ML.NET's per-row tree walk on our five 300-tree models.
/// </para>
/// <para>
/// Compiled: LightGBM and FastTree regressors (<see cref="RegressionPredictionTransformer{TModel}"/>), FastForest,
/// and those behind the mean-imputation transform the FastTree/FastForest pipelines put first (its per-slot
/// replacement values are read by passing an all-NaN row through it). Anything else — SDCA with its normaliser,
/// categorical splits (our dense float input never produces them: the feature column has no categorical slot
/// annotation), trees of more than 64 leaves, or an ML.NET whose internals are not where 5.0.1 keeps them — is
/// refused with a reason, and <see cref="MetadataPredictor"/> keeps ML.NET's <c>Transform</c> for that model.
/// </para>
/// </summary>
internal sealed class CompiledTreeEnsemble
{
    private const int MaxLeaves = 64;
    private const int Lanes = 8;

    // Splits of all trees, grouped by (input, NaN direction) — group 2i: input i, NaN goes right; 2i + 1: NaN goes
    // left — and sorted by threshold within a group; _groupStart[g].._groupStart[g + 1] is group g.
    private readonly Split[] _splits;
    private readonly int[] _groupStart;

    // Leaf values of tree t, left to right, from _leafStart[t].
    private readonly double[] _leafValues;
    private readonly int[] _leafStart;
    private readonly float[]? _missingReplacement;
    private readonly bool _average;
    private readonly bool _leavesFitLanes;
    private bool _eightRowsAtOnce;

    private CompiledTreeEnsemble(Split[] splits, int[] groupStart, double[] leafValues, int[] leafStart, float[]? missingReplacement, bool average, int inputLength)
    {
        _splits = splits;
        _groupStart = groupStart;
        _leafValues = leafValues;
        _leafStart = leafStart;
        _missingReplacement = missingReplacement;
        _average = average;
        InputLength = inputLength;
        _leavesFitLanes = Enumerable.Range(0, leafStart.Length)
            .All(t => (t + 1 < leafStart.Length ? leafStart[t + 1] : leafValues.Length) - leafStart[t] <= 32);
        _eightRowsAtOnce = _leavesFitLanes && Vector256.IsHardwareAccelerated;
    }

    /// <summary>Length of every input row.</summary>
    public int InputLength { get; }

    /// <summary>Number of trees.</summary>
    public int Trees => _leafStart.Length;

    /// <summary>
    /// Whether eight rows are scored at once, a 32-bit lane each, in 256-bit vectors: when every tree has at most 32
    /// leaves and the machine has such vectors (x64 with AVX2). Otherwise one row at a time; tests turn this off to
    /// check that both paths agree.
    /// </summary>
    internal bool EightRowsAtOnce
    {
        get => _eightRowsAtOnce;
        set => _eightRowsAtOnce = value && _leavesFitLanes;
    }

    /// <summary>Split nodes of all trees.</summary>
    internal int Nodes => _splits.Length;

    /// <summary>Split nodes that send a NaN input left (the others send it right): tests check both kinds are exercised.</summary>
    internal int NodesSendingMissingLeft => Enumerable.Range(0, InputLength).Sum(i => _groupStart[(2 * i) + 2] - _groupStart[(2 * i) + 1]);

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

            if (predictor.FeatureColumnName != MetadataSchema.FeaturesColumn
                || predictor.FeatureColumnType is not VectorDataViewType vector
                || vector.ItemType != NumberDataViewType.Single
                || vector.Size != inputLength)
            {
                reason = $"the regressor reads {predictor.FeatureColumnName} as {predictor.FeatureColumnType}, not {inputLength} floats";
                return null;
            }

            var compiled = predictor.Model switch
            {
                LightGbmRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble, replacement, false, inputLength),
                FastTreeRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble, replacement, false, inputLength),
                FastForestRegressionModelParameters p => Flatten(p.TrainedTreeEnsemble, replacement, true, inputLength),
                _ => throw new NotSupportedException($"{predictor.Model.GetType().Name} is not a supported tree ensemble"),
            };
            reason = "";
            return compiled;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or InvalidCastException)
        {
            // Ours (what cannot be reproduced) or ML.NET's while probing the imputer: either way, ML.NET scores it.
            reason = e.Message;
            return null;
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> (row-major, <see cref="InputLength"/> floats each) into <paramref name="scores"/>
    /// (one per row), without allocating (for up to 512 trees).
    /// </summary>
    public void Score(ReadOnlySpan<float> rows, Span<float> scores)
    {
        var length = InputLength;
        if (rows.Length != scores.Length * length)
        {
            throw new ArgumentException($"{rows.Length} inputs for {scores.Length} rows of {length}", nameof(rows));
        }

        if (EightRowsAtOnce)
        {
            Span<Vector256<uint>> leaves8 = Trees <= 512 ? stackalloc Vector256<uint>[Trees] : new Vector256<uint>[Trees];
            Span<double> sums = stackalloc double[Lanes];
            for (var start = 0; start < scores.Length; start += Lanes)
            {
                var count = Math.Min(Lanes, scores.Length - start);
                ScoreEightRows(rows.Slice(start * length, count * length), count, leaves8, sums);
                for (var r = 0; r < count; r++)
                {
                    scores[start + r] = _average ? (float)sums[r] / Trees : (float)sums[r];
                }
            }

            return;
        }

        Span<ulong> leaves = Trees <= 1024 ? stackalloc ulong[Trees] : new ulong[Trees];
        for (var r = 0; r < scores.Length; r++)
        {
            var sum = ScoreRow(rows.Slice(r * length, length), leaves);
            scores[r] = _average ? (float)sum / Trees : (float)sum;
        }
    }

    /// <summary>
    /// Up to eight rows side by side, one 32-bit lane each: every split is visited once for all eight, up to the
    /// largest of their inputs, and applied without a branch to the lanes whose row goes right there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreEightRows(ReadOnlySpan<float> rows, int count, Span<Vector256<uint>> leaves, Span<double> sums)
    {
        var length = InputLength;
        leaves.Fill(Vector256<uint>.AllBitsSet);
        Span<float> x = stackalloc float[Lanes];
        Span<float> low = stackalloc float[Lanes];
        for (var i = 0; i < length; i++)
        {
            // A NaN input fails x ≤ threshold, so it goes right at every "NaN goes right" split as it is; at the
            // "NaN goes left" splits it passes as −∞, which is ≤ every threshold (even −∞ or +∞).
            var max = float.NegativeInfinity;
            var lowMax = float.NegativeInfinity;
            for (var r = 0; r < Lanes; r++)
            {
                // Lanes past the last row repeat the first one and are not summed.
                var value = Input(rows[((r < count ? r : 0) * length) + i], i);
                x[r] = value;
                low[r] = float.IsNaN(value) ? float.NegativeInfinity : value;
                max = float.IsNaN(value) || float.IsNaN(max) ? float.NaN : Math.Max(max, value);
                lowMax = Math.Max(lowMax, low[r]);
            }

            Apply(_splits.AsSpan(_groupStart[2 * i], _groupStart[(2 * i) + 1] - _groupStart[2 * i]), Vector256.Create<float>(x), max, leaves);
            Apply(_splits.AsSpan(_groupStart[(2 * i) + 1], _groupStart[(2 * i) + 2] - _groupStart[(2 * i) + 1]), Vector256.Create<float>(low), lowMax, leaves);
        }

        // Each row's sum still adds the trees in order; the eight rows' sums go side by side, so that their chains
        // of dependent additions overlap.
        var bits = MemoryMarshal.Cast<Vector256<uint>, uint>(leaves);
        var low4 = Vector256<double>.Zero;
        var high4 = Vector256<double>.Zero;
        for (var t = 0; t < leaves.Length; t++)
        {
            var tree = bits.Slice(t * Lanes, Lanes);
            var values = _leafValues.AsSpan(_leafStart[t]);
            low4 += Vector256.Create(
                values[BitOperations.TrailingZeroCount(tree[0])],
                values[BitOperations.TrailingZeroCount(tree[1])],
                values[BitOperations.TrailingZeroCount(tree[2])],
                values[BitOperations.TrailingZeroCount(tree[3])]);
            high4 += Vector256.Create(
                values[BitOperations.TrailingZeroCount(tree[4])],
                values[BitOperations.TrailingZeroCount(tree[5])],
                values[BitOperations.TrailingZeroCount(tree[6])],
                values[BitOperations.TrailingZeroCount(tree[7])]);
        }

        low4.CopyTo(sums);
        high4.CopyTo(sums[4..]);
    }

    /// <summary>
    /// Applies the splits (sorted by threshold) to the lanes that go right there. Past the largest input no lane goes
    /// right any more; when a lane is NaN (<paramref name="max"/> NaN) every split is visited, as NaN goes right even
    /// at a threshold of +∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply(ReadOnlySpan<Split> splits, Vector256<float> x, float max, Span<Vector256<uint>> leaves)
    {
        foreach (ref readonly var split in splits)
        {
            if (split.Threshold >= max)
            {
                break;
            }

            // Lanes where x ≤ threshold go left and keep every bit; the others lose the split's left subtree. (Tree
            // indexes were checked when compiling: no bounds check in this innermost loop.)
            var left = Vector256.LessThanOrEqual(x, Vector256.Create(split.Threshold)).AsUInt32();
            ref var tree = ref Unsafe.Add(ref MemoryMarshal.GetReference(leaves), split.Tree);
            tree &= left | Vector256.Create((uint)split.Mask);
        }
    }

    /// <summary>Input <paramref name="i"/> as the trees see it: after the imputer's replacement, when there is one.</summary>
    private float Input(float x, int i) => float.IsNaN(x) && _missingReplacement is not null ? _missingReplacement[i] : x;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ScoreRow(ReadOnlySpan<float> row, Span<ulong> leaves)
    {
        leaves.Fill(ulong.MaxValue);
        var splits = _splits.AsSpan();
        for (var i = 0; i < row.Length; i++)
        {
            var x = Input(row[i], i);

            var nanGoesRight = splits[_groupStart[2 * i].._groupStart[(2 * i) + 1]];
            var nanGoesLeft = splits[_groupStart[(2 * i) + 1].._groupStart[(2 * i) + 2]];
            if (float.IsNaN(x))
            {
                // Every "NaN goes right" split sends the row right; no "NaN goes left" split does.
                foreach (ref readonly var split in nanGoesRight)
                {
                    leaves[split.Tree] &= split.Mask;
                }

                continue;
            }

            // The row goes right where threshold < x, which for thresholds sorted ascending is a prefix.
            foreach (ref readonly var split in nanGoesRight)
            {
                if (split.Threshold >= x)
                {
                    break;
                }

                leaves[split.Tree] &= split.Mask;
            }

            foreach (ref readonly var split in nanGoesLeft)
            {
                if (split.Threshold >= x)
                {
                    break;
                }

                leaves[split.Tree] &= split.Mask;
            }
        }

        // The tree's leaf is its lowest bit left; add the trees in their order, in double, as ML.NET does.
        var sum = 0.0;
        for (var t = 0; t < leaves.Length; t++)
        {
            sum += _leafValues[_leafStart[t] + BitOperations.TrailingZeroCount(leaves[t])];
        }

        return sum;
    }

    private static CompiledTreeEnsemble Flatten<TTree>(TreeEnsemble<TTree> ensemble, float[]? replacement, bool average, int inputLength)
        where TTree : RegressionTreeBase
    {
        var trees = ensemble.Trees;
        if (ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1))
        {
            throw new NotSupportedException("the ensemble has a bias or tree weights, which ML.NET's own scoring ignores: refusing to guess");
        }

        var groups = new List<Split>[2 * inputLength];
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = [];
        }

        var leafValues = new List<double>();
        var leafStart = new int[trees.Count];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            leafStart[t] = leafValues.Count;
            if (tree.NumberOfNodes == 0)
            {
                // ML.NET's one-leaf placeholder tree scores 0; any other one-leaf tree is not something it builds.
                if (tree.LeafValues.Count != 1 || tree.LeafValues[0] != 0)
                {
                    throw new NotSupportedException($"tree {t} has no split but a non-zero leaf");
                }

                leafValues.Add(0);
                continue;
            }

            if (tree.NumberOfLeaves > MaxLeaves)
            {
                throw new NotSupportedException($"tree {t} has {tree.NumberOfLeaves} leaves, more than {MaxLeaves}");
            }

            // Leaves left to right: position[leaf] is the leaf's bit; leftLeaves[node] the bits of its left subtree.
            var position = new int[tree.NumberOfLeaves];
            var leftLeaves = new ulong[tree.NumberOfNodes];
            var next = 0;
            NumberLeaves(tree, 0, position, leftLeaves, ref next, 0);
            if (next != tree.NumberOfLeaves)
            {
                throw new NotSupportedException($"tree {t} reaches {next} of its {tree.NumberOfLeaves} leaves");
            }

            var ordered = new double[tree.NumberOfLeaves];
            for (var leaf = 0; leaf < ordered.Length; leaf++)
            {
                ordered[position[leaf]] = tree.LeafValues[leaf];
            }

            leafValues.AddRange(ordered);
            var missing = DefaultValueForMissing(tree);
            for (var i = 0; i < tree.NumberOfNodes; i++)
            {
                if (tree.CategoricalSplitFlags[i])
                {
                    throw new NotSupportedException($"tree {t} has a categorical split");
                }

                var input = tree.NumericalSplitFeatureIndexes[i];
                if (input < 0 || input >= inputLength)
                {
                    throw new NotSupportedException($"tree {t} splits on input {input} of {inputLength}");
                }

                var threshold = tree.NumericalSplitThresholds[i];
                if (float.IsNaN(threshold))
                {
                    throw new NotSupportedException($"tree {t} has a NaN threshold");
                }

                // ML.NET replaces NaN by the node's default and compares that with the threshold.
                var missingGoesLeft = missing is not null && missing[i] <= threshold;
                groups[(2 * input) + (missingGoesLeft ? 1 : 0)].Add(new Split { Threshold = threshold, Tree = t, Mask = ~leftLeaves[i] });
            }
        }

        var groupStart = new int[groups.Length + 1];
        var splits = new List<Split>();
        for (var g = 0; g < groups.Length; g++)
        {
            groupStart[g] = splits.Count;
            splits.AddRange(groups[g].OrderBy(s => s.Threshold));
        }

        groupStart[^1] = splits.Count;
        return new CompiledTreeEnsemble([.. splits], groupStart, [.. leafValues], leafStart, replacement, average, inputLength);
    }

    /// <summary>
    /// Numbers the leaves under <paramref name="node"/> left to right and returns their bits, filling the left-subtree
    /// bits of every split on the way; deeper than the node count means the children form a cycle.
    /// </summary>
    private static ulong NumberLeaves(RegressionTreeBase tree, int node, int[] position, ulong[] leftLeaves, ref int next, int depth)
    {
        if (node < 0)
        {
            if (~node >= position.Length || next >= position.Length)
            {
                throw new NotSupportedException($"leaf {~node} outside the tree");
            }

            position[~node] = next;
            return 1UL << next++;
        }

        if (node >= tree.NumberOfNodes || depth > tree.NumberOfNodes)
        {
            throw new NotSupportedException($"node {node} outside the tree or in a cycle");
        }

        var left = NumberLeaves(tree, tree.LeftChild[node], position, leftLeaves, ref next, depth + 1);
        leftLeaves[node] = left;
        return left | NumberLeaves(tree, tree.RightChild[node], position, leftLeaves, ref next, depth + 1);
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
        var view = MetadataSchema.ToDataView(ml, [row], null, 0, inputLength);
        var imputed = imputer.Transform(view);
        var column = imputed.Schema[MetadataSchema.FeaturesColumn];
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

    /// <summary>One split: 16 bytes, read in order when scoring.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Split
    {
        /// <summary>All bits but those of the leaves of the split's left subtree.</summary>
        public ulong Mask;
        public float Threshold;
        public int Tree;
    }
}
