using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Recs.Core.Models;
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
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
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

    /// <summary>POST /api/clusters. The framework binds the optional JSON body (415 for another media type, 400 with
    /// problem details for a bad one: see <see cref="BadRequestProblems"/>).</summary>
    public static async Task<Results<Ok<ClustersResponse>, ProblemHttpResult>> PostClustersAsync(
        HttpContext context, LibraryService library, ActiveModel active, [FromBody] ClustersRequest? request, CancellationToken cancellationToken)
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

        var result = await library.GetClusteringAsync(userId, request?.UseRecsModel ?? true, cancellationToken);
        return result.Status switch
        {
            LibraryStatus.NoLibrary => NoLibrary(),
            LibraryStatus.NoModel => NoModel(active),
            _ => TypedResults.Ok(ClustersResponse.From(result.Clustering!.Result)),
        };
    }

    /// <summary>
    /// GET /api/clusters/{id}/csv: the cluster's tracks, optionally filtered and sorted like the cluster page. The
    /// filters are the page's own <see cref="TrackQuery"/>, bound by name and validated (400 problem details naming the
    /// field for e.g. <c>energy_min=2</c>).
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportCsvAsync(
        int id,
        HttpContext context,
        LibraryService library,
        ActiveModel active,
        [AsParameters] TrackQuery query,
        [FromQuery(Name = "use_recs_model")] bool? useRecsModel,
        CancellationToken cancellationToken)
    {
        var userId = ListenerUser.IdOf(context.User);
        if (userId is null)
        {
            return Unauthorized();
        }

        var result = await library.GetClusteringAsync(userId, useRecsModel ?? true, cancellationToken);
        if (result.Status == LibraryStatus.NoLibrary)
        {
            return NoLibrary();
        }

        if (result.Status == LibraryStatus.NoModel)
        {
            return NoModel(active);
        }

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

    /// <summary>The address of a cluster's CSV download for <paramref name="query"/> (what <see cref="ExportCsvAsync"/> binds).</summary>
    public static string CsvUrl(int id, bool useRecsModel, TrackQuery query)
    {
        var rest = query.ToQueryString();
        return $"/api/clusters/{id}/csv?use_recs_model={(useRecsModel ? "true" : "false")}" + (rest.Length > 0 ? "&" + rest : "");
    }

    private static bool IsCookieAuthenticated(HttpRequest request) => !request.Headers.ContainsKey("Authorization");

    private static ProblemHttpResult Unauthorized() => Problem(StatusCodes.Status401Unauthorized, "Sign in first",
        "This API acts for the signed-in user: sign in with Spotify (or the demo) and call it with your session.");

    private static ProblemHttpResult NoLibrary() => Problem(StatusCodes.Status404NotFound, "No library yet",
        "You have no library in Recs yet: fetch it from Spotify or upload an export on the Library sources page.", "no-library");

    /// <summary>
    /// 503 when no model can serve: "an admin has to train and activate one" only when the registry has no active
    /// version; when it has one that cannot be loaded, that is what is said (issue 13.1). Cold-start requests never
    /// get here: they wait for the one load (<see cref="ActiveModel.GetAsync"/>).
    /// </summary>
    private static ProblemHttpResult NoModel(ActiveModel active) => active.LoadError is { } error
        ? Problem(StatusCodes.Status503ServiceUnavailable, "Active model unavailable",
            $"The active model cannot be loaded on this instance ({error}): an admin has to activate another version or repair this one.", "model-unavailable")
        : Problem(StatusCodes.Status503ServiceUnavailable, "No active model",
            "No model is active yet: an admin has to train and activate one.", "no-active-model");

    private static ProblemHttpResult Problem(int status, string title, string detail, string? type = null)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type is null ? null : $"https://recs.local/problems/{type}");
}
