using Microsoft.ML;
using Microsoft.ML.Data;

namespace Recs.Core.Prediction.Featurization;

/// <summary>A row of the regressors' data: one featurized track and, in training, one feature's true value.</summary>
public sealed class MetadataRow
{
    public float Label { get; set; }
    public float[] Features { get; set; } = [];
}

/// <summary>
/// The ML.NET shape of the metadata regressors' input, shared by training (which fits on it) and serving (which
/// scores it): the column names and the in-memory data view of featurized rows.
/// </summary>
public static class MetadataSchema
{
    public const string LabelColumn = nameof(MetadataRow.Label);
    public const string FeaturesColumn = nameof(MetadataRow.Features);
    public const string ScoreColumn = "Score";

    /// <summary>An in-memory data view of feature vectors (and one feature's labels; rows without that label are left out).</summary>
    public static IDataView ToDataView(MLContext ml, IReadOnlyList<float[]> rows, IReadOnlyList<AudioFeatures>? labels, int feature, int length) =>
        ToDataView(ml, rows, labels, feature, Schema(length));

    /// <summary>As above with an already built <see cref="Schema(int)"/>.</summary>
    public static IDataView ToDataView(MLContext ml, IReadOnlyList<float[]> rows, IReadOnlyList<AudioFeatures>? labels, int feature, SchemaDefinition schema)
    {
        var items = new List<MetadataRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (labels is not null && !FeatureStatistics.IsKnown(labels[i], feature))
            {
                continue;
            }

            items.Add(new MetadataRow { Label = labels is null ? 0f : (float)labels[i][feature], Features = rows[i] });
        }

        return ml.Data.LoadFromEnumerable(items, schema);
    }

    /// <summary>The row schema with the input vector's length fixed (ML.NET needs it known to train and score).</summary>
    public static SchemaDefinition Schema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(MetadataRow));
        schema[nameof(MetadataRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return schema;
    }
}
