using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Recs.Web.Libraries;

namespace Recs.Web.Api;

/// <summary>
/// <c>POST /api/clusters</c> (docs/contracts.md §HTTP) and the cluster CSV download. Both act for the signed-in user only.
/// </summary>
/// <remarks>
/// Cross-site request forgery: a cookie-authenticated <c>POST</c> must carry the <see cref="CsrfHeader"/> header. A
/// browser only sends a custom header cross-site after a CORS preflight, which this app never allows, so a forged form
/// or <c>fetch</c> from another site cannot call the API with the victim's cookie. Callers that authenticate with an
/// <c>Authorization</c> header are not exposed to forgery and need no extra header. See ADR-060.
/// </remarks>
public static class ClustersApi
{
    /// <summary>The header a cookie-authenticated call must send (any non-empty value, e.g. <c>1</c>).</summary>
    public const string CsrfHeader = "X-Recs-Api";

    /// <summary>Name of the per-user rate-limit policy.</summary>
    public const string RateLimitPolicy = "clusters-api";

    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapClustersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters")
            .WithTags("Clusters")
            .RequireRateLimiting(RateLimitPolicy);

        api.MapPost("/", PostClustersAsync)
            .WithName("PostClusters")
            .WithSummary("Cluster the signed-in user's library with the active model")
            .WithDescription($"Body {{\"use_recs_model\": true}}; a missing body or field means true. Cookie-authenticated calls must send the {CsrfHeader} header. Errors are RFC 7807 problem details.")
            .Accepts<ClustersRequest>(isOptional: true, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();

        api.MapGet("/{id:int}/csv", ExportCsvAsync)
            .WithName("ExportClusterCsv")
            .WithSummary("Download a cluster (or its filtered view) as CSV")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>POST /api/clusters.</summary>
    public static async Task<Results<Ok<ClustersResponse>, ProblemHttpResult>> PostClustersAsync(
        HttpContext context, LibraryService library, CancellationToken cancellationToken)
    {
        var userId = ListenerUser.IdOf(context.User);
        if (userId is null)
        {
            return Unauthorized();
        }

        if (IsCookieAuthenticated(context.Request) && string.IsNullOrWhiteSpace(context.Request.Headers[CsrfHeader]))
        {
            return Problem(StatusCodes.Status400BadRequest, "Missing anti-forgery header",
                $"Cookie-authenticated calls must send the '{CsrfHeader}' header (any value, e.g. 1).");
        }

        var (useRecsModel, bodyProblem) = await ReadBodyAsync(context.Request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var result = await library.GetClusteringAsync(userId, useRecsModel, cancellationToken);
        return result.Status switch
        {
            LibraryStatus.NoLibrary => NoLibrary(),
            LibraryStatus.NoModel => NoModel(),
            _ => TypedResults.Ok(ClustersResponse.From(result.Clustering!.Result)),
        };
    }

    /// <summary>GET /api/clusters/{id}/csv: the cluster's tracks, optionally filtered like the cluster page.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportCsvAsync(
        int id,
        HttpContext context,
        LibraryService library,
        bool? use_recs_model,
        double? bpm_min,
        double? bpm_max,
        bool? half_double,
        string? search,
        string? sort,
        double? energy_min,
        double? energy_max,
        double? danceability_min,
        double? danceability_max,
        double? valence_min,
        double? valence_max,
        CancellationToken cancellationToken)
    {
        var userId = ListenerUser.IdOf(context.User);
        if (userId is null)
        {
            return Unauthorized();
        }

        var result = await library.GetClusteringAsync(userId, use_recs_model ?? true, cancellationToken);
        if (result.Status == LibraryStatus.NoLibrary)
        {
            return NoLibrary();
        }

        if (result.Status == LibraryStatus.NoModel)
        {
            return NoModel();
        }

        var query = new TrackQuery
        {
            BpmMin = bpm_min,
            BpmMax = bpm_max,
            HalfAndDoubleTempo = half_double ?? false,
            Search = search,
            Sorts = ParseSorts(sort),
            Ranges = new[] { (1, energy_min, energy_max), (2, danceability_min, danceability_max), (3, valence_min, valence_max) }
                .Where(r => r.Item2 is not null || r.Item3 is not null)
                .Select(r => new FeatureRange(r.Item1, r.Item2, r.Item3))
                .ToList(),
        };
        var clustering = result.Clustering!;
        var rows = LibraryService.FilteredRows(clustering, id, query);
        if (rows is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such cluster", $"The active model has no cluster {id}.");
        }

        var name = clustering.FindCluster(id)!.Name;
        await using var buffer = new StringWriter();
        await TrackCsv.WriteAsync(buffer, name, rows, cancellationToken);
        var fileName = $"recs-cluster-{id}{(query.IsFiltered ? "-filtered" : "")}.csv";
        return TypedResults.File(Encoding.UTF8.GetBytes(buffer.ToString()), "text/csv; charset=utf-8", fileName);
    }

    /// <summary>Parses "tempo,-energy" (a leading '-' means descending) into sort keys, ignoring unknown columns.</summary>
    public static IReadOnlyList<TrackSort> ParseSorts(string? sort)
        => string.IsNullOrWhiteSpace(sort)
            ? []
            : sort.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.StartsWith('-') ? new TrackSort(s[1..], true) : new TrackSort(s))
                .Where(s => TrackQuery.KeyOf(s.Column) is not null)
                .ToList();

    private static bool IsCookieAuthenticated(HttpRequest request) => !request.Headers.ContainsKey("Authorization");

    private static async Task<(bool UseRecsModel, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (true, Problem(StatusCodes.Status400BadRequest, "Body too large", $"The body must be at most {MaxBodyBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBodyBytes)
        {
            return (true, Problem(StatusCodes.Status400BadRequest, "Body too large", $"The body must be at most {MaxBodyBytes} bytes."));
        }

        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (true, null);
        }

        if (!request.HasJsonContentType())
        {
            return (true, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json, e.g. {\"use_recs_model\": true}, or send no body."));
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (true, BadBody("The body must be a JSON object such as {\"use_recs_model\": true}."));
            }

            if (!json.RootElement.TryGetProperty("use_recs_model", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return (true, null);
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => (true, null),
                JsonValueKind.False => (false, null),
                _ => (true, BadBody($"'use_recs_model' must be true or false, not {value.GetRawText()}.")),
            };
        }
        catch (JsonException e)
        {
            return (true, BadBody($"The body is not valid JSON: {e.Message}"));
        }
    }

    private static ProblemHttpResult BadBody(string detail) => Problem(StatusCodes.Status400BadRequest, "Invalid request body", detail);

    private static ProblemHttpResult Unauthorized() => Problem(StatusCodes.Status401Unauthorized, "Sign in first",
        "This API acts for the signed-in user: sign in with Spotify (or the demo) and call it with your session.");

    private static ProblemHttpResult NoLibrary() => Problem(StatusCodes.Status404NotFound, "No library yet",
        "You have no library in Recs yet: fetch it from Spotify or upload an export on the Library sources page.", "no-library");

    private static ProblemHttpResult NoModel() => Problem(StatusCodes.Status503ServiceUnavailable, "No active model",
        "No model is active yet: an admin has to train and activate one.", "no-active-model");

    private static ProblemHttpResult Problem(int status, string title, string detail, string? type = null)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type is null ? null : $"https://recs.local/problems/{type}");
}
