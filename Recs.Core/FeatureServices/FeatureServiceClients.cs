using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recs.Core.FeatureServices;

/// <summary>
/// A features service: audio features for up to <see cref="MaxBatchSize"/> Spotify track ids per call. Unknown ids
/// are simply absent from the answer. Transient failures (5xx, 408, a short 429) are retried beneath it; a long 429
/// surfaces as <see cref="FeatureServiceThrottledException"/>, anything else as <see cref="FeatureServiceException"/>.
/// </summary>
public interface IFeatureServiceClient
{
    /// <summary>The provider name (<see cref="FeatureServiceProviders"/>).</summary>
    string Provider { get; }

    /// <summary>Most ids one request takes.</summary>
    int MaxBatchSize { get; }

    /// <summary>One request for <paramref name="spotifyIds"/> (at most <see cref="MaxBatchSize"/>).</summary>
    Task<IReadOnlyList<ServiceAudioFeatures>> GetAudioFeaturesAsync(IReadOnlyList<string> spotifyIds, RequestTally? tally, CancellationToken cancellationToken);
}

/// <summary>Creates the configured provider's client over the resilient, counted <c>FeatureService</c> HttpClient.</summary>
public sealed class FeatureServiceClientFactory(IHttpClientFactory httpFactory, IOptions<FeatureServiceOptions> options, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>Name of the HttpClient (resilience and request counting configured in <see cref="FeatureServiceExtensions"/>).</summary>
    public const string HttpClientName = "FeatureService";

    /// <summary>The client for <see cref="FeatureServiceOptions.Provider"/>, or null when it is <c>none</c>.</summary>
    public IFeatureServiceClient? Create()
    {
        var o = options.Value;
        var http = o.Enabled ? httpFactory.CreateClient(HttpClientName) : null;
        return o.NormalizedProvider switch
        {
            FeatureServiceProviders.ReccoBeats => new ReccoBeatsFeatureClient(http!, o, time, loggers.CreateLogger<ReccoBeatsFeatureClient>()),
            FeatureServiceProviders.SpotifyCompatible => new SpotifyCompatibleFeatureClient(http!, o, time, loggers.CreateLogger<SpotifyCompatibleFeatureClient>()),
            _ => null,
        };
    }
}

/// <summary>
/// What the two providers share: the request, the key header, the status handling, reading the answer with its
/// source-generated type and keeping the valid rows asked for. A provider says only how its rows are found in its
/// answer (<see cref="Rows"/>).
/// </summary>
internal abstract class FeatureServiceHttpClient<TAnswer>(HttpClient http, FeatureServiceOptions options, TimeProvider time, ILogger logger,
    JsonTypeInfo<TAnswer> answerType) : IFeatureServiceClient
    where TAnswer : class
{
    protected const string Endpoint = "GET /audio-features";

    public abstract string Provider { get; }

    /// <summary>The configured batch size, capped at the provider's limit (<see cref="FeatureServiceOptions.EffectiveBatchSize"/>).</summary>
    public int MaxBatchSize => options.EffectiveBatchSize;

    protected FeatureServiceOptions Options => options;

    public async Task<IReadOnlyList<ServiceAudioFeatures>> GetAudioFeaturesAsync(IReadOnlyList<string> spotifyIds, RequestTally? tally, CancellationToken cancellationToken)
    {
        if (spotifyIds.Count == 0)
        {
            return [];
        }

        if (spotifyIds.Count > MaxBatchSize)
        {
            throw new ArgumentException($"{Provider} takes at most {MaxBatchSize} ids per request; got {spotifyIds.Count}.", nameof(spotifyIds));
        }

        var url = $"{options.ResolvedBaseUrl}/audio-features?ids={string.Join(',', spotifyIds.Select(Uri.EscapeDataString))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            if (string.Equals(options.ApiKeyHeader, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(options.ApiKeyHeader, options.ApiKey);
            }
        }

        if (tally is not null)
        {
            request.Options.Set(FeatureServiceCountingHandler.TallyKey, tally);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new FeatureServiceException($"The features service ({Provider}) did not answer {Endpoint}: {ex.Message}", 0, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = RetryAfter(response) ?? options.MaxRetryAfter;
                var until = time.GetUtcNow() + retryAfter;
                logger.LogWarning("The features service ({Provider}) answered 429 to {Endpoint}: asking nothing more until {Until:u}", Provider, Endpoint, until);
                throw new FeatureServiceThrottledException(until, retryAfter, Endpoint);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new FeatureServiceException($"The features service ({Provider}) answered {(int)response.StatusCode} {response.ReasonPhrase} to {Endpoint}.", (int)response.StatusCode);
            }

            try
            {
                var answer = await response.Content.ReadFromJsonAsync(answerType, cancellationToken);
                return KeepValid(answer is null ? [] : Rows(answer).OfType<ServiceAudioFeatures>(), spotifyIds);
            }
            catch (JsonException ex)
            {
                throw new FeatureServiceException($"The features service ({Provider}) answered {Endpoint} with JSON Recs cannot read: {ex.Message}", (int)response.StatusCode, ex);
            }
        }
    }

    /// <summary>The answer's rows in Recs' shape (null for a row without a Spotify id or without the five clustered features).</summary>
    protected abstract IEnumerable<ServiceAudioFeatures?> Rows(TAnswer answer);

    /// <summary>The rows for the requested ids (others ignored, the first row of an id kept); rows with invalid values are logged and left out.</summary>
    private List<ServiceAudioFeatures> KeepValid(IEnumerable<ServiceAudioFeatures> rows, IReadOnlyList<string> requested)
    {
        var wanted = requested.ToHashSet(StringComparer.Ordinal);
        var kept = new List<ServiceAudioFeatures>();
        foreach (var row in rows)
        {
            if (!wanted.Remove(row.SpotifyId))
            {
                continue; // not asked for, or a second row for the same id
            }

            if (row.Problem() is { } problem)
            {
                logger.LogWarning("The features service ({Provider}) gave track {Id} an invalid value ({Problem}); treating it as unknown", Provider, row.SpotifyId, problem);
                continue;
            }

            kept.Add(row);
        }

        return kept;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}

/// <summary>
/// ReccoBeats (<c>https://api.reccobeats.com/v1</c>, free, keyless): <c>GET /audio-features?ids=</c> with up to 40
/// Spotify ids answers <c>{"content":[…]}</c> for the tracks it knows. Rows carry ReccoBeats' own UUID as <c>id</c>;
/// the Spotify id is read from <c>href</c> (<c>https://open.spotify.com/track/{id}</c>), never from position.
/// </summary>
internal sealed class ReccoBeatsFeatureClient(HttpClient http, FeatureServiceOptions options, TimeProvider time, ILogger<ReccoBeatsFeatureClient> logger)
    : FeatureServiceHttpClient<ReccoBeatsAudioFeaturesResponse>(http, options, time, logger, FeatureServiceJsonContext.Default.ReccoBeatsAudioFeaturesResponse)
{
    public override string Provider => FeatureServiceProviders.ReccoBeats;

    protected override IEnumerable<ServiceAudioFeatures?> Rows(ReccoBeatsAudioFeaturesResponse answer) =>
        (answer.Content ?? []).OfType<ReccoBeatsAudioFeatures>().Select(r => r.ToFeatures(SpotifyIdFromHref(r.Href), timeSignature: null, durationMs: null));

    /// <summary>The Spotify track id in a ReccoBeats <c>href</c>, or null.</summary>
    public static string? SpotifyIdFromHref(string? href)
    {
        if (string.IsNullOrEmpty(href))
        {
            return null;
        }

        var at = href.IndexOf("/track/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var id = href.AsSpan(at + "/track/".Length);
        var end = id.IndexOfAny('?', '#', '/');
        if (end >= 0)
        {
            id = id[..end];
        }

        return id.Length > 0 ? id.ToString() : null;
    }
}

/// <summary>
/// Any service answering Spotify's own shape (<c>GET {BaseUrl}/audio-features?ids=</c> →
/// <c>{"audio_features":[… or null]}</c>), with an optional key header: paid services that mimic Spotify plug in here.
/// </summary>
internal sealed class SpotifyCompatibleFeatureClient(HttpClient http, FeatureServiceOptions options, TimeProvider time, ILogger<SpotifyCompatibleFeatureClient> logger)
    : FeatureServiceHttpClient<SpotifyAudioFeaturesResponse>(http, options, time, logger, FeatureServiceJsonContext.Default.SpotifyAudioFeaturesResponse)
{
    public override string Provider => FeatureServiceProviders.SpotifyCompatible;

    protected override IEnumerable<ServiceAudioFeatures?> Rows(SpotifyAudioFeaturesResponse answer) =>
        (answer.AudioFeatures ?? []).OfType<SpotifyAudioFeaturesObject>().Select(r => r.ToFeatures(r.Id, r.TimeSignature, r.DurationMs));
}
