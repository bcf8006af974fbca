using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Recs.Core.Models;

namespace Recs.Core.Prediction;

public static class PredictionExtensions
{
    /// <summary>
    /// Registers the training pipeline and the predictor loader, so that every loaded model version carries its
    /// <see cref="MetadataPredictor"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPrediction(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IPredictorLoader, MetadataPredictorLoader>();
        builder.Services.TryAddSingleton<RecsTrainer>();
        return builder;
    }
}

/// <summary>Loads a version's <see cref="MetadataPredictor"/> when its directory has the metadata models.</summary>
public sealed class MetadataPredictorLoader : IPredictorLoader
{
    public IAudioFeaturePredictor? Load(string directory)
    {
        var complete = File.Exists(Path.Combine(directory, FeatureStatistics.FileName))
            && AudioFeatures.Names.All(n => File.Exists(Path.Combine(directory, MetadataPredictor.ModelFileName(n))));
        return complete ? MetadataPredictor.Load(directory) : null;
    }
}
