using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Recs.Core.Prediction.Training;

namespace Recs.Core.Prediction;

public static class PredictionExtensions
{
    /// <summary>Registers the training pipeline (loaded model versions carry their predictor: see <c>ModelArtifacts</c>).</summary>
    public static IHostApplicationBuilder AddPrediction(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RecsTrainer>();
        return builder;
    }
}
