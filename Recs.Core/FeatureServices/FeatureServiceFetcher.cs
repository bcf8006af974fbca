using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Recs.Core.FeatureServices;

/// <summary>The process-wide "throttled until" of the features service: nothing is asked before it.</summary>
public sealed class FeatureServiceThrottle(TimeProvider time)
{
    private long _untilTicks;

    /// <summary>The time the service asked Recs to wait for, while it lies ahead; else null.</summary>
    public DateTimeOffset? Until
    {
        get
        {
            var ticks = Interlocked.Read(ref _untilTicks);
            return ticks > time.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Records a throttle (the later of this and any earlier one wins).</summary>
    public void Set(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _untilTicks);
            if (seen >= ticks)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _untilTicks, ticks, seen) != seen);
    }
}

/// <summary>What one <see cref="FeatureServiceFetcher.FetchAsync"/> did.</summary>
/// <param name="Found">Features by id for the ids the service knew (already stored in the catalog).</param>
/// <param name="Asked">Ids sent to the service in answered requests (found + misses).</param>
/// <param name="Misses">Ids the service answered without (remembered).</param>
/// <param name="Requests">HTTP requests sent, retries included.</param>
/// <param name="ThrottledUntil">Set when a long 429 stopped the fetch; the ids not asked are neither found nor misses.</param>
/// <param name="Error">Set when the service failed after retries; the rest of the ids were not asked.</param>
public sealed record FeatureFetchResult(
    IReadOnlyDictionary<string, AudioFeatures> Found,
    int Asked,
    int Misses,
    int Requests,
    DateTimeOffset? ThrottledUntil,
    string? Error);

/// <summary>
/// Asks the configured features service about ids: batched to the provider's limit, at most
/// <see cref="FeatureServiceOptions.MaxConcurrency"/> requests in flight, each answered batch stored at once (found
/// features as catalog tracks, misses remembered), so an interruption loses at most the batches in flight. A long
/// 429 or a failure after retries stops the remaining batches (no hammering a service that said stop). Only ids are sent.
/// </summary>
public sealed class FeatureServiceFetcher(
    FeatureServiceClientFactory clients,
    CatalogContributions store,
    FeatureServiceThrottle throttle,
    IOptions<FeatureServiceOptions> options,
    ILogger<FeatureServiceFetcher> logger)
{
    /// <summary>Ids are asked about in this order; <paramref name="onBatch"/> is told after each stored batch (found, misses).</summary>
    public async Task<FeatureFetchResult> FetchAsync(IReadOnlyList<string> ids, Func<string, TrackMetadata?>? metadata,
        Action<int, int>? onBatch, CancellationToken cancellationToken)
    {
        var found = new ConcurrentDictionary<string, AudioFeatures>(StringComparer.Ordinal);
        if (ids.Count == 0 || clients.Create() is not { } client)
        {
            return new FeatureFetchResult(found, 0, 0, 0, null, null);
        }

        if (throttle.Until is { } already)
        {
            return new FeatureFetchResult(found, 0, 0, 0, already, null);
        }

        var tally = new RequestTally();
        var asked = 0;
        var misses = 0;
        DateTimeOffset? throttledUntil = null;
        string? error = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = ids.Chunk(Math.Min(client.MaxBatchSize, options.Value.EffectiveBatchSize)).ToList();

        // Answers are written by one writer that takes whatever has arrived in one transaction, so requests keep
        // flowing while the database writes (one transaction per batch would make the writes the bottleneck).
        var answers = Channel.CreateUnbounded<(IReadOnlyList<ServiceAudioFeatures> Found, List<string> Missed)>(new UnboundedChannelOptions { SingleReader = true });
        var writer = Task.Run(async () =>
        {
            while (await answers.Reader.WaitToReadAsync(CancellationToken.None))
            {
                var foundNow = new List<ServiceAudioFeatures>();
                var missedNow = new List<string>();
                while (answers.Reader.TryRead(out var answer))
                {
                    foundNow.AddRange(answer.Found);
                    missedNow.AddRange(answer.Missed);
                }

                // Stored even if the caller is cancelling now: the service already answered, don't ask twice.
                await store.StoreServiceAnswersAsync(foundNow, missedNow, metadata, CancellationToken.None);
                Interlocked.Add(ref asked, foundNow.Count + missedNow.Count);
                Interlocked.Add(ref misses, missedNow.Count);
                onBatch?.Invoke(foundNow.Count, missedNow.Count);
            }
        }, CancellationToken.None);

        try
        {
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = stop.Token },
                async (batch, ct) =>
                {
                    IReadOnlyList<ServiceAudioFeatures> answer;
                    try
                    {
                        answer = await client.GetAudioFeaturesAsync(batch, tally, ct);
                    }
                    catch (FeatureServiceThrottledException ex)
                    {
                        throttle.Set(ex.Until);
                        lock (found)
                        {
                            throttledUntil = throttledUntil is { } t && t > ex.Until ? t : ex.Until;
                        }

                        await stop.CancelAsync();
                        return;
                    }
                    catch (FeatureServiceException ex)
                    {
                        logger.LogWarning("{Message}; the remaining ids are not asked about now", ex.Message);
                        lock (found)
                        {
                            error ??= ex.Message;
                        }

                        await stop.CancelAsync();
                        return;
                    }

                    var known = answer.Select(a => a.SpotifyId).ToHashSet(StringComparer.Ordinal);
                    foreach (var a in answer)
                    {
                        found[a.SpotifyId] = a.Features;
                    }

                    answers.Writer.TryWrite((answer, batch.Where(id => !known.Contains(id)).ToList()));
                });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stopped by a throttle or a failure: reported below.
        }
        finally
        {
            answers.Writer.Complete();
            await writer; // every answered batch is stored before this returns (or the cancellation surfaces)
        }

        logger.LogInformation("Features service ({Provider}): {Asked} of {Count} ids asked in {Requests} requests, {Found} found, {Misses} unknown{Throttle}",
            client.Provider, asked, ids.Count, tally.Count, found.Count, misses, throttledUntil is { } u ? $", throttled until {u:u}" : "");
        return new FeatureFetchResult(found, asked, misses, tally.Count, throttledUntil, error);
    }
}
